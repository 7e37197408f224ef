// Child process for sync-crash.test.ts: one sync pass of an account, printing progress lines, so
// the parent can SIGKILL it in the middle of the first sync.
import { createCore } from '../createCore';
import { syncAccountOnce } from './sync';

const [dataDir, accountId, batch] = process.argv.slice(2);
const core = createCore({ dataDir: dataDir! });
await syncAccountOnce(core.ctx, Number(accountId), {
  batchSize: Number(batch),
  firstBatchSize: Number(batch),
  retries: 0,
  onProgress: (p) => process.stdout.write(`PROGRESS ${p.done}\n`),
});
process.stdout.write('DONE\n');
core.dispose();
