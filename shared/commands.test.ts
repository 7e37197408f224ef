import { describe, expect, it } from 'vitest';
import { COMMANDS, DEFAULT_KEYMAP, MENU_SECTIONS, commandId, menuKey } from './commands';

describe('shared/commands: the one command table of the keymap and the menu', () => {
  it('every command has a default key list and sits in exactly one menu section', () => {
    for (const c of COMMANDS) {
      expect(Array.isArray(DEFAULT_KEYMAP[c.id])).toBe(true);
      expect(MENU_SECTIONS.filter((s) => s.groups.includes(c.group))).toHaveLength(1);
    }
    expect(new Set(COMMANDS.map((c) => c.id)).size).toBe(COMMANDS.length);
  });

  it('chords become accelerators the menu registers', () => {
    expect(menuKey('mod+k', 'linux')).toEqual({ accelerator: 'CmdOrCtrl+K', register: true });
    expect(menuKey('mod+k', 'darwin')).toEqual({ accelerator: 'CmdOrCtrl+K', register: true });
  });

  it('single keys are shown but left to the keymap (Linux, Windows), written after the title on macOS', () => {
    expect(menuKey('j', 'linux')).toEqual({ accelerator: 'J', register: false });
    expect(menuKey('I', 'win32')).toEqual({ accelerator: 'Shift+I', register: false });
    expect(menuKey('ArrowDown', 'linux')).toEqual({ accelerator: 'Down', register: false });
    expect(menuKey('?', 'linux')).toEqual({ accelerator: '?', register: false });
    expect(menuKey('e', 'darwin')).toEqual({ hint: 'E' });
  });

  it('sequences cannot be accelerators: written after the title; no key, nothing', () => {
    expect(menuKey('g i', 'linux')).toEqual({ hint: 'G then I' });
    expect(menuKey('g ,', 'darwin')).toEqual({ hint: 'G then ,' });
    expect(menuKey(undefined, 'linux')).toEqual({});
  });

  it('commandId takes known ids only (a menu message is checked before it runs anything)', () => {
    expect(commandId('go.inbox')).toBe('go.inbox');
    expect(commandId('go.nowhere')).toBeNull();
    expect(commandId({ id: 'go.inbox' })).toBeNull();
  });
});
