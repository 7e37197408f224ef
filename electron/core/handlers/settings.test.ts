// App settings through the contract: spellcheck is off until turned on, the change is announced
// (the Electron shell applies it to the session) and kept across restarts.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RpcEvent } from '../../../shared/rpc/protocol';
import { DEFAULT_SETTINGS } from '../../../shared/contract/settings';
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
    expect(await core.call('settings.get', {})).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.spellcheck).toBe(false);
    const events: RpcEvent[] = [];
    core.events.subscribe((e) => events.push(e));
    expect(await core.call('settings.set', { spellcheck: true })).toEqual({ ...DEFAULT_SETTINGS, spellcheck: true });
    expect(events.filter((e) => e.name === 'settings.changed')).toHaveLength(1);
    // Setting the same value again changes nothing and announces nothing.
    await core.call('settings.set', { spellcheck: true });
    expect(events.filter((e) => e.name === 'settings.changed')).toHaveLength(1);
    core.dispose();
    cleanups.shift();
    expect(await open(dir).call('settings.get', {})).toEqual({ ...DEFAULT_SETTINGS, spellcheck: true });
  });

  it('auto-update is off by default, turns on without touching the other settings, survives a restart', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const dir = path.join(t.dir, 'data');
    const core = open(dir);
    expect((await core.call('settings.get', {})).autoUpdate).toBe(false);
    await core.call('settings.set', { spellcheck: true });
    expect(await core.call('settings.set', { autoUpdate: true })).toEqual({ ...DEFAULT_SETTINGS, spellcheck: true, autoUpdate: true });
    await expect(core.call('settings.set', { autoUpdate: 'on' } as never)).rejects.toMatchObject({ code: 'invalid_args' });
    core.dispose();
    cleanups.shift();
    expect(await open(dir).call('settings.get', {})).toEqual({ ...DEFAULT_SETTINGS, spellcheck: true, autoUpdate: true });
  });

  it('refuses what is not a setting', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const core = open(path.join(t.dir, 'data'));
    await expect(core.call('settings.set', { spellcheck: 'yes' } as never)).rejects.toMatchObject({ code: 'invalid_args' });
    await expect(core.call('settings.set', { dictionaryUrl: 'https://x' } as never)).rejects.toMatchObject({ code: 'invalid_args' });
  });

  it('notifications: each kind on by default, changed field by field, quiet hours checked, a damaged stored value ignored', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const core = open(path.join(t.dir, 'data'));
    expect((await core.call('settings.get', {})).notifications).toEqual({ escalated: true, likely: true, overdue: true, quietHours: null });
    const quiet = { from: '22:00', to: '07:00', timeZone: 'Europe/Paris' };
    expect((await core.call('settings.set', { notifications: { likely: false, quietHours: quiet } })).notifications).toEqual({ escalated: true, likely: false, overdue: true, quietHours: quiet });
    // Only the fields given change.
    expect((await core.call('settings.set', { notifications: { overdue: false } })).notifications).toEqual({ escalated: true, likely: false, overdue: false, quietHours: quiet });
    await expect(core.call('settings.set', { notifications: { quietHours: { ...quiet, timeZone: 'Mars/Olympus' } } })).rejects.toMatchObject({
      code: 'invalid_args',
      message: expect.stringMatching(/time zone/),
    });
    await expect(core.call('settings.set', { notifications: { quietHours: { ...quiet, to: '22:00' } } })).rejects.toMatchObject({ code: 'invalid_args' });
    await expect(core.call('settings.set', { notifications: { quietHours: { ...quiet, from: '7:00' } } })).rejects.toMatchObject({ code: 'invalid_args' });
    await expect(core.call('settings.set', { notifications: { sound: true } } as never)).rejects.toMatchObject({ code: 'invalid_args' });
    // Refused changes left the stored ones alone.
    expect((await core.call('settings.get', {})).notifications.quietHours).toEqual(quiet);
    core.db.prepare('UPDATE settings SET value = \'{"escalated":"yes"}\' WHERE key = \'notifications\'').run();
    expect((await core.call('settings.get', {})).notifications).toEqual(DEFAULT_SETTINGS.notifications);
  });
});
