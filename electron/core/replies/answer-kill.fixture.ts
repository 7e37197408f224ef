// Child process for answer.test.ts: answers Maria's escalation by email and on X (replies.sendBoth,
// which wakes both senders), and prints BETWEEN <group> once the email is sent and the X reply is
// back in the queue (X refused it with a 503), so the parent can SIGKILL it between the two sends.
import { createCore } from '../createCore';

const [dataDir, emailConv, xConv] = process.argv.slice(2);
const core = createCore({ dataDir: dataDir! });
const r = await core.call('replies.sendBoth', {
  email: { conversationId: Number(emailConv), text: 'Hi Maria, a new frame ships today.' },
  x: { conversationId: Number(xConv), text: "Sorry Maria, we've just answered your email about Frame arrived damaged." },
});
const timer = setInterval(() => {
  void core.call('outbox.list', { groupId: r.groupId }).then((items) => {
    const [mail, post] = items;
    if (mail?.state === 'sent' && post?.state === 'queued' && post.attempts >= 1) {
      clearInterval(timer);
      process.stdout.write(`BETWEEN ${r.groupId}\n`);
      setInterval(() => undefined, 60_000); // waits for the parent's SIGKILL
    }
  });
}, 20);
