// The commands of the window as data, shared by the renderer's keymap, command palette and cheat
// sheet (renderer/src/keys/keymap.ts) and by the Electron shell's application menu
// (electron/main/menu.ts): ids, titles, groups and default keys, and how a key is written as a menu
// accelerator. No DOM and no Node: both sides import it. A menu click sends `command.run` to the
// window, which runs the command through the same registry as a key press.
//
// Keys are written as the character the key produces ("j", "?", "/"), named keys ("Enter",
// "ArrowDown", "Escape"), "mod+k" for Ctrl/⌘ chords, and space-separated sequences ("g i").

export type CommandId =
  | 'queue.next'
  | 'queue.prev'
  | 'conversation.open'
  | 'conversation.back'
  | 'conversation.done'
  | 'conversation.star'
  | 'conversation.snooze'
  | 'conversation.waiting'
  | 'conversation.reopen'
  | 'queue.select'
  | 'queue.selectNone'
  | 'search.focus'
  | 'undo'
  | 'help.cheatsheet'
  | 'palette.open'
  | 'customer.toggle'
  | 'link.confirm'
  | 'settings.open'
  | 'conversation.reply'
  | 'conversation.replyAll'
  | 'conversation.forward'
  | 'composer.insertSavedReply'
  | 'conversation.tag'
  | 'conversation.assignMe'
  | 'go.inbox'
  | 'go.escalated'
  | 'go.atRisk'
  | 'go.reports'
  | 'go.email'
  | 'go.x'
  | 'go.mine'
  | 'go.unassigned'
  | 'go.waiting'
  | 'go.snoozed'
  | 'go.done'
  | 'go.all'
  | 'keys.toggle';

export type CommandGroup = 'Navigate' | 'Triage' | 'Go to' | 'Canary';

export interface CommandInfo {
  id: CommandId;
  title: string;
  group: CommandGroup;
}

export const COMMANDS: CommandInfo[] = [
  { id: 'queue.next', title: 'Next conversation', group: 'Navigate' },
  { id: 'queue.prev', title: 'Previous conversation', group: 'Navigate' },
  { id: 'conversation.open', title: 'Open conversation', group: 'Navigate' },
  { id: 'conversation.back', title: 'Back to the list', group: 'Navigate' },
  { id: 'queue.select', title: 'Select or unselect', group: 'Navigate' },
  { id: 'queue.selectNone', title: 'Clear the selection', group: 'Navigate' },
  { id: 'search.focus', title: 'Search', group: 'Navigate' },
  { id: 'conversation.reply', title: 'Reply', group: 'Triage' },
  { id: 'conversation.replyAll', title: 'Reply to all', group: 'Triage' },
  { id: 'conversation.forward', title: 'Forward (email)', group: 'Triage' },
  { id: 'composer.insertSavedReply', title: 'Insert saved reply', group: 'Triage' },
  { id: 'conversation.tag', title: 'Tags…', group: 'Triage' },
  { id: 'conversation.assignMe', title: 'Assign to me (again: unassign; team mode)', group: 'Triage' },
  { id: 'conversation.done', title: 'Mark done', group: 'Triage' },
  { id: 'conversation.snooze', title: 'Snooze…', group: 'Triage' },
  { id: 'conversation.waiting', title: 'Mark waiting for the customer', group: 'Triage' },
  { id: 'conversation.reopen', title: 'Move back to the inbox', group: 'Triage' },
  { id: 'conversation.star', title: 'Star (priority)', group: 'Triage' },
  { id: 'undo', title: 'Undo the last action', group: 'Triage' },
  { id: 'go.inbox', title: 'Go to Inbox', group: 'Go to' },
  { id: 'go.escalated', title: 'Go to Escalated', group: 'Go to' },
  { id: 'go.atRisk', title: 'Go to At risk', group: 'Go to' },
  { id: 'go.reports', title: 'Go to Reports', group: 'Go to' },
  { id: 'go.email', title: 'Go to Email', group: 'Go to' },
  { id: 'go.x', title: 'Go to X', group: 'Go to' },
  { id: 'go.mine', title: 'Go to Assigned to me (team mode)', group: 'Go to' },
  { id: 'go.unassigned', title: 'Go to Unassigned (team mode)', group: 'Go to' },
  { id: 'go.waiting', title: 'Go to Waiting', group: 'Go to' },
  { id: 'go.snoozed', title: 'Go to Snoozed', group: 'Go to' },
  { id: 'go.done', title: 'Go to Done', group: 'Go to' },
  { id: 'go.all', title: 'Go to All conversations', group: 'Go to' },
  { id: 'link.confirm', title: 'Confirm the suggested link', group: 'Triage' },
  { id: 'customer.toggle', title: 'Show or hide the customer panel', group: 'Canary' },
  { id: 'palette.open', title: 'Command palette', group: 'Canary' },
  { id: 'settings.open', title: 'Settings (accounts, keyboard)', group: 'Canary' },
  { id: 'help.cheatsheet', title: 'Keyboard shortcuts', group: 'Canary' },
  { id: 'keys.toggle', title: 'Turn single-key shortcuts on or off', group: 'Canary' },
];

export type Keymap = Record<CommandId, string[]>;

export const DEFAULT_KEYMAP: Keymap = {
  'queue.next': ['j', 'ArrowDown'],
  'queue.prev': ['k', 'ArrowUp'],
  'conversation.open': ['o', 'Enter'],
  'conversation.back': ['u', 'Escape'],
  'conversation.done': ['e'],
  'conversation.star': ['s'],
  'conversation.snooze': ['h'],
  'conversation.waiting': ['w'],
  'conversation.reopen': ['I'],
  'queue.select': ['x'],
  'queue.selectNone': ['*', 'n'],
  'search.focus': ['/'],
  undo: ['z'],
  'help.cheatsheet': ['?'],
  'palette.open': ['mod+k'],
  'customer.toggle': ['c'],
  'link.confirm': ['l'],
  'settings.open': ['g ,'],
  'conversation.reply': ['r'],
  'conversation.replyAll': ['a'],
  'conversation.forward': ['f'],
  // In the reply box too (a chord); ';' typed in an empty reply box opens the same picker.
  'composer.insertSavedReply': ['mod+;'],
  'conversation.tag': ['t'],
  'conversation.assignMe': ['m'],
  'go.inbox': ['g i'],
  'go.escalated': ['g e'],
  'go.atRisk': ['g r'],
  'go.reports': ['g p'],
  'go.email': ['g m'],
  'go.x': ['g x'],
  'go.mine': ['g o'],
  'go.unassigned': ['g u'],
  'go.waiting': ['g w'],
  'go.snoozed': ['g s'],
  'go.done': ['g d'],
  'go.all': ['g a'],
  'keys.toggle': [],
};

/** Commands as the application menu groups them: the menu's label and the command groups it lists. */
export const MENU_SECTIONS: readonly { label: string; groups: readonly CommandGroup[] }[] = [
  { label: 'Go', groups: ['Navigate', 'Go to'] },
  { label: 'Conversation', groups: ['Triage'] },
  { label: 'View', groups: ['Canary'] },
];

const isCommandId = new Set<string>(COMMANDS.map((c) => c.id));
/** A command id from outside (a menu click's message): known ids only. */
export function commandId(v: unknown): CommandId | null {
  return typeof v === 'string' && isCommandId.has(v) ? (v as CommandId) : null;
}

/** How a menu shows a command's key. */
export interface MenuKey {
  /** Electron accelerator ("CmdOrCtrl+K", "J", "Shift+I", "Down"). */
  accelerator?: string;
  /** Whether the menu itself listens for it: only for chords. Single keys stay with the window's keymap (never while typing in a text field). */
  register?: boolean;
  /** Shown after the title where no accelerator can say it: sequences ("G then I"), and single keys on macOS. */
  hint?: string;
}

const NAMED: Record<string, string> = { ArrowDown: 'Down', ArrowUp: 'Up', ArrowLeft: 'Left', ArrowRight: 'Right', Escape: 'Esc', Enter: 'Enter', ' ': 'Space' };

function singleKey(k: string): string | null {
  if (NAMED[k]) return NAMED[k];
  if (/^[a-z0-9]$/.test(k)) return k.toUpperCase();
  if (/^[A-Z]$/.test(k)) return `Shift+${k}`;
  if (/^[!-/:-@[-`{-~]$/.test(k)) return k;
  return null;
}

/**
 * The menu form of a keymap key. Chords are real accelerators; single keys are displayed (Linux,
 * Windows: `registerAccelerator: false`) or, on macOS where a menu would take the key from a text
 * field, written after the title; sequences are always written after the title.
 */
export function menuKey(key: string | undefined, platform: string): MenuKey {
  if (!key) return {};
  const chord = /^mod\+(.+)$/.exec(key);
  if (chord) {
    const k = singleKey(chord[1]!);
    return k ? { accelerator: `CmdOrCtrl+${k}`, register: true } : {};
  }
  const parts = key.split(' ');
  const names = parts.map(singleKey);
  if (names.some((n) => n == null)) return {};
  if (parts.length > 1) return { hint: names.join(' then ') };
  if (platform === 'darwin') return { hint: names[0]! };
  return { accelerator: names[0]!, register: false };
}
