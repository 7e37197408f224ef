// Team mode's commands: m assigns the checked conversations (else the open one) to this copy's
// author, or unassigns them when the first is assigned to them already. Needs team mode.
import { memo } from 'react';
import { notifications } from '@mantine/notifications';
import type { ConversationSummary } from '../../../../shared/domain/types';
import { useCommand } from '../../commands/registry';
import { useClient } from '../../rpc/core';

function say(message: string): void {
  notifications.show({ message, autoClose: 3000, withCloseButton: false, 'aria-label': message });
}

export const TeamCommands = memo(function TeamCommands({ targets }: { targets: () => ConversationSummary[] }) {
  const client = useClient();
  useCommand('conversation.assignMe', () => {
    const t = targets();
    if (!t.length) return false;
    void (async () => {
      try {
        const first = await client.call('team.conversation', { id: t[0]!.id });
        if (!first.enabled) {
          say('Assigning needs team mode (canary team on, or settings.team)');
          return;
        }
        const me = (await client.call('team.list', {})).find((m) => m.you);
        const a = first.assignee;
        const mine = !!a && !!me && (a.address ? a.address === me.address : a.name === me.name);
        await client.call('conversations.assign', { ids: t.map((c) => c.id), assignee: mine ? null : 'me' });
        say(`${mine ? 'Unassigned' : 'Assigned to you'}${t.length > 1 ? ` (${t.length})` : ''}`);
      } catch (e) {
        say((e as Error).message);
      }
    })();
  });
  return null;
});
