// What the window tells the Electron shell (the main process), not the core: sent through the
// preload bridge's invoke with a method of its own, answered by main's IPC handler after the sender
// check (electron/main/ipc.ts), validated here. Today one message: the owner's keys (remapped in
// Settings → Keyboard and kept in the window's storage), so the application menu shows and listens
// for the keys the window uses.
import { z } from 'zod';
import { COMMANDS, type CommandId, type Keymap } from './commands';

export const SHELL_KEYMAP = 'shell.keymap';

/** One key as the keymap writes it ("j", "mod+k", "g i"); never an Alt chord (keys/keymap.ts). */
const key = z
  .string()
  .min(1)
  .max(40)
  .refine((k) => !/^alt\+/i.test(k), 'Alt chords are not used');

export const shellKeymapArgs = z
  .object({
    /** Every command's keys, first one shown in the menu. */
    keymap: z.object(Object.fromEntries(COMMANDS.map((c) => [c.id, z.array(key).max(8)])) as Record<CommandId, z.ZodArray<typeof key>>).strict(),
    /** Whether single-key shortcuts are on (off: the menu shows and listens for chords only). */
    singleKeys: z.boolean(),
  })
  .strict();

export interface ShellKeymap {
  keymap: Keymap;
  singleKeys: boolean;
}

/** The validated message, or the first complaint in words. */
export function parseShellKeymap(args: unknown): { ok: true; value: ShellKeymap } | { ok: false; error: string } {
  const r = shellKeymapArgs.safeParse(args);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  return { ok: false, error: `${issue.path.map(String).join('.') || 'keymap'}: ${issue.message}` };
}
