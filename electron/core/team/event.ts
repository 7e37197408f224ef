// Team mode's log events (issue 17) and their form on the IMAP server: one small message per event
// in the log folder, marked by the header `X-Canary-Team: 1` and named by `X-Canary-Event: <id>`,
// its body the event as JSON (ASCII only: anything else escaped, so it passes any server as 7bit).
// An event: a random 128-bit id, its author (the teammate's name and address, and the copy's device
// id), when (ms; a hybrid clock: never before the value it replaces), causality (the author copy's
// own sequence number and, per other device, the newest event it had applied), a kind, the
// conversation's key shared by every copy (never a local row id) and the fields it sets.
import crypto from 'node:crypto';
import { z } from 'zod';

export const TEAM_HEADER = 'X-Canary-Team';
export const EVENT_HEADER = 'X-Canary-Event';
/** The log folder's name, as segments: the server's namespace prefix and hierarchy delimiter join them. */
export const LOG_FOLDER = ['Canary', 'Team'] as const;

export const TEAM_KINDS = ['conversation.status', 'conversation.tags', 'conversation.assign', 'link.decision', 'note', 'conversation.claim', 'conversation.reply'] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

/**
 * The event's schemas, built on first use (a core that never reads a team log, most of them, does not
 * build them at start: ~0.5 MB of zod objects and 1-2 ms of every cold start).
 */
function buildSchemas() {
  const id128 = z.string().regex(/^[0-9a-f]{32}$/, 'a 128-bit id in hex');

  const statusFields = z
    .object({
      status: z.enum(['open', 'waiting', 'snoozed', 'done']),
      snoozeUntil: z.number().int().nonnegative().nullable(),
    })
    .strict();

  /** One field named for its author (`claim:<author>`, `reply:<author>`): each teammate's own value merges on its own. */
  function perAuthor<T extends z.ZodTypeAny>(prefix: string, value: T) {
    return z.record(z.string().regex(new RegExp(`^${prefix}:\\S{1,320}$`), `${prefix}:<author>`), value).refine((r) => Object.keys(r).length === 1, 'exactly one author');
  }

  /** What each kind sets; every top-level field merges on its own (last writer wins). */
  const fieldsByKind = {
    'conversation.status': statusFields,
    // One field per tag (its lowercase name after `tag:`): the name as written when added, null when removed.
    'conversation.tags': z
      .record(
        z
          .string()
          .regex(/^tag:\S.{0,99}$/, 'tag:<name>')
          .refine((k) => k === k.toLowerCase(), 'lowercase'),
        z.string().min(1).max(100).nullable(),
      )
      .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 100, 'between 1 and 100 tags'),
    'conversation.assign': z.object({ assignee: z.string().max(320).nullable() }).strict(),
    'link.decision': z.object({ decision: z.enum(['confirm', 'reject', 'undo', 'link', 'unlink']), customer: z.string().max(1000).nullable() }).strict(),
    note: z.object({ note: z.string().max(10_000) }).strict(),
    // "Replying": until when the author holds the composer open on the conversation (ms; null: released).
    'conversation.claim': perAuthor('claim', z.number().int().nonnegative().nullable()),
    // The author answered the conversation (queued a reply) at this time (ms). 0 (REPLY_TAKEN_BACK): the
    // reply was taken back (undo send); a copy that predates it reads a reply in 1970, before any composer
    // opened, so it warns of nothing either.
    'conversation.reply': perAuthor('reply', z.number().int().nonnegative()),
  } satisfies Record<TeamKind, z.ZodTypeAny>;

  const base = z.object({
    v: z.literal(1),
    id: id128,
    author: z.object({ name: z.string().max(200), address: z.string().max(320), device: id128 }).strict(),
    at: z.number().int().nonnegative(),
    causal: z.object({ seq: z.number().int().positive(), seen: z.array(id128).max(64) }).strict(),
    target: z.string().min(3).max(1000),
  });

  const teamEventSchema = z.discriminatedUnion('kind', [
    base.extend({ kind: z.literal('conversation.status'), fields: fieldsByKind['conversation.status'] }).strict(),
    base.extend({ kind: z.literal('conversation.tags'), fields: fieldsByKind['conversation.tags'] }).strict(),
    base.extend({ kind: z.literal('conversation.assign'), fields: fieldsByKind['conversation.assign'] }).strict(),
    base.extend({ kind: z.literal('link.decision'), fields: fieldsByKind['link.decision'] }).strict(),
    base.extend({ kind: z.literal('note'), fields: fieldsByKind['note'] }).strict(),
    base.extend({ kind: z.literal('conversation.claim'), fields: fieldsByKind['conversation.claim'] }).strict(),
    base.extend({ kind: z.literal('conversation.reply'), fields: fieldsByKind['conversation.reply'] }).strict(),
  ]);

  /** What any version's event has: a newer Canary's kinds and fields are kept by this one, unapplied. */
  const envelopeSchema = base.extend({ v: z.number().int().positive(), kind: z.string().min(1).max(64), fields: z.record(z.string(), z.unknown()) });
  return { teamEventSchema, envelopeSchema };
}

let built: ReturnType<typeof buildSchemas> | null = null;
/** A team event's schema (and the envelope any version's event has), built once on first use. */
export function eventSchemas(): ReturnType<typeof buildSchemas> {
  return (built ??= buildSchemas());
}

export type TeamEvent = z.output<ReturnType<typeof buildSchemas>['teamEventSchema']>;

/** A `reply:<author>` value: that author's reply was taken back with Undo (event.ts fieldsByKind). */
export const REPLY_TAKEN_BACK = 0;

export function newEventId(): string {
  return crypto.randomBytes(16).toString('hex');
}

/** JSON with every non-ASCII character escaped (\uXXXX), so the body is 7bit. */
export function asciiJson(v: unknown): string {
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Header-safe text: no line breaks, no quotes or backslashes, ASCII only. */
function headerText(s: string): string {
  return s.replace(/[^\x20-\x7e]|["\\]/g, '').slice(0, 200);
}

/** The message that carries an event in the log folder. */
export function encodeEvent(e: TeamEvent): Buffer {
  const from = e.author.address ? `"${headerText(e.author.name)}" <${headerText(e.author.address)}>` : `"${headerText(e.author.name) || 'Canary'}" <canary@invalid>`;
  const lines = [
    `From: ${from}`,
    `Subject: Canary team event ${e.kind}`,
    `Date: ${new Date(e.at).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${e.id}@team.canary.invalid>`,
    `${TEAM_HEADER}: 1`,
    `${EVENT_HEADER}: ${e.id}`,
    'MIME-Version: 1.0',
    'Content-Type: application/json; charset=us-ascii',
    'Content-Transfer-Encoding: 7bit',
    '',
    asciiJson(e),
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'ascii');
}

export type TeamEnvelope = z.output<ReturnType<typeof buildSchemas>['envelopeSchema']>;

export type Decoded = { ok: true; event: TeamEvent } | { ok: false; reason: string; newer?: TeamEnvelope };

/** Read one log message: not ours, or a body that is not a valid event, is refused with a reason. */
export function decodeEvent(raw: Buffer | string): Decoded {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  let split = text.indexOf('\r\n\r\n');
  let sep = 4;
  if (split < 0) {
    split = text.indexOf('\n\n');
    sep = 2;
  }
  if (split < 0) return { ok: false, reason: 'no body' };
  const head = text.slice(0, split);
  if (!/^x-canary-team:\s*1\s*$/im.test(head)) return { ok: false, reason: 'not a team event (no X-Canary-Team header)' };
  let json: unknown;
  try {
    json = JSON.parse(text.slice(split + sep));
  } catch {
    return { ok: false, reason: 'the body is not JSON' };
  }
  const { teamEventSchema, envelopeSchema } = eventSchemas();
  const r = teamEventSchema.safeParse(json);
  if (!r.success) {
    const env = envelopeSchema.safeParse(json);
    const known = (TEAM_KINDS as readonly string[]).includes(env.data?.kind ?? '');
    if (env.success && (env.data.v > 1 || !known)) return { ok: false, reason: `an event of a newer Canary (v${env.data.v} ${env.data.kind})`, newer: env.data };
    const i = r.error.issues[0];
    return { ok: false, reason: `not a valid event: ${i?.path.join('.') || 'event'}: ${i?.message ?? 'invalid'}` };
  }
  return { ok: true, event: r.data };
}
