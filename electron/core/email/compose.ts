// What an email reply carries besides its text: the owner's files (taken as base64 through the
// contract, checked against the limit before anything is queued, stored content-addressed in the
// data folder so a queued reply survives a restart and is built into MIME by composeReply), the
// account's signature below a "-- " line, and the attachment limit told before sending: the SMTP
// server's EHLO SIZE when it announced one (asked once a day, on the composer's first look), else
// 25 MB, the most the contract carries.

import crypto from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import { DEFAULT_ATTACHMENT_LIMIT, type OutgoingAttachment } from '../../../shared/contract/compose';
import { formatBytes } from '../../../shared/domain/bytes';
import { saveFilename } from '../../../shared/domain/filename';
import type { CoreContext } from '../context';
import { getAccount } from '../db/repos/accounts';
import { replySettings, setSmtpMaxBytes } from '../db/repos/reply-settings';
import { conversationStatus } from '../db/repos/outbox';
import { getSettings } from '../db/repos/settings';
import { storeAttachment } from './attachments';
import { smtpOptions, type EmailAccountConfig } from './imap/config';

/** A file of a queued reply: its sanitized name, type, size and where its bytes are (attachments/<sha256>). */
export interface StoredAttachment {
  filename: string;
  contentType: string;
  sha256: string;
  size: number;
}

/** How long an announced SIZE is trusted, and how long to wait before asking a server that did not answer again. */
const SIZE_FRESH_MS = 24 * 3600_000;
const SIZE_RETRY_MS = 10 * 60_000;
const PROBE_TIMEOUT_MS = 5_000;
/** Room for headers and the text when the files must fit a server's SIZE. */
const HEADROOM = 64 * 1024;
/** base64 with a line break every 76 characters: 4/3 × 78/76. */
const ENCODED = (4 / 3) * (78 / 76);

/** The name a picked file is sent under: its last path piece, controls and bidi made visible, no characters a file system refuses. */
export function outgoingFilename(name: string, index: number): string {
  const base = name.split(/[/\\]/).filter(Boolean).pop() ?? '';
  return saveFilename(base, `attachment-${index + 1}`);
}

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

export function outgoingContentType(type: string | undefined): string {
  const t = (type ?? '').trim().toLowerCase();
  return MIME.test(t) ? t : 'application/octet-stream';
}

export { formatBytes };

/** The files' total allowed for a server that takes messages of up to `serverMax` bytes (null: none said). */
export function attachmentLimit(serverMax: number | null): number {
  if (!serverMax) return DEFAULT_ATTACHMENT_LIMIT;
  return Math.max(0, Math.min(DEFAULT_ATTACHMENT_LIMIT, Math.floor((serverMax - HEADROOM) / ENCODED)));
}

/**
 * Decode, check and store a reply's files: refused with the reason, before anything is stored or
 * queued, when one is empty or they come to more than `limit` bytes together.
 */
export function intakeAttachments(ctx: CoreContext, files: readonly OutgoingAttachment[], limit: number, limitNote: string): StoredAttachment[] {
  const decoded = files.map((f, i) => ({ filename: outgoingFilename(f.filename, i), contentType: outgoingContentType(f.contentType), bytes: Buffer.from(f.base64, 'base64') }));
  for (const f of decoded) if (!f.bytes.length) throw new AppError('invalid_args', `The attachment "${f.filename}" is empty; nothing was queued.`);
  const total = decoded.reduce((n, f) => n + f.bytes.length, 0);
  if (total > limit) throw new AppError('invalid_args', `The attachments come to ${formatBytes(total)}, over the limit of ${formatBytes(limit)} (${limitNote}). Nothing was queued.`);
  return decoded.map((f) => {
    const sha256 = crypto.createHash('sha256').update(f.bytes).digest('hex');
    storeAttachment(ctx.dataDir, sha256, f.bytes);
    return { filename: f.filename, contentType: f.contentType, sha256, size: f.bytes.length };
  });
}

/** The text and HTML with the account's signature below the "-- " separator (RFC 3676), unchanged when it has none. */
export function withSignature(text: string, html: string | null, signature: string): { text: string; html: string | null } {
  const sig = signature.replace(/\r\n?/g, '\n').trim();
  if (!sig) return { text, html };
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return {
    text: `${text.replace(/\s+$/, '')}\n\n-- \n${sig}\n`,
    html: html === null ? null : `${html}<br><br><div class="canary-signature">-- <br>${esc(sig).replace(/\n/g, '<br>')}</div>`,
  };
}

export function signatureOf(ctx: CoreContext, accountId: number): string {
  return replySettings(ctx.db, accountId)?.signature ?? '';
}

/** Ask the SMTP server what it announces in EHLO (after STARTTLS when it takes that): SIZE in bytes, null when none. */
export async function probeSmtpSize(cfg: EmailAccountConfig, timeoutMs = PROBE_TIMEOUT_MS): Promise<number | null> {
  const o = smtpOptions(cfg, null, { connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
  const { default: SMTPConnection } = await import('nodemailer/lib/smtp-connection');
  const conn = new SMTPConnection({
    host: o.host,
    port: o.port,
    secure: o.secure,
    requireTLS: o.requireTLS,
    ignoreTLS: o.ignoreTLS,
    tls: o.tls,
    connectionTimeout: o.connectionTimeout,
    greetingTimeout: o.greetingTimeout,
    socketTimeout: o.socketTimeout,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      conn.once('error', reject);
      conn.connect(() => resolve());
    });
    // nodemailer keeps the EHLO SIZE here (0 when none); smtp-size.test.ts fails if that changes.
    const size = (conn as unknown as { _maxAllowedSize?: number })._maxAllowedSize;
    return typeof size === 'number' && size > 0 ? size : null;
  } finally {
    try {
      conn.quit();
    } catch {
      conn.close();
    }
  }
}

const failedProbes = new WeakMap<CoreContext, Map<number, number>>();

/** The server's SIZE as last asked (asked again when older than a day; a server that did not answer is asked again after 10 minutes). */
export async function serverMaxBytes(ctx: CoreContext, accountId: number): Promise<{ bytes: number | null; known: boolean }> {
  const row = replySettings(ctx.db, accountId);
  const now = ctx.now();
  if (row?.smtp_checked_at != null && now - row.smtp_checked_at < SIZE_FRESH_MS) return { bytes: row.smtp_max_bytes, known: true };
  let failed = failedProbes.get(ctx);
  if (!failed) failedProbes.set(ctx, (failed = new Map()));
  const last = failed.get(accountId);
  if (last !== undefined && now - last < SIZE_RETRY_MS) return { bytes: row?.smtp_max_bytes ?? null, known: row?.smtp_checked_at != null };
  const account = getAccount<EmailAccountConfig>(ctx.db, accountId);
  if (!account?.config.smtp) return { bytes: null, known: false };
  try {
    const bytes = await probeSmtpSize(account.config);
    setSmtpMaxBytes(ctx.db, accountId, bytes, ctx.now());
    failed.delete(accountId);
    return { bytes, known: true };
  } catch (e) {
    failed.set(accountId, now);
    ctx.log.warn('SMTP size not known', { service: 'email-compose', accountId, reason: (e as Error).message });
    return { bytes: row?.smtp_max_bytes ?? null, known: row?.smtp_checked_at != null };
  }
}

/** The limit for replies from an account, in bytes and in words. */
export async function replyLimit(ctx: CoreContext, accountId: number): Promise<{ max: number; server: number | null; source: 'server' | 'default'; note: string }> {
  const s = await serverMaxBytes(ctx, accountId);
  const max = attachmentLimit(s.bytes);
  if (s.bytes)
    return {
      max,
      server: s.bytes,
      source: 'server',
      note: `the server takes messages up to ${formatBytes(s.bytes)}; files grow by about a third when sent`,
    };
  return {
    max,
    server: null,
    source: 'default',
    note: s.known ? 'the server announces no limit; 25 MB is what most providers take' : 'the server could not be asked; 25 MB is what most providers take',
  };
}

/** What a reply queued for undo send keeps: the text as typed, and where its conversation was (`setTo`: where queuing puts it). */
export interface UndoDraft {
  text: string;
  html: string | null;
  all: boolean;
  status: string;
  snoozeUntil: number | null;
  setTo: string;
}

/** When a reply may go: with `undo`, after Settings' undo seconds, keeping what outbox.undo puts back. */
export function undoWait(
  ctx: CoreContext,
  undo: boolean | undefined,
  conversationId: number,
  typed: { text: string; html: string | null; all: boolean },
): { now: number; notBefore: number; draft: UndoDraft | null } {
  const now = ctx.now();
  const delay = undo ? getSettings(ctx.db).undoSendSeconds * 1000 : 0;
  if (!delay) return { now, notBefore: now, draft: null };
  const before = conversationStatus(ctx.db, conversationId);
  return { now, notBefore: now + delay, draft: before ? { ...typed, status: before.status, snoozeUntil: before.snooze_until, setTo: 'waiting' } : null };
}
