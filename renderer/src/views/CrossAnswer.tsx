// The cross-channel answer in the composer (replies.counterpart, replies.sendBoth): on an escalated
// or likely X conversation the composer also holds the email answer to the customer's thread (with
// the thread's subject), and on an email thread whose customer has an open X conversation it offers
// "Also reply on X" (a public reply or a DM, prefilled with the escalation default, with X's length
// count and the private-data warning). One Send queues both; each part then shows in the outbox with
// its own state, and both conversations move to the status chosen here.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Checkbox, Group, SegmentedControl, Text, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ConversationSummary } from '../../../shared/domain/types';
import type { ReplyCounterpartView, XReplyCheckView } from '../../../shared/contract/replies';
import { useClient } from '../rpc/core';

const OTHER_PREFIX = 'canary.draft.other.';

function loadOther(id: number): string {
  try {
    return localStorage.getItem(OTHER_PREFIX + id) ?? '';
  } catch {
    return '';
  }
}

function saveOther(id: number, text: string | null): void {
  try {
    if (text && text.trim()) localStorage.setItem(OTHER_PREFIX + id, text);
    else localStorage.removeItem(OTHER_PREFIX + id);
  } catch {
    // storage full or unavailable: the text stays in the box
  }
}

/** '"Maria Kowalski" <maria@…>' as people write it: Maria Kowalski <maria@…>. */
function unquoteName(address: string): string {
  return address.replace(/^"((?:[^"\\]|\\.)*)"\s*</, (_, name: string) => `${name.replace(/\\(.)/g, '$1')} <`);
}

/** The length count in words: what is left, or why it cannot be sent (the core's problem codes). */
export function lengthText(l: XReplyCheckView['length'], dm: boolean): string {
  if (l.problem === 'empty') return dm ? 'Write a message first.' : 'Write a reply first.';
  if (l.problem === 'too_long') return `${-l.remaining} character${l.remaining === -1 ? '' : 's'} too long: ${dm ? `a message takes ${l.maxLength}` : `X takes ${l.maxLength} (links count 23 each)`}.`;
  if (l.problem === 'invalid_characters') return 'X does not accept some characters in this text.';
  return `${l.remaining} characters left`;
}

/** X's length count and the private-data warning of a draft, with the owner's "Post anyway". */
export function XCheckNotes({
  check,
  dm,
  confirmed,
  onConfirm,
  testId = 'private-warning',
}: {
  check: XReplyCheckView | null;
  dm: boolean;
  confirmed: boolean;
  onConfirm: () => void;
  testId?: string;
}) {
  if (!check) return null;
  return (
    <>
      <Text size="xs" c={check.length.valid ? 'dimmed' : 'red'} mt={4} data-testid={`${testId}-length`}>
        {lengthText(check.length, dm)}
      </Text>
      {check.needsConfirmation ? (
        <Alert color="orange" mt={6} p={8} title="This may be private" data-testid={testId}>
          <Text size="xs">
            {check.private.warnings.map((w) => `${w.value} (${w.kind}, seen in a private ${w.seenIn[0]?.kind === 'dm' ? 'DM' : 'email'})`).join(', ')} would be
            {dm ? ' sent' : ' posted publicly'}.
          </Text>
          <Button size="compact-xs" mt={6} variant="light" color="orange" onClick={onConfirm} disabled={confirmed}>
            {confirmed ? 'Will post anyway' : 'Post anyway'}
          </Button>
        </Alert>
      ) : null}
    </>
  );
}

/** X's check of a draft as it is typed (replies.check), or null while there is nothing to check. */
export function useXCheck(conversationId: number | null, text: string): XReplyCheckView | null {
  const client = useClient();
  const [last, setLast] = useState<XReplyCheckView | null>(null);
  const active = conversationId !== null && !!text.trim();
  useEffect(() => {
    if (!active || conversationId === null) return;
    let live = true;
    const t = setTimeout(() => {
      client.call('replies.check', { channel: 'x', conversationId, text }).then(
        (r) => live && setLast(r),
        () => live && setLast(null),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [client, conversationId, text, active]);
  return active ? last : null;
}

export interface CrossAnswer {
  /** Both parts go with the next Send. */
  on: boolean;
  /** The other part cannot go as it is (empty, too long for X, private data not confirmed). */
  blocked: boolean;
  /** The other part, its toggle and the status choice, for the composer to show. */
  element: ReactNode;
  /** Queue both (replies.sendBoth); resolves with the sentence to show. */
  send(main: { text: string; all: boolean; confirmPrivate: boolean; idempotencyKey: string }): Promise<string>;
  /** Forget the other part's draft (the composer's Discard). */
  discard(): void;
  /** The text the reply box itself was prefilled with (the escalation default on the X side), or null. */
  prefilled: string | null;
}

/**
 * The cross-channel part of the composer of `c` while it is open. On the X side the main text is the
 * X reply: it is filled with the default when empty (`setMainText`).
 */
export function useCrossAnswer(c: ConversationSummary, open: boolean, mainText: string, setMainText: (t: string) => void): CrossAnswer {
  const client = useClient();
  const { data: cp } = useQuery({
    queryKey: ['conversation', 'counterpart', c.id],
    queryFn: async (): Promise<ReplyCounterpartView | null> => client.call('replies.counterpart', { conversationId: c.id }).catch(() => null),
    enabled: open,
  });
  const fromX = c.channel === 'x';
  const [on, setOn] = useState(fromX);
  const [other, setOther] = useState(() => loadOther(c.id));
  const [status, setStatus] = useState<'waiting' | 'done'>('waiting');
  const [otherConfirm, setOtherConfirm] = useState(false);
  const filled = useRef(false);
  const active = !!cp && on;

  // The X reply starts from the escalation default (the X side's own box, or the X part).
  useEffect(() => {
    if (!cp || !open || filled.current) return;
    filled.current = true;
    if (fromX && !mainText.trim()) setMainText(cp.defaultXText);
  }, [cp, open, fromX, mainText, setMainText]);
  useEffect(() => {
    const t = setTimeout(() => saveOther(c.id, other), 300);
    return () => clearTimeout(t);
  }, [c.id, other]);

  const xCheck = useXCheck(cp && on && !fromX ? cp.x.conversationId : null, other);
  const blocked = active && (!other.trim() || (!fromX && !!xCheck && (!xCheck.length.valid || (xCheck.needsConfirmation && !otherConfirm))));

  const send: CrossAnswer['send'] = async (main) => {
    if (!cp) throw new Error('Nothing to answer on the other channel.');
    const r = await client.call('replies.sendBoth', {
      email: fromX ? { conversationId: cp.email.conversationId, text: other } : { conversationId: c.id, text: main.text, all: main.all },
      x: fromX ? { conversationId: c.id, text: main.text, confirmPrivate: main.confirmPrivate } : { conversationId: cp.x.conversationId, text: other, confirmPrivate: otherConfirm },
      status,
      confirmLink: !!cp.confirmsLink,
      idempotencyKey: `both-${main.idempotencyKey}`,
    });
    discard();
    return `Answer queued: email to ${r.email.to.map(unquoteName).join(', ')} and ${r.x.kind === 'dm' ? 'a DM' : 'a reply'} to ${r.x.to}; both ${r.status === 'done' ? 'marked done' : 'waiting'}`;
  };

  const discard = () => {
    setOther('');
    saveOther(c.id, null);
    setOtherConfirm(false);
  };
  if (!cp) return { on: false, blocked: false, element: null, send, discard, prefilled: null };
  const xWhat = cp.x.kind === 'dm' ? 'DM' : 'public reply';
  const element = (
    <div className="cross-answer" data-testid="cross-answer">
      <Checkbox
        size="xs"
        mt={8}
        checked={on}
        onChange={(e) => {
          const checked = e.currentTarget.checked;
          setOn(checked);
          // The X part starts from the escalation default when it is switched on empty.
          if (checked && !fromX && !other.trim()) setOther(cp.defaultXText);
        }}
        label={fromX ? `Also answer by email (${cp.email.subject})` : `Also reply on X (${xWhat} to ${cp.x.to})`}
        data-testid="cross-toggle"
      />
      {active ? (
        <>
          {fromX ? (
            <>
              <Text size="xs" mt={6} c="dimmed" data-testid="cross-email-head">
                Email to {cp.email.to || cp.email.customerName} · {cp.email.subject}
              </Text>
              <Textarea
                value={other}
                onChange={(e) => setOther(e.currentTarget.value)}
                autosize
                minRows={3}
                maxRows={12}
                placeholder={`Write the email answer to ${cp.email.customerName || cp.email.to}…`}
                aria-label={`Email answer: ${cp.email.subject}`}
                data-testid="cross-email-text"
              />
            </>
          ) : (
            <>
              <Text size="xs" mt={6} c="dimmed" data-testid="cross-x-head">
                {cp.x.kind === 'dm' ? 'Direct message' : 'Public reply'} to {cp.x.to} on X
              </Text>
              <Textarea value={other} onChange={(e) => setOther(e.currentTarget.value)} autosize minRows={2} maxRows={6} aria-label={`Reply on X to ${cp.x.to}`} data-testid="cross-x-text" />
              <XCheckNotes check={xCheck} dm={cp.x.kind === 'dm'} confirmed={otherConfirm} onConfirm={() => setOtherConfirm(true)} testId="cross-private-warning" />
            </>
          )}
          {cp.confirmsLink ? (
            <Alert color="orange" mt={6} p={8} data-testid="cross-confirms-link">
              <Text size="xs">
                Likely escalation: sending confirms that this X account is {cp.confirmsLink.name || cp.confirmsLink.email} ({cp.confirmsLink.email}).
              </Text>
            </Alert>
          ) : null}
          <Group gap={8} mt={8}>
            <Text size="xs" c="dimmed" id={`cross-status-${c.id}`}>
              After sending, both conversations are
            </Text>
            <SegmentedControl
              size="xs"
              value={status}
              onChange={(v) => setStatus(v === 'done' ? 'done' : 'waiting')}
              data={[
                { value: 'waiting', label: 'Waiting' },
                { value: 'done', label: 'Done' },
              ]}
              aria-labelledby={`cross-status-${c.id}`}
              data-testid="cross-status"
            />
          </Group>
        </>
      ) : null}
    </div>
  );
  // The reply box's own prefill (the escalation default on the X side): a saved reply picked while the box still holds just it replaces it.
  return { on: active, blocked, element, send, discard, prefilled: fromX ? cp.defaultXText : null };
}
