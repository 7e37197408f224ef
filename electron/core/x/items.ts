// What one X item becomes (pure, no database): a user's profile, a post's or DM's text, the
// referenced posts, the participants of a DM conversation. normalize.ts stores the results.
import type { XProfile } from '../../../shared/domain/types';
import { readableText, snowflakeTime } from './text';
import type { XDmEvent, XTweet, XUser } from './types';

/** A user's profile as Canary keeps it: bio, website (t.co expanded), location, picture, followers. */
export function profileOf(u: XUser): XProfile {
  const p: XProfile = {};
  if (u.description !== undefined) p.description = u.description;
  if (u.url !== undefined) {
    const urls = u.entities?.url?.urls ?? [];
    const hit = urls.find((e) => e.url === u.url) ?? (urls.length === 1 ? urls[0] : undefined);
    p.url = u.url ? hit?.unwound_url || hit?.expanded_url || u.url : '';
  }
  if (u.location !== undefined) p.location = u.location;
  if (u.profile_image_url !== undefined) p.profileImageUrl = u.profile_image_url;
  const followers = (u.public_metrics as { followers_count?: unknown } | null | undefined)?.followers_count;
  if (typeof followers === 'number' && Number.isFinite(followers) && followers >= 0) p.followers = Math.floor(followers);
  return p;
}

/** Profile fields present in this payload win; fields it does not carry keep their stored value. */
export function mergeProfile(stored: XProfile | null, fresh: XProfile): XProfile | null {
  const merged: XProfile = {};
  for (const k of ['description', 'url', 'location', 'profileImageUrl'] as const) {
    const v = fresh[k] !== undefined ? fresh[k] : stored?.[k];
    if (v !== undefined) merged[k] = v;
  }
  const followers = fresh.followers ?? stored?.followers;
  if (followers !== undefined) merged.followers = followers;
  return Object.keys(merged).length ? merged : null;
}

export function referencedOf(t: XTweet): { type?: string; id: string }[] {
  return t.referenced_tweets ?? t.referenced_posts ?? [];
}

/** The full text of a post: long-post text when present, entities decoded, links expanded. */
export function tweetText(t: XTweet): string {
  const long = t.note_tweet ?? t.note_post;
  if (long?.text) return readableText(long.text, long.entities ?? t.entities, { htmlEscaped: true });
  return readableText(t.text ?? '', t.entities, { htmlEscaped: true });
}

export function dmText(e: XDmEvent): string {
  return readableText(e.text ?? '', { urls: e.urls ?? e.entities?.urls }, { htmlEscaped: false });
}

export function timeOf(created: string | undefined, id: string, fallback: number): number {
  if (created) {
    const t = Date.parse(created);
    if (!Number.isNaN(t)) return t;
  }
  return snowflakeTime(id) ?? fallback;
}

/** The two user ids of a one-to-one DM conversation id ("a-b"), or [] for group ids. */
export function dmParticipants(dmConversationId: string): string[] {
  const m = /^([0-9]+)-([0-9]+)$/.exec(dmConversationId);
  return m ? [m[1]!, m[2]!] : [];
}
