import { memo, useEffect, useRef, useState } from 'react';
import { Badge, Button, Group, Kbd, Loader, Text, Tooltip } from '@mantine/core';
import { ErrorLine } from '../ui/ErrorLine';
import type { ConversationDetail, ConversationSummary, EscalationState, Message } from '../../../shared/domain/types';
import type { CommandId } from '../keys/keymap';
import { useRunCommand } from '../commands/registry';
import { fullTime, longDuration, messageTime } from '../lib/time';
import { ChannelIcon, ESCALATION_LABEL, escalationStateOf } from '../ui/marks';
import { IconArrowBack, IconCheck, IconFlame, IconHourglass, IconInbox, IconSnooze, IconSpeakerphone, IconStar, IconStarFilled } from '../ui/icons';
import { HtmlBody, TextBody } from './EmailBody';
import { LinkedText } from '../ui/Links';
import { titleOf } from '../ui/QueueRow';
import { ReplyArea } from './Composer';
import './ConversationPane.css';
import { Attachments } from './Attachments';
import { TagBadges } from './TagDialog';
import { GoalPanel } from './GoalPanel';
import { TeamStrip } from './team/TeamStrip';

const STATUS_COLOR = { open: 'blue', waiting: 'grape', snoozed: 'orange', done: 'teal' } as const;

function initials(name: string): string {
  const parts = name
    .replace(/[@<>"]/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase();
}

/** One action button; its props are constants, so switching conversations does not re-render it. */
const Action = memo(function Action({ label, keys, icon, cmd, testId }: { label: string; keys: string; icon: React.ReactNode; cmd: CommandId; testId: string }) {
  const run = useRunCommand();
  return (
    <Tooltip
      label={
        <>
          {label} <Kbd size="xs">{keys}</Kbd>
        </>
      }
      openDelay={300}
    >
      <Button variant="default" size="compact-sm" leftSection={icon} onClick={() => run(cmd)} data-testid={testId}>
        {label}
      </Button>
    </Tooltip>
  );
});

const ICON_DONE = <IconCheck size={14} />;
const ICON_REOPEN = <IconInbox size={14} />;
const ICON_REPLY = <IconArrowBack size={14} />;
const ICON_SNOOZE = <IconSnooze size={14} />;
const ICON_WAITING = <IconHourglass size={14} />;
const ICON_STAR = <IconStar size={14} />;
const ICON_UNSTAR = <IconStarFilled size={14} />;

const ESC_COLOR: Record<EscalationState, string> = { escalated: 'red', likely: 'orange', public_complaint: 'grape' };

function Header({ c }: { c: ConversationSummary }) {
  const esc = escalationStateOf(c);
  return (
    <div className="conv-head">
      <div className="conv-title-row">
        <ChannelIcon kind={c.kind} size={18} />
        <Text component="h2" className="conv-title" data-testid="conversation-title">
          {c.kind === 'email' ? c.subject || '(no subject)' : c.kind === 'dm' ? `Direct messages with ${c.customerName}` : `Posts from ${c.customerName}`}
        </Text>
      </div>
      <Group gap={6} mt={6} wrap="wrap">
        <Badge size="sm" variant="light" color={STATUS_COLOR[c.status]}>
          {c.status === 'snoozed' && c.snoozeUntil ? `Snoozed until ${messageTime(c.snoozeUntil)}` : c.status}
        </Badge>
        {esc ? (
          <Badge
            size="sm"
            color={ESC_COLOR[esc]}
            variant={esc === 'escalated' ? 'filled' : 'light'}
            leftSection={esc === 'public_complaint' ? <IconSpeakerphone size={11} /> : <IconFlame size={11} />}
            data-testid="escalation-badge"
          >
            {ESCALATION_LABEL[esc]}
          </Badge>
        ) : null}
        {c.priority > 0 ? (
          <Badge size="sm" color="yellow" variant="light" leftSection={<IconStarFilled size={11} />}>
            Starred
          </Badge>
        ) : null}
        <TagBadges tags={c.tags} />
        <Text size="xs" c="dimmed">
          {c.messageCount} message{c.messageCount === 1 ? '' : 's'} · last {fullTime(c.lastMessageAt)}
        </Text>
      </Group>
      <Group gap={6} mt={10} className="conv-actions">
        {c.status !== 'done' ? (
          <Action label="Done" keys="E" icon={ICON_DONE} cmd="conversation.done" testId="action-done" />
        ) : (
          <Action label="Reopen" keys="Shift I" icon={ICON_REOPEN} cmd="conversation.reopen" testId="action-reopen" />
        )}
        <Action label="Reply" keys="R" icon={ICON_REPLY} cmd="conversation.reply" testId="action-reply" />
        <Action label="Snooze" keys="H" icon={ICON_SNOOZE} cmd="conversation.snooze" testId="action-snooze" />
        <Action label="Waiting" keys="W" icon={ICON_WAITING} cmd="conversation.waiting" testId="action-waiting" />
        <Action label={c.priority > 0 ? 'Unstar' : 'Star'} keys="S" icon={c.priority > 0 ? ICON_UNSTAR : ICON_STAR} cmd="conversation.star" testId="action-star" />
      </Group>
    </div>
  );
}

function EscalationBanner({ c, onOpenConversation }: { c: ConversationSummary; onOpenConversation: (id: number) => void }) {
  const st = escalationStateOf(c);
  if (!st) return null;
  const e = c.escalation;
  return (
    <div className={`escalation esc-${st}`} role="note" data-testid="escalation" data-state={st}>
      {st === 'public_complaint' ? <IconSpeakerphone size={16} style={{ flex: 'none', marginTop: 2 }} /> : <IconFlame size={16} style={{ flex: 'none', marginTop: 2 }} />}
      <div style={{ minWidth: 0 }}>
        <Text size="sm" fw={600}>
          {e?.reason || ESCALATION_LABEL[st]}
        </Text>
        {e?.waitedMs != null && e.after !== 'answered' ? <Text size="xs">The customer waited {longDuration(e.waitedMs)} for an answer by email before writing here.</Text> : null}
        {st === 'likely' ? (
          <Text size="xs">
            Press <Kbd size="xs">L</Kbd> to confirm that this is {e?.suggested?.name || e?.suggested?.email || 'the suggested customer'} (it becomes an escalation); reject the suggestion in the
            customer panel to clear it.
          </Text>
        ) : st === 'public_complaint' ? (
          <Text size="xs">Canary found no email from this account&apos;s owner: answer in public, or link them to a customer by hand.</Text>
        ) : null}
      </div>
      {e?.emailConversationId ? (
        <Button size="compact-xs" variant="white" color={ESC_COLOR[st]} ml="auto" style={{ flex: 'none' }} onClick={() => onOpenConversation(e.emailConversationId!)}>
          Open the email thread
        </Button>
      ) : null}
    </div>
  );
}

const LH12 = { lineHeight: 1.2 };
const LH13 = { lineHeight: 1.3 };

const EmailMessage = memo(function EmailMessage({ m, defaultOpen }: { m: Message; defaultOpen: boolean }) {
  const [open, setOpen] = useState(defaultOpen);
  const who = m.authorName || m.authorAddress || 'Unknown sender';
  return (
    <article className="msg" data-direction={m.direction} data-testid="message">
      <button type="button" className="rd-btn mantine-focus-auto msg-head" onClick={() => setOpen((v) => !v)} aria-expanded={open}>
        <span className="rd-avatar" data-out={m.direction === 'out' || undefined} aria-hidden>
          {initials(who)}
        </span>
        <span className="msg-who">
          <span className="rd-line rd-sm rd-b" style={LH12}>
            {who} {m.authorName && m.authorAddress ? <span className="rd-xs rd-dim rd-n">&lt;{m.authorAddress}&gt;</span> : null}
          </span>
          {open ? (
            <span className="rd-line rd-xs rd-dim rd-trunc" style={LH13}>
              to {m.to.join(', ') || '—'}
              {m.cc.length ? ` · cc ${m.cc.join(', ')}` : ''}
            </span>
          ) : (
            <span className="rd-line rd-xs rd-dim rd-trunc" style={LH13}>
              {m.text.replace(/\s+/g, ' ').slice(0, 160)}
            </span>
          )}
        </span>
        <span className="rd-xs rd-dim msg-time" title={fullTime(m.sentAt)}>
          {messageTime(m.sentAt)}
        </span>
      </button>
      {open ? (
        <div className="msg-body">
          {m.html ? <HtmlBody html={m.html} sender={m.authorAddress} /> : <TextBody text={m.text} />}
          <Attachments attachments={m.attachments} />
          {m.parseProblems.length ? (
            <Text size="xs" c="orange" mt={6}>
              Parse problems: {m.parseProblems.join('; ')}
            </Text>
          ) : null}
        </div>
      ) : null}
    </article>
  );
});

const ChatMessage = memo(function ChatMessage({ m }: { m: Message }) {
  return (
    <div className="chat-row" data-direction={m.direction} data-testid="message">
      <div className="bubble">
        <div className="rd-xs rd-b bubble-who">
          {m.authorName || m.authorAddress}
          {m.authorAddress && m.authorName ? <span className="rd-xs rd-dim rd-n"> {m.authorAddress.startsWith('@') ? m.authorAddress : `@${m.authorAddress}`}</span> : null}
        </div>
        <div className="pre">
          <LinkedText text={m.text} />
        </div>
        <div className="rd-xs bubble-time" title={fullTime(m.sentAt)}>
          {messageTime(m.sentAt)}
        </div>
      </div>
    </div>
  );
});

function ConversationPaneView({
  detail,
  loading,
  error,
  focused,
  onOpenConversation,
  onNotify,
  onReplied,
  onCompose,
}: {
  onNotify: (message: string) => void;
  detail: ConversationDetail | null;
  loading: boolean;
  error: string | null;
  focused: boolean;
  onOpenConversation: (id: number) => void;
  /** A reply or forward was queued from this conversation. */
  onReplied: (conversationId: number) => void;
  /** A command opened a composer. */
  onCompose: () => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const shownId = detail?.conversation.id;
  // Opened: the keyboard focus moves into the reading pane, unless it is already there (the
  // composer) or in a text field.
  useEffect(() => {
    const el = scrollRef.current;
    if (!focused || !el) return;
    const a = document.activeElement as HTMLElement | null;
    if (a && (el.contains(a) || a.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName))) return;
    el.focus({ preventScroll: true });
  }, [focused, shownId]);
  if (error) {
    return (
      <section className="conv conv-empty" aria-label="Conversation">
        <ErrorLine size="md">{error}</ErrorLine>
      </section>
    );
  }
  if (!detail) {
    return (
      <section className="conv conv-empty" aria-label="Conversation">
        {loading ? (
          <Loader size="sm" />
        ) : (
          <Text c="dimmed" size="sm">
            Select a conversation
          </Text>
        )}
      </section>
    );
  }
  const c = detail.conversation;
  const msgs = detail.messages;
  const lastOut = msgs.reduce((t, m) => (m.direction === 'out' ? Math.max(t, m.sentAt) : t), 0);
  return (
    <section className="conv" aria-label={`Conversation: ${titleOf(c)}`} data-focused={focused || undefined} data-testid="conversation" data-conversation-id={c.id}>
      <Header c={c} />
      <div className="conv-scroll" tabIndex={-1} id="conversation-scroll" ref={scrollRef}>
        <EscalationBanner c={c} onOpenConversation={onOpenConversation} />
        <GoalPanel c={c} />
        <TeamStrip c={c} />
        {c.kind === 'email' ? (
          <div className="thread">
            {msgs.map((m, i) => (
              <EmailMessage key={m.id} m={m} defaultOpen={i === msgs.length - 1 || msgs.length <= 3 || (m.direction === 'in' && m.sentAt > lastOut)} />
            ))}
          </div>
        ) : (
          <div className="chat">
            {msgs.map((m) => (
              <ChatMessage key={m.id} m={m} />
            ))}
          </div>
        )}
        <ReplyArea key={c.id} c={c} onSent={onNotify} onReplied={onReplied} onCompose={onCompose} />
      </div>
    </section>
  );
}

export const ConversationPane = memo(ConversationPaneView);
