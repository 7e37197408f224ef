import type { Kind, LinkState } from '../../../shared/domain/types';
import { IconDm, IconLink, IconLinkQuestion, IconMail, IconX } from './icons';

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
