// The command registry: the component that owns a command registers its handler with
// useCommand(id, handler, { when }) for as long as it is mounted; the keymap, the command palette
// (and later the application menu) run commands by id through the same registry and read their
// titles from it. Ids and titles are data (keys/keymap.ts COMMANDS); handlers live beside the state
// they act on. When several components register one id, the latest mounted whose `when` holds runs.
import { createContext, useContext, useLayoutEffect, useRef } from 'react';
import { COMMANDS, type CommandId, type CommandInfo } from '../keys/keymap';

/** A handler returns false when it did nothing (the key is then left to the browser). */
export type CommandHandler = () => boolean | void;

interface Entry {
  handler: { current: CommandHandler };
  when: { current: (() => boolean) | undefined };
}

export class CommandRegistry {
  private handlers = new Map<CommandId, Entry[]>();
  private modals = new Set<object>();

  /** Every command the window knows, in the catalogue's order (ids, titles, groups). */
  readonly catalogue: readonly CommandInfo[] = COMMANDS;

  register(id: CommandId, entry: Entry): () => void {
    const list = this.handlers.get(id) ?? [];
    list.push(entry);
    this.handlers.set(id, list);
    return () => {
      const l = this.handlers.get(id);
      if (!l) return;
      const i = l.indexOf(entry);
      if (i >= 0) l.splice(i, 1);
    };
  }

  /** True when some handler for `id` is registered and its `when` holds. */
  enabled(id: CommandId): boolean {
    return this.find(id) != null;
  }

  private find(id: CommandId): Entry | undefined {
    const list = this.handlers.get(id);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const e = list[i]!;
      if (!e.when.current || e.when.current()) return e;
    }
    return undefined;
  }

  /** Run a command; false when nothing handled it. */
  run = (id: CommandId): boolean => {
    const e = this.find(id);
    if (!e) return false;
    return e.handler.current() !== false;
  };

  /** A dialog holds the keyboard while open (see useModalOpen). */
  setModal(owner: object, open: boolean): void {
    if (open) this.modals.add(owner);
    else this.modals.delete(owner);
  }

  modalOpen(): boolean {
    return this.modals.size > 0;
  }
}

const RegistryContext = createContext<CommandRegistry | null>(null);
export const CommandsProvider = RegistryContext.Provider;

export function useCommands(): CommandRegistry {
  const r = useContext(RegistryContext);
  if (!r) throw new Error('useCommands outside CommandsProvider');
  return r;
}

/** Run a command by id (buttons that stand for a command). */
export function useRunCommand(): (id: CommandId) => boolean {
  return useCommands().run;
}

/**
 * Register `handler` for `id` while the calling component is mounted. The latest handler and
 * `when` are used at run time, so passing new closures each render costs nothing.
 */
export function useCommand(id: CommandId, handler: CommandHandler, opts?: { when?: () => boolean }): void {
  const registry = useCommands();
  const handlerRef = useRef(handler);
  const whenRef = useRef(opts?.when);
  // Layout effects run with the commit, before the browser handles the next event: a key pressed
  // right after a render always finds this render's handler and `when`, never the previous ones.
  useLayoutEffect(() => {
    handlerRef.current = handler;
    whenRef.current = opts?.when;
  });
  useLayoutEffect(() => registry.register(id, { handler: handlerRef, when: whenRef }), [registry, id]);
}

/** Mark a dialog open: while any is, the keymap passes only the palette and the cheat sheet. */
export function useModalOpen(open: boolean): void {
  const registry = useCommands();
  const owner = useRef({});
  useLayoutEffect(() => {
    const o = owner.current;
    registry.setModal(o, open);
    return () => registry.setModal(o, false);
  }, [registry, open]);
}
