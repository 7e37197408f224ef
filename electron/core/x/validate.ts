// X API v2 pages: parsed and validated whole before anything is stored (normalize.ts stores them).
// The fields Canary relies on must have the documented types; anything else passes. An error page the
// API returns instead of data is refused with its title and detail in words.
import { z } from 'zod';
import type { XDmEventsPage, XTweetsPage, XUserPage } from './types';

/** A page that cannot be stored: names where it came from (file or endpoint) and why. */
export class XPageError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super(`${source}: ${reason}`);
    this.name = 'XPageError';
  }
}

// ---------------------------------------------------------------------------------------------
// Validation: the fields Canary relies on must have the documented types; anything else passes.

// Built on first use: constructing these zod schemas costs ~30-50 ms of a cold start that
// most launches (no X page to read yet) do not need.
let pageSchemas: ReturnType<typeof buildPageSchemas> | null = null;
function schemas(): ReturnType<typeof buildPageSchemas> {
  return (pageSchemas ??= buildPageSchemas());
}

function buildPageSchemas() {
  const idStr = z.string().regex(/^[0-9]{1,19}$/, 'must be a string of 1-19 digits');
  const dateStr = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time');
  const urlEntity = z.looseObject({ url: z.string().optional(), expanded_url: z.string().optional(), unwound_url: z.string().optional() });
  const entities = z.looseObject({ urls: z.array(urlEntity).optional() });
  const refTweet = z.looseObject({ type: z.string().optional(), id: idStr });
  const longText = z.looseObject({ text: z.string().optional(), entities: entities.optional() });

  const userSchema = z.looseObject({
    id: idStr,
    username: z.string().min(1).max(50),
    name: z.string().optional(),
    description: z.string().optional(),
    url: z.string().optional(),
    location: z.string().optional(),
    profile_image_url: z.string().optional(),
    entities: z.looseObject({ url: z.looseObject({ urls: z.array(urlEntity).optional() }).optional() }).optional(),
  });

  const tweetSchema = z
    .looseObject({
      id: idStr,
      text: z.string().optional(),
      author_id: idStr.optional(),
      created_at: dateStr.optional(),
      conversation_id: idStr.optional(),
      in_reply_to_user_id: idStr.optional(),
      referenced_tweets: z.array(refTweet).optional(),
      referenced_posts: z.array(refTweet).optional(),
      entities: entities.optional(),
      note_tweet: longText.optional(),
      note_post: longText.optional(),
    })
    .refine((t) => typeof t.text === 'string' || typeof t.note_tweet?.text === 'string' || typeof t.note_post?.text === 'string', {
      message: 'a post needs text',
    });

  const dmEventSchema = z.looseObject({
    id: idStr,
    event_type: z.string().min(1),
    text: z.string().optional(),
    sender_id: idStr.optional(),
    dm_conversation_id: z
      .string()
      .regex(/^([0-9]{1,19}-[0-9]{1,19}|[0-9]{1,19})$/, 'must be "id-id" or a group id')
      .optional(),
    created_at: dateStr.optional(),
    participant_ids: z.array(idStr).optional(),
    urls: z.array(urlEntity).optional(),
    entities: entities.optional(),
  });

  const problemSchema = z.looseObject({ title: z.string().optional(), detail: z.string().optional(), type: z.string().optional() });
  const includesSchema = z.looseObject({
    users: z.array(userSchema).optional(),
    tweets: z.array(tweetSchema).optional(),
    posts: z.array(tweetSchema).optional(),
  });
  const metaSchema = z.looseObject({
    result_count: z.number().int().min(0).optional(),
    newest_id: z.string().optional(),
    oldest_id: z.string().optional(),
    next_token: z.string().optional(),
  });

  const tweetsPageSchema = z.looseObject({
    data: z.array(tweetSchema).optional(),
    includes: includesSchema.optional(),
    meta: metaSchema.optional(),
    errors: z.array(problemSchema).optional(),
  });
  const dmPageSchema = z.looseObject({
    data: z.array(dmEventSchema).optional(),
    includes: includesSchema.optional(),
    meta: metaSchema.optional(),
    errors: z.array(problemSchema).optional(),
  });
  const userPageSchema = z.looseObject({ data: userSchema, includes: includesSchema.optional(), errors: z.array(problemSchema).optional() });
  return { tweetsPageSchema, dmPageSchema, userPageSchema };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length
    ? issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '')
    : 'page';
  return `${where}: ${issue.message}`;
}

/** Parse JSON text, with an error that names the source. */
export function parseXJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new XPageError(source, `not valid JSON (${(e as Error).message})`);
  }
}

/** A field of an X error as text: strings as they are, anything else as JSON (never "[object Object]"), 300 characters at most. */
function errText(v: unknown): string {
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 300 ? `${s.slice(0, 299)}…` : s;
}

function apiErrorOf(json: unknown): string | null {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
  const o = json as Record<string, unknown>;
  if ('data' in o || 'meta' in o) return null;
  if (typeof o.title === 'string' || typeof o.type === 'string') {
    return `the page is an X API error, not data: ${errText(o.title ?? o.type)}${o.detail ? `: ${errText(o.detail)}` : ''}`;
  }
  if (Array.isArray(o.errors) && o.errors.length) {
    const e = o.errors[0] as Record<string, unknown>;
    return `the page is an X API error, not data: ${errText(e.title ?? e.message ?? 'error')}${e.detail ? `: ${errText(e.detail)}` : ''}`;
  }
  return null;
}

export function validateTweetsPage(json: unknown, source: string): XTweetsPage {
  const apiErr = apiErrorOf(json);
  if (apiErr) throw new XPageError(source, apiErr);
  const r = schemas().tweetsPageSchema.safeParse(json);
  if (!r.success) throw new XPageError(source, `not an X API v2 posts page: ${r.error.issues.slice(0, 3).map(describeIssue).join('; ')}`);
  return r.data;
}

export function validateDmEventsPage(json: unknown, source: string): XDmEventsPage {
  const apiErr = apiErrorOf(json);
  if (apiErr) throw new XPageError(source, apiErr);
  const r = schemas().dmPageSchema.safeParse(json);
  if (!r.success) throw new XPageError(source, `not an X API v2 DM events page: ${r.error.issues.slice(0, 3).map(describeIssue).join('; ')}`);
  return r.data;
}

export function validateUserPage(json: unknown, source: string): XUserPage {
  const apiErr = apiErrorOf(json);
  if (apiErr) throw new XPageError(source, apiErr);
  const r = schemas().userPageSchema.safeParse(json);
  if (!r.success) throw new XPageError(source, `not an X API v2 user (users/me) page: ${r.error.issues.slice(0, 3).map(describeIssue).join('; ')}`);
  return r.data;
}
