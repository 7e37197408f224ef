// App settings through the contract: spellcheck is off until turned on, the change is announced
// (the Electron shell applies it to the session) and kept across restarts.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RpcEvent } from '../../../shared/rpc/protocol';
import { createCore, type Core } from '../createCore';
import { tempDir } from '../testing/tmp';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function open(dir: string): Core {
  const core = createCore({ dataDir: dir });
  cleanups.unshift(() => core.dispose());
  return core;
}

describe('settings', () => {
  it('spellcheck is off by default, turns on, is announced and survives a restart', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const dir = path.join(t.dir, 'data');
    const core = open(dir);
    expect(await core.call('settings.get', {})).toEqual({ spellcheck: false });
    const events: RpcEvent[] = [];
    core.events.subscribe((e) => events.push(e));
    expect(await core.call('settings.set', { spellcheck: true })).toEqual({ spellcheck: true });
    expect(events.filter((e) => e.name === 'settings.changed')).toHaveLength(1);
    // Setting the same value again changes nothing and announces nothing.
    await core.call('settings.set', { spellcheck: true });
    expect(events.filter((e) => e.name === 'settings.changed')).toHaveLength(1);
    core.dispose();
    cleanups.shift();
    expect(await open(dir).call('settings.get', {})).toEqual({ spellcheck: true });
  });

  it('refuses what is not a setting', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const core = open(path.join(t.dir, 'data'));
    await expect(core.call('settings.set', { spellcheck: 'yes' } as never)).rejects.toMatchObject({ code: 'invalid_args' });
    await expect(core.call('settings.set', { dictionaryUrl: 'https://x' } as never)).rejects.toMatchObject({ code: 'invalid_args' });
  });
});
