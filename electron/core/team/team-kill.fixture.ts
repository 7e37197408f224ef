// Child process for team-kill.test.ts: one team log cycle that kills itself with SIGKILL right
// before or right after the APPEND of its n-th event (before the local mark either way), or, with
// 'compact', once a compaction has appended its snapshot and before it deletes what it replaces.
import { createCore } from '../createCore';

const [dataDir, when, nth] = process.argv.slice(2);
const core = createCore({ dataDir: dataDir! });
let n = 0;
const die = () => process.kill(process.pid, 'SIGKILL');
await core.ctx.team.syncOnce({
  ...(when === 'compact' ? { compactAt: Number(nth), onCompacting: die } : {}),
  onAppending: () => {
    n++;
    if (when === 'before' && n === Number(nth)) die();
  },
  onAppended: () => {
    if (when === 'after' && n === Number(nth)) die();
  },
});
process.stdout.write('DONE\n');
core.dispose();
