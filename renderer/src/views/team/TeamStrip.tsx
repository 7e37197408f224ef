// Team mode beside the open conversation: who it is assigned to, who else is replying right now
// (their composer is open: a "replying" claim, shared through the team log), and the shared note.
// Nothing when team mode is off.
import { memo } from 'react';
import { Badge, Group, Text } from '@mantine/core';
import type { ConversationSummary } from '../../../../shared/domain/types';
import { IconUser } from '../../ui/icons';
import { fullTime } from '../../lib/time';
import './team.css';
import { replyingText, useTeamConversation } from './useTeamConversation';

export const TeamStrip = memo(function TeamStrip({ c }: { c: ConversationSummary }) {
  const team = useTeamConversation(c.id);
  if (!team?.enabled) return null;
  const replying = team.replying.map((r) => r.person.name || r.person.address);
  if (!replying.length && !team.assignee && !team.note) return null;
  return (
    <div className="team-strip" data-testid="team-strip" role="note">
      {replying.length ? (
        <Group gap={6} className="team-replying" data-testid="team-replying" aria-live="polite">
          <IconUser size={14} />
          <Text size="sm" fw={600}>
            {replyingText(replying)}
          </Text>
          <Text size="xs" c="dimmed">
            (their reply is not sent yet: answering now may answer twice)
          </Text>
        </Group>
      ) : null}
      {team.assignee || team.note ? (
        <Group gap={6} mt={replying.length ? 4 : 0}>
          {team.assignee ? (
            <Badge size="sm" variant="light" color="indigo" data-testid="team-assignee">
              Assigned to {team.assignee.name || team.assignee.address}
            </Badge>
          ) : null}
          {team.note ? (
            <Text size="xs" data-testid="team-note" title={`${team.note.by.name || team.note.by.address}, ${fullTime(team.note.at)}`}>
              Note: {team.note.text}
            </Text>
          ) : null}
        </Group>
      ) : null}
    </div>
  );
});
