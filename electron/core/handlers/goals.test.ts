// goals.set announces the change (the window reads goal states and risks again), and a refused
// change announces nothing.
import { afterEach, describe, expect, it } from 'vitest';
import type { RpcEvent } from '../../../shared/rpc/protocol';
import { createCore } from '../createCore';
import { tempDir } from '../testing/tmp';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('goals.set', () => {
  it('emits goals.changed once per stored change, never for refused input', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const core = createCore({ dataDir: t.dir });
    cleanups.unshift(() => core.dispose());
    const events: RpcEvent[] = [];
    core.events.subscribe((e) => events.push(e));
    await core.call('goals.set', { firstReplyMs: 2 * 3_600_000 });
    expect(events.filter((e) => e.name === 'goals.changed')).toHaveLength(1);
    await expect(core.call('goals.set', { firstReplyMs: 5 })).rejects.toMatchObject({ code: 'invalid_args' });
    expect(events.filter((e) => e.name === 'goals.changed')).toHaveLength(1);
    expect((await core.call('goals.get', {})).firstReplyMs).toBe(2 * 3_600_000);
  });
});
