// The window's keyboard: one key dispatcher for the window running commands through the registry,
// and the application menu and the tray (Electron shell), which run commands by id as their keys would
// and are told the owner's keys (menuKeys.ts).
import { useCallback, useEffect, useRef } from 'react';
import { flushSync } from 'react-dom';
import { commandId } from '../../../shared/commands';
import type { CommandRegistry } from '../commands/registry';
import { paletteStore } from '../commands/palette';
import { useCoreEvent } from '../rpc/core';
import { KeyDispatcher, type CommandId, type Keymap } from './keymap';
import { tellShellKeys } from './menuKeys';

export function useWindowKeys(registry: CommandRegistry, keymap: Keymap, keysEnabled: boolean): void {
  const enabledRef = useRef(keysEnabled);
  useEffect(() => {
    enabledRef.current = keysEnabled;
  }, [keysEnabled]);
  const runCommand = useCallback(
    (id: CommandId) => {
      // While a dialog is open only the palette and the cheat sheet toggle pass through.
      if (registry.modalOpen() && id !== 'palette.open' && id !== 'help.cheatsheet') return false;
      if (paletteStore.getState().opened && id !== 'palette.open') return false;
      // Commit what the command changed before the next key is read: fast typing (j j j) under
      // load must never act on a render that has not happened yet.
      let handled = false;
      flushSync(() => {
        handled = registry.run(id);
      });
      return handled;
    },
    [registry],
  );
  useEffect(() => {
    const d = new KeyDispatcher(keymap, runCommand, () => enabledRef.current);
    window.addEventListener('keydown', d.handle);
    return () => window.removeEventListener('keydown', d.handle);
  }, [keymap, runCommand]);
  // The application menu shows and listens for the keys the window uses.
  useEffect(() => void tellShellKeys({ keymap, singleKeys: keysEnabled }), [keymap, keysEnabled]);
  useCoreEvent(
    'command.run',
    useCallback(
      ({ id }: { id: string }) => {
        const cmd = commandId(id);
        if (cmd) runCommand(cmd);
      },
      [runCommand],
    ),
  );
}
