// `canary reply ID --text "…" --also-x ["…"]`: the cross-channel answer through the contract
// (replies.counterpart, replies.sendBoth, outbox.*): the email to the customer's thread and the reply
// on X (a public reply to their post, or a DM) queued together, then both tried now, each reported.
import type { EmailOutboxItemView, OutboxItemView, XOutboxItemView } from '../../../shared/contract/outbox';
import { CliError, type CommandContext } from '../types';

/** Flags that only mean something with --also-x. */
export const ALSO_X_FLAGS = ['done', 'confirm-private', 'confirm-link'] as const;

export async function replyBoth({ core, argv, emit }: CommandContext, id: number, text: string): Promise<void> {
  const cp = await core.call('replies.counterpart', { conversationId: id });
  if (!cp) {
    throw new CliError(
      `conversation ${id} has no other half to answer: --also-x needs an email thread whose customer has an open X conversation (a linked X account), or an escalated X conversation (see canary escalations)`,
    );
  }
  const also = argv.flags.get('also-x');
  const xText = typeof also === 'string' ? also : cp.defaultXText;
  const r = await core.call('replies.sendBoth', {
    email: { conversationId: cp.email.conversationId, text, all: argv.flags.has('all') },
    x: { conversationId: cp.x.conversationId, text: xText, confirmPrivate: argv.flags.has('confirm-private') },
    status: argv.flags.has('done') ? 'done' : 'waiting',
    confirmLink: argv.flags.has('confirm-link'),
  });
  // Send now (in this process, so both are tried before the command exits) and report each part.
  await core.call('outbox.send', {});
  const items = await core.call('outbox.list', { groupId: r.groupId });
  const mail = items.find((o): o is EmailOutboxItemView => o.channel === 'email') ?? r.email;
  const post = items.find((o): o is XOutboxItemView => o.channel === 'x') ?? r.x;
  const line = (what: string, o: OutboxItemView, done: string) =>
    `${what}: ${o.state === 'sent' ? done : `${o.state} (outbox #${o.id})${o.lastError ? `: ${o.lastError}` : ''}; run "canary outbox send" to try again`}`;
  emit(
    { groupId: r.groupId, status: r.status, confirmedLinkId: r.confirmedLinkId, email: mail, x: post, escalation: r.escalation },
    [
      line('email', mail, `sent to ${mail.to.join(', ')}: ${mail.subject}`),
      line(post.kind === 'dm' ? 'X DM' : 'X reply', post, `${post.kind === 'dm' ? 'sent to' : 'posted to'} ${post.to}${post.externalId ? ` (${post.externalId})` : ''}`),
      ...(r.confirmedLinkId ? [`link #${r.confirmedLinkId} confirmed`] : []),
      `both conversations are now ${r.status}`,
    ].join('\n'),
  );
}
