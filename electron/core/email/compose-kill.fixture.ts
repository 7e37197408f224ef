// Child process for compose.test.ts: queues a reply with a file for undo send (Settings' 2 s) and
// prints QUEUED <id>, then waits for the parent's SIGKILL, before the delay is over.
import { createCore } from '../createCore';

const [dataDir, conv] = process.argv.slice(2);
const core = createCore({ dataDir: dataDir! });
const item = await core.call('replies.send', {
  channel: 'email',
  conversationId: Number(conv),
  text: 'Notes attached.',
  attachments: [{ filename: 'notes.txt', contentType: 'text/plain', base64: Buffer.from('kill-test-bytes-\u00e9', 'utf8').toString('base64') }],
  undo: true,
});
process.stdout.write(`QUEUED ${item.id}\n`);
setInterval(() => undefined, 60_000); // waits for the parent's SIGKILL
