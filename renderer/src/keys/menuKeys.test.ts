import { describe, expect, it } from 'vitest';
import { DEFAULT_KEYMAP } from '../../../shared/commands';
import { parseShellKeymap, SHELL_KEYMAP } from '../../../shared/shell';
import type { RpcResponse } from '../../../shared/rpc/protocol';
import { tellShellKeys } from './menuKeys';

function bridge(answer: (method: string, args: unknown) => RpcResponse) {
  const sent: { method: string; args: unknown }[] = [];
  return {
    sent,
    invoke: (method: string, args: unknown) => {
      sent.push({ method, args });
      return Promise.resolve(answer(method, args));
    },
    onEvent: () => () => {},
  };
}

describe("the window tells the shell the owner's keys", () => {
  it('sends the whole keymap and the single-key switch, in the form the shell validates', async () => {
    const b = bridge((_m, args) => {
      const keys = parseShellKeymap(args);
      return keys.ok ? { t: 'res', id: 1, ok: true, value: { menu: true } } : { t: 'res', id: 1, ok: false, error: { code: 'invalid_args', message: keys.error } };
    });
    const keymap = { ...DEFAULT_KEYMAP, 'palette.open': ['mod+p'], undo: [] };
    await tellShellKeys({ keymap, singleKeys: false }, b);
    expect(b.sent).toEqual([{ method: SHELL_KEYMAP, args: { keymap, singleKeys: false } }]);
    const parsed = parseShellKeymap(b.sent[0]!.args);
    expect(parsed.ok && parsed.value.keymap['palette.open']).toEqual(['mod+p']);
  });

  it('the shell refuses what the window never sends: unknown commands, Alt chords, a missing command', () => {
    expect(parseShellKeymap({ keymap: { ...DEFAULT_KEYMAP, 'rm.rf': ['x'] }, singleKeys: true }).ok).toBe(false);
    expect(parseShellKeymap({ keymap: { ...DEFAULT_KEYMAP, undo: ['alt+z'] }, singleKeys: true })).toEqual({ ok: false, error: 'keymap.undo.0: Alt chords are not used' });
    const { undo: _undo, ...missing } = DEFAULT_KEYMAP;
    expect(parseShellKeymap({ keymap: missing, singleKeys: true }).ok).toBe(false);
    expect(parseShellKeymap({ keymap: DEFAULT_KEYMAP, singleKeys: 'yes' }).ok).toBe(false);
  });

  it('a refusal or a closed window loses nothing and throws nothing; no bridge (browser host), nothing sent', async () => {
    const refused = bridge(() => ({ t: 'res', id: 1, ok: false, error: { code: 'invalid_args', message: 'no' } }));
    await expect(tellShellKeys({ keymap: DEFAULT_KEYMAP, singleKeys: true }, refused)).resolves.toBeUndefined();
    const closed = { invoke: () => Promise.reject(new Error('closed')), onEvent: () => () => {} };
    await expect(tellShellKeys({ keymap: DEFAULT_KEYMAP, singleKeys: true }, closed)).resolves.toBeUndefined();
    await expect(tellShellKeys({ keymap: DEFAULT_KEYMAP, singleKeys: true }, undefined)).resolves.toBeUndefined();
  });
});
