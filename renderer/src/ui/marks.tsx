import type { ConversationSummary, EscalationState, Kind, LinkState } from '../../../shared/domain/types';
import { IconDm, IconFlame, IconLink, IconLinkQuestion, IconMail, IconSpeakerphone, IconX } from './icons';

export function ChannelIcon({ kind, size = 16 }: { kind: Kind; size?: number }) {
  if (kind === 'email') return <IconMail size={size} className="ch ch-email" title="Email" />;
  if (kind === 'dm') return <IconDm size={size} className="ch ch-dm" title="X direct message" />;
  return <IconX size={size - 2} className="ch ch-x" title="Post on X" />;
}

const LINK_TEXT: Record<LinkState, string> = {
  confirmed: 'Linked to an email customer (confirmed)',
  linked: 'Linked to an email customer by Canary',
  suggested: 'A possible link to an email customer waits for review',
  rejected: 'Link rejected',
  unlinked: 'Unlinked',
};

export function LinkMark({ state }: { state: LinkState | null }) {
  if (!state || state === 'rejected' || state === 'unlinked') return null;
  return (
    // A native title (queue rows re-render on every j/k; a Tooltip per row costs more than the row).
    <span className={`linkmark link-${state}`} aria-label={LINK_TEXT[state]} role="img" title={LINK_TEXT[state]}>
      {state === 'suggested' ? <IconLinkQuestion size={13} /> : <IconLink size={13} />}
    </span>
  );
}

/** A conversation's escalation mark: escalated, likely (a suggested customer), public complaint, or none. */
export function escalationStateOf(c: Pick<ConversationSummary, 'escalated' | 'escalation'>): EscalationState | null {
  const s = c.escalation?.state;
  if (c.escalated) return s === 'likely' ? 'likely' : 'escalated';
  return s === 'public_complaint' ? 'public_complaint' : null;
}

export const ESCALATION_LABEL: Record<EscalationState, string> = {
  escalated: 'Escalated',
  likely: 'Likely escalated',
  public_complaint: 'Public complaint',
};

/** The queue row's escalation mark; a likely one names the suggested customer. The reason is its title. */
export function EscalationMark({ c }: { c: Pick<ConversationSummary, 'escalated' | 'escalation'> }) {
  const st = escalationStateOf(c);
  if (!st) return null;
  const who = st === 'likely' ? c.escalation?.suggested?.name || c.escalation?.suggested?.email : null;
  return (
    <span className={`qrow-esc esc-${st}`} title={c.escalation?.reason ?? ESCALATION_LABEL[st]} data-testid="escalation-mark" data-state={st}>
      {st === 'public_complaint' ? <IconSpeakerphone size={12} /> : <IconFlame size={12} />} {st === 'likely' ? `Likely${who ? ` · ${who}?` : ''}` : ESCALATION_LABEL[st]}
    </span>
  );
}
