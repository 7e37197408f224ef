import { memo, Fragment } from 'react';
import { Kbd, Modal, SimpleGrid, Switch, Text } from '@mantine/core';
import { COMMANDS, keyLabel, type CommandGroup, type Keymap } from '../keys/keymap';

const GROUPS: CommandGroup[] = ['Navigate', 'Triage', 'Go to', 'Canary'];

function Keys({ keys }: { keys: string[] }) {
  if (!keys.length)
    return (
      <Text size="xs" c="dimmed">
        —
      </Text>
    );
  return (
    <span className="keys">
      {keys.map((k, i) => (
        <Fragment key={k}>
          {i > 0 ? (
            <Text span size="xs" c="dimmed">
              {' '}
              or{' '}
            </Text>
          ) : null}
          {keyLabel(k).map((part, j) => (
            <Fragment key={j}>
              {j > 0 ? (
                <Text span size="xs" c="dimmed">
                  {' '}
                  then{' '}
                </Text>
              ) : null}
              <Kbd size="xs">{part}</Kbd>
            </Fragment>
          ))}
        </Fragment>
      ))}
    </span>
  );
}

function CheatSheetView({ opened, onClose, keymap, keysEnabled, onToggleKeys }: { opened: boolean; onClose: () => void; keymap: Keymap; keysEnabled: boolean; onToggleKeys: (on: boolean) => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="xl" closeButtonProps={{ 'aria-label': 'Close' }} data-testid="cheatsheet">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
        {GROUPS.map((g) => (
          <div key={g}>
            <Text fw={650} size="sm" mb={6}>
              {g}
            </Text>
            <table className="cheats">
              <tbody>
                {COMMANDS.filter((c) => c.group === g).map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Text size="sm">{c.title}</Text>
                    </td>
                    <td>
                      <Keys keys={keymap[c.id]} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </SimpleGrid>
      <Switch
        mt="lg"
        checked={keysEnabled}
        onChange={(e) => onToggleKeys(e.currentTarget.checked)}
        label="Single-key shortcuts (turn off if they get in the way of a screen reader or another tool; Ctrl/⌘ K still works)"
      />
    </Modal>
  );
}

export const CheatSheet = memo(CheatSheetView);
