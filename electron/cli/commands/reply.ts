// `canary reply` and `canary outbox`: through the contract only (replies.send and outbox.* with
// channel 'email'; with --also-x, the cross-channel answer of reply-both.ts). outbox.send waits for the core's sender to try what is due (the reply just
// queued included), so the command reports the outcome before it exits.
import fs from 'node:fs';
import path from 'node:path';
import { flagString, flagStrings } from '../args';
import type { OutgoingAttachment } from '../../../shared/contract/compose';
import { CliError, type CliCore, type Command } from '../types';
import type { EmailOutboxItemView, OutboxItemView } from '../../../shared/contract/outbox';
import { findSavedReply } from './saved-replies';
import { ALSO_X_FLAGS, replyBoth } from './reply-both';

/** The email outbox (the items of this command); other channels' items are not its to show. */
async function emailOutbox(core: CliCore, filter: { conversationId?: number }): Promise<EmailOutboxItemView[]> {
  return (await core.call('outbox.list', { channel: 'email', ...filter })).filter((o): o is EmailOutboxItemView => o.channel === 'email');
}

function emailItem(o: OutboxItemView): EmailOutboxItemView {
  if (o.channel !== 'email') throw new CliError(`outbox #${o.id} is not an email`);
  return o;
}

/** The usual types by extension; anything else goes as application/octet-stream. */
const TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.zip': 'application/zip',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A file named on the command line, read for replies.send (the core checks the size against the account's limit). */
function readAttachment(file: string): OutgoingAttachment {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new CliError(`cannot attach ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; nothing was sent`);
  }
  return { filename: path.basename(file), contentType: TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream', base64: bytes.toString('base64') };
}

export const reply: Command = {
  name: 'reply',
  summary: 'Answer an email conversation over SMTP (queued in the outbox if it cannot go now), with --also-x on X too',
  usage: 'reply CONVERSATION_ID (--text "…" | --saved NAME [--force]) [--all] [--attach FILE]… [--also-x ["…"] [--done] [--confirm-private] [--confirm-link]] [--json]',
  async run(ctx) {
    const { core, argv, emit, io } = ctx;
    const id = Number(argv.positionals[1]);
    if (!Number.isInteger(id) || id <= 0) throw new CliError('reply needs a conversation id, e.g. canary reply 42 --text "Thanks, it ships today."');
    const savedName = flagString(argv, 'saved');
    if (savedName !== undefined && argv.flags.has('text')) throw new CliError('reply takes --text or --saved, not both');
    let text = flagString(argv, 'text');
    let saved: { id: number; name: string } | null = null;
    if (savedName !== undefined) {
      const r = await findSavedReply(core, savedName);
      const rendered = await core.call('savedReplies.render', { id: r.id, conversationId: id });
      for (const w of rendered.warnings) io.err(`${r.name}: ${w}`);
      // A variable left as written ("{order}") would reach the customer: only with --force.
      if (rendered.unfilled.length && !argv.flags.has('force')) {
        throw new CliError(`"${r.name}" cannot fill ${rendered.unfilled.map((v) => `{${v}}`).join(', ')} for conversation ${id}; nothing was sent (--force sends it as it is)`);
      }
      text = rendered.text;
      saved = r;
    }
    if (!text) throw new CliError('reply needs --text "…" or --saved NAME');
    const files = flagStrings(argv, 'attach');
    if (argv.flags.get('attach') === true) throw new CliError('--attach needs a file, e.g. --attach invoice.pdf');
    if (files.length && argv.flags.has('also-x')) throw new CliError('--attach goes with an email reply only, not with --also-x');
    const attachments = files.map(readAttachment);
    if (argv.flags.has('also-x')) {
      await replyBoth(ctx, id, text);
      if (saved) await core.call('savedReplies.render', { id: saved.id, conversationId: id, insert: true });
      return;
    }
    for (const f of ALSO_X_FLAGS) if (argv.flags.has(f)) throw new CliError(`--${f} goes with --also-x`);
    const item = await core.call('replies.send', { channel: 'email', conversationId: id, text, all: argv.flags.has('all'), ...(attachments.length ? { attachments } : {}) });
    if (saved) await core.call('savedReplies.render', { id: saved.id, conversationId: id, insert: true });
    // Send now (in this process, so it finishes before the command exits) and report what happened.
    await core.call('outbox.send', { channel: 'email' });
    const state = (await emailOutbox(core, { conversationId: id })).find((o) => o.id === item.id) ?? emailItem(item);
    emit(
      state,
      state.state === 'sent'
        ? `sent to ${state.to.join(', ')}: ${state.subject}`
        : `${state.state} (outbox #${state.id})${state.lastError ? `: ${state.lastError}` : ''}; run "canary outbox send" to try again`,
    );
  },
};

export const outbox: Command = {
  name: 'outbox',
  summary: 'List, send, retry or cancel queued email replies',
  usage: 'outbox list|send|retry ID|cancel ID [--json]',
  async run({ core, argv, emit, json, io }) {
    const sub = argv.positionals[1] ?? 'list';
    const show = (o: { id: number; state: string; attempts: number; subject: string; to: string[]; lastError: string | null; nextAttemptAt: number }) =>
      `#${o.id}  ${o.state.padEnd(9)} ${o.attempts} attempt(s)  ${o.subject}  → ${o.to.join(', ')}${o.state === 'queued' ? `  next try ${new Date(o.nextAttemptAt).toISOString()}` : ''}${o.lastError ? `\n    ${o.lastError}` : ''}`;
    if (sub === 'list') {
      const items = await emailOutbox(core, {});
      for (const o of items) emit(o, show(o));
      if (!json && !items.length) io.err('the outbox is empty');
      return;
    }
    if (sub === 'send') {
      const r = await core.call('outbox.send', { channel: 'email' });
      for (const x of r) emit(x, `#${x.id} ${x.state}${x.error ? `: ${x.error}` : ''}`);
      if (!json && !r.length) io.err('nothing due');
      return;
    }
    const id = Number(argv.positionals[2]);
    if (!Number.isInteger(id) || id <= 0) throw new CliError(`outbox ${sub} needs an outbox id (see canary outbox list)`);
    if ((sub === 'retry' || sub === 'cancel') && !(await emailOutbox(core, {})).some((o) => o.id === id)) throw new CliError(`no email outbox item #${id} (see canary outbox list)`);
    if (sub === 'retry') {
      const o = emailItem(await core.call('outbox.retry', { id }));
      const r = await core.call('outbox.send', { channel: 'email' });
      const mine = r.find((x) => x.id === id);
      emit(mine ?? o, mine ? `#${id} ${mine.state}${mine.error ? `: ${mine.error}` : ''}` : show(o));
      return;
    }
    if (sub === 'cancel') {
      const o = emailItem(await core.call('outbox.cancel', { id }));
      emit(o, show(o));
      return;
    }
    throw new CliError('usage: canary outbox list|send|retry ID|cancel ID', 2);
  },
};
