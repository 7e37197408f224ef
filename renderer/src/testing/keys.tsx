// The window's keyboard in component tests: the key dispatcher App.tsx installs (default keymap),
// running commands through the test's command registry, and a key press as the window receives it.
import { useEffect } from 'react';
import { act, fireEvent } from '@testing-library/react';
import { useCommands } from '../commands/registry';
import { DEFAULT_KEYMAP, KeyDispatcher } from '../keys/keymap';

export function WindowKeys(): null {
  const registry = useCommands();
  useEffect(() => {
    const d = new KeyDispatcher(DEFAULT_KEYMAP, registry.run, () => true);
    window.addEventListener('keydown', d.handle);
    return () => window.removeEventListener('keydown', d.handle);
  }, [registry]);
  return null;
}

/** Press one key (as the window's keydown listener sees it), or a chord with `mod`. */
export function press(key: string, target: Element | Window = window, opts: { mod?: boolean } = {}): void {
  act(() => void fireEvent.keyDown(target, { key, ctrlKey: !!opts.mod }));
}
