// The views with their counts, in the navigation column.
import { memo } from 'react';
import { NavLink, Text } from '@mantine/core';
import type { ConversationCounts } from '../../../shared/contract/api';
import { VIEWS, type ViewId } from '../state/views';
import { IconAlertTriangle, IconChart, IconCircleCheck, IconFlame, IconHourglass, IconInbox, IconLayers, IconMail, IconSnooze, IconUser, IconX } from '../ui/icons';
import { useTeamEnabled } from './team/useTeamEnabled';

const VIEW_ICON: Record<ViewId, React.ReactNode> = {
  inbox: <IconInbox size={16} />,
  escalated: <IconFlame size={16} />,
  'at-risk': <IconAlertTriangle size={16} />,
  email: <IconMail size={16} />,
  x: <IconX size={14} />,
  mine: <IconUser size={16} />,
  unassigned: <IconUser size={16} />,
  waiting: <IconHourglass size={16} />,
  snoozed: <IconSnooze size={16} />,
  done: <IconCircleCheck size={16} />,
  all: <IconLayers size={16} />,
};

export const ViewNav = memo(function ViewNav({
  counts,
  atRisk,
  active,
  onPick,
  reports,
  onReports,
}: {
  counts: ConversationCounts | null;
  /** The At risk view's count (state/goals.ts). */
  atRisk: number | null;
  active: ViewId | null;
  onPick: (v: ViewId) => void;
  /** Whether the Reports view is open (then no queue view is active). */
  reports: boolean;
  onReports: () => void;
}) {
  // Assigned to me and Unassigned only in team mode.
  const team = useTeamEnabled();
  const views = team ? VIEWS : VIEWS.filter((v) => v.group !== 'team');
  return (
    <>
      {views.map((v, i) => {
        const n = v.count === 'atRisk' ? atRisk : counts?.[v.count];
        const prev = views[i - 1];
        return (
          <div key={v.id}>
            {prev && prev.group !== v.group ? <div className="nav-sep" /> : null}
            <NavLink
              label={v.label}
              leftSection={VIEW_ICON[v.id]}
              rightSection={
                n != null && n > 0 ? (
                  <Text
                    size="xs"
                    c={v.id === 'escalated' ? 'red' : v.id === 'at-risk' ? '#a84300' : 'dimmed'}
                    fw={v.id === 'escalated' || v.id === 'at-risk' ? 700 : 500}
                    data-testid={`count-${v.id}`}
                  >
                    {n.toLocaleString()}
                  </Text>
                ) : null
              }
              active={active === v.id}
              onClick={() => onPick(v.id)}
              data-testid={`view-${v.id}`}
              className="nav-link"
            />
          </div>
        );
      })}
      <div className="nav-sep" />
      <NavLink label="Reports" leftSection={<IconChart size={16} />} active={reports} onClick={onReports} data-testid="view-reports" className="nav-link" />
    </>
  );
});
