// The top bar: the search box, the status badges, and buttons for the palette, the customer panel,
// Settings and the keyboard shortcuts (each runs its command through the registry). Memoised: the
// search box alone changes per keystroke; opening a conversation or a result arriving does not
// re-render the bar, its tooltips and buttons.
import { memo } from 'react';
import { ActionIcon, Badge, Group, Kbd, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { keyLabel } from '../keys/keymap';
import { useRunCommand } from '../commands/registry';
import { useConnection, useCore } from '../rpc/core';
import { LinkingStatus, NetworkStatus, SignInStatus } from './StatusBadges';
import { IconKeyboard, IconSearch, IconSettings, IconUser, IconWifiOff } from '../ui/icons';

function ConnectionBadge() {
  const state = useConnection();
  const { transport } = useCore();
  if (state === 'open') return null;
  const never = !transport.everOpened();
  return (
    <Badge color={state === 'closed' ? 'red' : 'gray'} variant="light" leftSection={<IconWifiOff size={12} />} data-testid="offline" role="status">
      {state === 'closed' ? 'Offline: reconnecting…' : never ? 'Connecting…' : 'Reconnecting…'}
    </Badge>
  );
}

const SearchBox = memo(function SearchBox({
  q,
  onQ,
  onKeyDown,
  searching,
  inputRef,
}: {
  q: string;
  onQ: (q: string) => void;
  onKeyDown: (e: React.KeyboardEvent<HTMLInputElement>) => void;
  searching: boolean;
  inputRef: React.Ref<HTMLInputElement>;
}) {
  return (
    <TextInput
      ref={inputRef}
      className="searchbox"
      placeholder="Search messages"
      aria-label="Search messages"
      value={q}
      onChange={(e) => onQ(e.currentTarget.value)}
      onKeyDown={onKeyDown}
      leftSection={<IconSearch size={15} />}
      rightSection={<Kbd size="xs">/</Kbd>}
      rightSectionWidth={34}
      data-testid="search"
      aria-controls={searching ? 'search-results' : undefined}
    />
  );
});

const TopRest = memo(function TopRest({ showCustomer }: { showCustomer: boolean }) {
  const run = useRunCommand();
  return (
    <>
      <ConnectionBadge />
      <NetworkStatus />
      <SignInStatus />
      <LinkingStatus />
      <Group gap={6} ml="auto" wrap="nowrap">
        <Tooltip label="Command palette (Ctrl K)">
          <UnstyledButton className="palette-btn" onClick={() => run('palette.open')} aria-label="Open the command palette">
            <Text size="xs" c="dimmed">
              Commands
            </Text>
            <Kbd size="xs">{keyLabel('mod+k').join(' ')}</Kbd>
          </UnstyledButton>
        </Tooltip>
        <Tooltip label={showCustomer ? 'Hide the customer panel (C)' : 'Show the customer panel (C)'}>
          <ActionIcon variant={showCustomer ? 'light' : 'subtle'} onClick={() => run('customer.toggle')} aria-label="Toggle the customer panel" size="lg">
            <IconUser size={18} />
          </ActionIcon>
        </Tooltip>
        <Tooltip label="Settings (G then ,)">
          <ActionIcon variant="subtle" onClick={() => run('settings.open')} aria-label="Settings" size="lg" data-testid="settings-button">
            <IconSettings size={18} />
          </ActionIcon>
        </Tooltip>
        <Tooltip label="Keyboard shortcuts (?)">
          <ActionIcon variant="subtle" onClick={() => run('help.cheatsheet')} aria-label="Keyboard shortcuts" size="lg" data-testid="help-button">
            <IconKeyboard size={18} />
          </ActionIcon>
        </Tooltip>
      </Group>
    </>
  );
});

export const TopBar = memo(function TopBar({
  q,
  onQ,
  onSearchKey,
  searching,
  searchRef,
  showCustomer,
}: {
  q: string;
  onQ: (q: string) => void;
  onSearchKey: (e: React.KeyboardEvent<HTMLInputElement>) => void;
  searching: boolean;
  searchRef: React.Ref<HTMLInputElement>;
  showCustomer: boolean;
}) {
  return (
    <Group h="100%" px="md" gap="md" wrap="nowrap">
      <Group gap={8} wrap="nowrap" className="brand">
        <span className="brand-mark" aria-hidden>
          ●
        </span>
        <Text fw={700}>Canary</Text>
      </Group>
      <SearchBox q={q} onQ={onQ} onKeyDown={onSearchKey} searching={searching} inputRef={searchRef} />
      <TopRest showCustomer={showCustomer} />
    </Group>
  );
});
