// Tells the Electron shell which keys the window uses (the owner's remaps, single keys on or off),
// so the application menu shows and listens for those keys (shared/shell.ts, electron/main/menu.ts).
// The browser host has no application menu and no bridge: nothing is sent there.
import { SHELL_KEYMAP, type ShellKeymap } from '../../../shared/shell';

type Bridge = NonNullable<Window['canary']>;

export function tellShellKeys(keys: ShellKeymap, bridge: Bridge | undefined = typeof window === 'undefined' ? undefined : window.canary): Promise<void> {
  if (!bridge) return Promise.resolve();
  return bridge.invoke(SHELL_KEYMAP, keys).then(
    (r) => {
      if (!r.ok) console.warn(`canary: the menu keeps its keys (${r.error.message})`);
    },
    () => undefined, // the window is closing
  );
}
