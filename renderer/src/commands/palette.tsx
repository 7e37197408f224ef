// The command palette (Ctrl/⌘ K): the registry's catalogue (ids, titles, groups) with each
// command's first key from the keymap; picking one runs it through the registry.
import { memo, useMemo } from 'react';
import { Kbd } from '@mantine/core';
import { Spotlight, createSpotlight, type SpotlightActionData } from '@mantine/spotlight';
import { keyLabel, type Keymap } from '../keys/keymap';
import { useCommands } from './registry';

export const [paletteStore, palette] = createSpotlight();

export const Palette = memo(function Palette({ keymap }: { keymap: Keymap }) {
  const registry = useCommands();
  const actions: SpotlightActionData[] = useMemo(
    () =>
      registry.catalogue
        .filter((c) => c.id !== 'palette.open')
        .map((c) => ({
          id: c.id,
          label: c.title,
          description: c.group,
          rightSection: keymap[c.id][0] ? <Kbd size="xs">{keyLabel(keymap[c.id][0]!).join(' ')}</Kbd> : undefined,
          onClick: () => {
            // Let the palette close before the command moves focus.
            setTimeout(() => registry.run(c.id), 0);
          },
        })),
    [keymap, registry],
  );
  return (
    <Spotlight
      store={paletteStore}
      actions={actions}
      shortcut={null}
      nothingFound="No command matches"
      highlightQuery
      limit={30}
      scrollable
      maxHeight={420}
      searchProps={{ placeholder: 'Type a command…', 'aria-label': 'Command' }}
    />
  );
});
