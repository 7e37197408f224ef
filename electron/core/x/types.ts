// The X API v2 JSON shapes Canary reads and writes (field names as in the official OpenAPI v2.159,
// which twitter-api-v2 1.29 sends). Everything is optional beyond what the spec requires, because
// which fields arrive depends on the field parameters of the request.

export interface XUrlEntity {
  start?: number;
  end?: number;
  url?: string;
  expanded_url?: string;
  display_url?: string;
  unwound_url?: string;
  media_key?: string;
}

export interface XMentionEntity {
  start?: number;
  end?: number;
  username?: string;
  id?: string;
}

export interface XEntities {
  urls?: XUrlEntity[];
  mentions?: XMentionEntity[];
  hashtags?: { start?: number; end?: number; tag?: string }[];
  cashtags?: { start?: number; end?: number; tag?: string }[];
}

export interface XUser {
  id: string;
  name?: string;
  username: string;
  description?: string;
  url?: string;
  location?: string;
  profile_image_url?: string;
  /** Counts, when asked for (user.fields=public_metrics); read defensively: never a reason to refuse a page. */
  public_metrics?: unknown;
  created_at?: string;
  protected?: boolean;
  verified?: boolean;
  entities?: { url?: { urls?: XUrlEntity[] }; description?: XEntities };
  [k: string]: unknown;
}

export interface XReferencedTweet {
  type?: 'retweeted' | 'quoted' | 'replied_to' | string;
  id: string;
}

export interface XTweet {
  id: string;
  text?: string;
  author_id?: string;
  created_at?: string;
  conversation_id?: string;
  in_reply_to_user_id?: string;
  referenced_tweets?: XReferencedTweet[];
  /** The 2026 "post" dialect of the same field. */
  referenced_posts?: XReferencedTweet[];
  entities?: XEntities;
  edit_history_tweet_ids?: string[];
  lang?: string;
  /** Long posts: the full text lives here, `text` is truncated. */
  note_tweet?: { text?: string; entities?: XEntities };
  note_post?: { text?: string; entities?: XEntities };
  [k: string]: unknown;
}

export interface XDmEvent {
  id: string;
  event_type: 'MessageCreate' | 'ParticipantsJoin' | 'ParticipantsLeave' | string;
  text?: string;
  sender_id?: string;
  dm_conversation_id?: string;
  created_at?: string;
  participant_ids?: string[];
  referenced_tweets?: { id: string }[];
  attachments?: { media_keys?: string[]; card_ids?: string[] };
  urls?: XUrlEntity[];
  entities?: XEntities;
  [k: string]: unknown;
}

export interface XProblem {
  type?: string;
  title?: string;
  detail?: string;
  status?: number;
  [k: string]: unknown;
}

export interface XIncludes {
  users?: XUser[];
  tweets?: XTweet[];
  /** The "post" dialect. */
  posts?: XTweet[];
  [k: string]: unknown;
}

export interface XMeta {
  result_count?: number;
  newest_id?: string;
  oldest_id?: string;
  next_token?: string;
  previous_token?: string;
}

export interface XTweetsPage {
  data?: XTweet[];
  includes?: XIncludes;
  meta?: XMeta;
  errors?: XProblem[];
}

export interface XDmEventsPage {
  data?: XDmEvent[];
  includes?: XIncludes;
  meta?: XMeta;
  errors?: XProblem[];
}

export interface XUserPage {
  data: XUser;
  includes?: XIncludes;
  errors?: XProblem[];
}

/** What kind of endpoint a page came from. */
export type XPageKind = 'me' | 'mentions' | 'search' | 'dm_events' | 'tweets';

/** The business's own account: its posts and DMs are outbound. */
export interface XSelf {
  id: string;
  username?: string;
  name?: string;
}
