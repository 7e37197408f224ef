// One conversation as a line in the customer panel (timeline, "On X"): channel, title, escalation
// mark, status and time; a click opens it.
import { Anchor } from '@mantine/core';
import type { ConversationSummary } from '../../../shared/domain/types';
import { fullTime, messageTime } from '../lib/time';
import { IconFlame } from './icons';
import { ChannelIcon } from './marks';
import { titleOf } from './QueueRow';

export function ConversationLink({ c, current, onOpen, testId }: { c: ConversationSummary; current: boolean; onOpen: (id: number) => void; testId: string }) {
  return (
    <Anchor
      component="button"
      className="cust-conv"
      data-current={current || undefined}
      onClick={() => onOpen(c.id)}
      data-testid={testId}
      underline="never"
      // A native title, not a Tooltip: 25 floating tooltips cost more to mount than the rest of the panel.
      title={`${c.status} · last ${fullTime(c.lastMessageAt)}`}
    >
      <ChannelIcon kind={c.kind} size={14} />
      <span className="cust-conv-title">{titleOf(c)}</span>
      {c.escalated ? <IconFlame size={12} className="cust-conv-esc" /> : null}
      <span className={`cust-conv-status st-${c.status}`}>{c.status}</span>
      <span className="cust-conv-time">{messageTime(c.lastMessageAt)}</span>
    </Anchor>
  );
}
