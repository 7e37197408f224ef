import { memo } from 'react';
import type { ConversationSummary } from '../../../shared/domain/types';
import { fullTime, longDuration, messageTime, shortDuration } from '../lib/time';
import { ChannelIcon, EscalationMark, escalationStateOf, LinkMark } from './marks';
import { IconStarFilled } from './icons';
import { GoalMark, RiskMark } from './goalMarks';
import { useGoal, useRiskOf } from '../state/goals';

/** Waiting = the customer wrote last and nobody has answered since. */
export function waitingSince(c: ConversationSummary): number | null {
  if (c.lastInboundAt == null) return null;
  if (c.lastOutboundAt != null && c.lastOutboundAt >= c.lastInboundAt) return null;
  return c.lastInboundAt;
}

export function titleOf(c: ConversationSummary): string {
  if (c.kind === 'email') return c.subject || '(no subject)';
  return c.snippet || c.subject || (c.kind === 'dm' ? 'Direct message' : 'Post');
}

function ageClass(ms: number): string {
  if (ms >= 3 * 86_400_000) return 'age-old';
  if (ms >= 86_400_000) return 'age-day';
  return 'age-fresh';
}

interface Props {
  c: ConversationSummary;
  index: number;
  active: boolean;
  checked: boolean;
  now: number;
  onClick: (index: number, e: React.MouseEvent) => void;
}

export const QueueRow = memo(function QueueRow({ c, index, active, checked, now, onClick }: Props) {
  const since = waitingSince(c);
  // The goal (fetched with the other rows on screen) for a conversation waiting on the business.
  const goal = useGoal(c.id, since != null && c.status !== 'done');
  const risk = useRiskOf(c.id);
  const name = c.customerName || c.customerAddress || 'Unknown';
  const title = titleOf(c);
  const body = c.kind === 'email' ? c.snippet : '';
  return (
    <div
      className="qrow"
      role="option"
      id={`conv-${c.id}`}
      aria-selected={active}
      data-active={active || undefined}
      data-checked={checked || undefined}
      data-unread={c.unread || undefined}
      data-escalated={c.escalated || undefined}
      data-escalation={escalationStateOf(c) ?? undefined}
      data-risk={risk?.risk}
      data-testid="queue-row"
      data-conversation-id={c.id}
      onClick={(e) => onClick(index, e)}
    >
      <div className="qrow-icon">
        <ChannelIcon kind={c.kind} />
      </div>
      <div className="qrow-main">
        <div className="qrow-line1">
          <span className="qrow-name">{name}</span>
          {c.channel === 'x' && c.customerAddress.startsWith('@') ? <span className="qrow-handle">{c.customerAddress}</span> : null}
          {c.messageCount > 1 ? <span className="qrow-count">{c.messageCount}</span> : null}
          <span className="qrow-spacer" />
          {c.priority > 0 ? <IconStarFilled size={13} className="qrow-star" title="Starred" /> : null}
          <LinkMark state={c.linkState} />
          {goal ? (
            <GoalMark g={goal} />
          ) : since != null ? (
            // A native title, not a Tooltip: rows re-render on every j/k and mount while scrolling.
            <span className={`qrow-wait ${ageClass(now - since)}`} title={`Waiting for an answer for ${longDuration(now - since)} (since ${fullTime(since)})`}>
              {shortDuration(now - since)}
            </span>
          ) : (
            <span className="qrow-time" title={fullTime(c.lastMessageAt)}>
              {messageTime(c.lastMessageAt, now)}
            </span>
          )}
        </div>
        <div className="qrow-line2">
          <EscalationMark c={c} />
          {risk ? <RiskMark r={risk} /> : null}
          <span className="qrow-title">{title}</span>
        </div>
        {body ? <div className="qrow-line3">{body}</div> : null}
      </div>
    </div>
  );
});

export function QueueRowSkeleton() {
  return (
    <div className="qrow qrow-skeleton" aria-hidden>
      <div className="qrow-icon" />
      <div className="qrow-main">
        <div className="sk sk-1" />
        <div className="sk sk-2" />
      </div>
    </div>
  );
}
