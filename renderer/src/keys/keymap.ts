// The keymap is data: command ids to keys (the commands and default keys are shared/commands.ts,
// which the Electron shell's menu reads too). Defaults follow Gmail; a person may remap any command
// or switch single-key shortcuts off (stored in localStorage). Keys are written as the character
// the key produces ("j", "?", "/"), named keys ("Enter", "ArrowDown", "Escape"), "mod+k" for
// Ctrl/⌘ chords, and space-separated sequences ("g i"). Alt chords are never used: AltGr and
// Option type letters in Polish, German and many other layouts.

export { COMMANDS, DEFAULT_KEYMAP, type CommandGroup, type CommandId, type CommandInfo, type Keymap } from '../../../shared/commands';
import { COMMANDS, DEFAULT_KEYMAP, type CommandId, type Keymap } from '../../../shared/commands';

const STORE = 'canary.keymap';
const ENABLED = 'canary.keys.enabled';

export function loadKeymap(): Keymap {
  try {
    const saved = JSON.parse(localStorage.getItem(STORE) ?? '{}') as Partial<Record<string, unknown>>;
    const out = { ...DEFAULT_KEYMAP };
    for (const c of COMMANDS) {
      const v = saved[c.id];
      if (Array.isArray(v) && v.every((k) => typeof k === 'string' && !/^alt\+/i.test(k))) out[c.id] = v as string[];
    }
    return out;
  } catch {
    return { ...DEFAULT_KEYMAP };
  }
}

export function saveKeymap(map: Keymap): void {
  const diff: Partial<Keymap> = {};
  for (const c of COMMANDS) if (JSON.stringify(map[c.id]) !== JSON.stringify(DEFAULT_KEYMAP[c.id])) diff[c.id] = map[c.id];
  localStorage.setItem(STORE, JSON.stringify(diff));
}

export function loadKeysEnabled(): boolean {
  try {
    return localStorage.getItem(ENABLED) !== 'false';
  } catch {
    return true;
  }
}

export function saveKeysEnabled(on: boolean): void {
  try {
    localStorage.setItem(ENABLED, on ? 'true' : 'false');
  } catch {
    // not persisted; still applies to this window
  }
}

/** How a key is shown to people: "mod+k" → "Ctrl K" (or "⌘ K" on a Mac), "g i" → "g then i". */
export function keyLabel(key: string, mac = /Mac|iPhone|iPad/.test(navigator.platform)): string[] {
  return key.split(' ').map((part) =>
    part
      .replace(/^mod\+/, mac ? '⌘ ' : 'Ctrl ')
      .replace(/^ArrowDown$/, '↓')
      .replace(/^ArrowUp$/, '↑')
      .replace(/^Escape$/, 'Esc')
      .replace(/^I$/, 'Shift I')
      .replace(/(^|\s)([a-z])$/, (_m, s: string, c: string) => `${s}${c.toUpperCase()}`),
  );
}

/** The key an event stands for, or null for modifiers alone and anything typed with Alt/AltGr. */
export function eventKey(e: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey'>): string | null {
  if (e.altKey) return null;
  if (e.key === 'Shift' || e.key === 'Control' || e.key === 'Meta' || e.key === 'Alt' || e.key === 'AltGraph' || e.key === 'Dead') return null;
  if (e.ctrlKey || e.metaKey) return `mod+${e.key.toLowerCase()}`;
  return e.key;
}

/** True when focus is in a place where typed letters are text. */
export function isTextTarget(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(type);
  }
  return false;
}

/**
 * Turns key events into commands, with sequences ("g i") waiting up to `timeoutMs` for the next key.
 * Single keys are ignored in text fields; chords (mod+…) and Escape work everywhere.
 */
export class KeyDispatcher {
  private pending: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private index = new Map<string, CommandId>();
  private prefixes = new Set<string>();

  constructor(
    keymap: Keymap,
    private run: (id: CommandId, e: KeyboardEvent) => boolean,
    private enabled: () => boolean,
    private timeoutMs = 1200,
  ) {
    this.setKeymap(keymap);
  }

  setKeymap(keymap: Keymap): void {
    this.index.clear();
    this.prefixes.clear();
    for (const [id, keys] of Object.entries(keymap) as [CommandId, string[]][]) {
      for (const k of keys) {
        this.index.set(k, id);
        const parts = k.split(' ');
        for (let i = 1; i < parts.length; i++) this.prefixes.add(parts.slice(0, i).join(' '));
      }
    }
  }

  private clear(): void {
    this.pending = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  handle = (e: KeyboardEvent): void => {
    if (e.defaultPrevented || e.isComposing) return;
    const key = eventKey(e);
    if (!key) return;
    const chord = key.startsWith('mod+');
    const inText = isTextTarget(e.target);
    if (inText && !chord && key !== 'Escape') return;
    if (!chord && key !== 'Escape' && !this.enabled()) return;
    const full = this.pending ? `${this.pending} ${key}` : key;
    if (this.prefixes.has(full)) {
      this.pending = full;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.clear(), this.timeoutMs);
      e.preventDefault();
      return;
    }
    const id = this.index.get(full);
    this.clear();
    if (!id) return;
    if (this.run(id, e)) e.preventDefault();
  };
}
