// The open conversation's response goal (which goal, where it comes from, what it is counted from,
// due or overdue, whether the clock is paused) and, when it is at risk, the reasons with each
// factor's points.
import { memo } from 'react';
import { Text } from '@mantine/core';
import type { ConversationSummary } from '../../../shared/domain/types';
import { useGoal, useRiskOf } from '../state/goals';
import { waitingSince } from '../ui/QueueRow';
import { dueText, goalDuration, goalLength, goalName, PAUSE_TEXT, signedPoints, SOURCE_TEXT } from '../ui/goalMarks';
import { IconAlertTriangle, IconClock } from '../ui/icons';
import { fullTime } from '../lib/time';

export const GoalPanel = memo(function GoalPanel({ c }: { c: ConversationSummary }) {
  const goal = useGoal(c.id, waitingSince(c) != null && c.status !== 'done');
  const risk = useRiskOf(c.id);
  if (!goal) return null;
  const state = goal.overdueMs > 0 ? 'overdue' : 'due';
  return (
    <div className="goal-panel" data-testid="goal-panel" data-state={state} role="note">
      <div className="goal-line">
        <IconClock size={15} style={{ flex: 'none' }} />
        <Text size="sm" fw={600} data-testid="goal-due" className={`goal-${state}-text`}>
          {dueText(goal).replace(/^./, (x) => x.toUpperCase())}
        </Text>
        <Text size="sm" data-testid="goal-what">
          {goalName(goal)} {goalLength(goal.goalMs)} ({SOURCE_TEXT[goal.source]})
        </Text>
      </div>
      <Text size="xs" c="dimmed" data-testid="goal-since">
        Counted from the customer&apos;s oldest unanswered message, {fullTime(goal.since)}: waited {goal.waitedMs < 60_000 ? 'less than a minute' : goalDuration(goal.waitedMs)}
        {goal.dueAt != null ? `; due ${fullTime(goal.dueAt)}` : ''}.
      </Text>
      <Text size="xs" c={goal.paused ? 'grape.8' : 'dimmed'} data-testid="goal-clock">
        {goal.paused ? `Clock paused: ${PAUSE_TEXT[goal.paused]}.` : 'Clock running.'}
      </Text>
      {risk ? (
        <div className="risk-box" data-testid="risk-reasons">
          <Text size="sm" fw={700} className="risk-head">
            <IconAlertTriangle size={14} /> At risk of going public: {Math.round(risk.risk)} of 100
          </Text>
          <ul className="risk-factors">
            {risk.factors.map((f) => (
              <li key={f.factor} data-testid="risk-factor" data-factor={f.factor}>
                <span className="risk-points">{signedPoints(f.points)}</span> <span>{f.reason}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
});
