// Saved replies: text the owner writes once and inserts into a reply, with variables filled from
// the conversation ({first_name}, {last_name}, {order}, {subject}, {agent}), a version per channel
// (the email body, a short X text), tags, an optional shortcut and a usage count. Stored in the
// database (electron/core/db/repos/saved-replies.ts), rendered by electron/core/saved-replies, and
// exported/imported as one JSON file. Merged into `schemas` (schemas.ts) and `Results` (api.ts).
import { z } from 'zod';

const id = z.number().int().positive();

/** The variables a saved reply may use, written {name} in its text. */
export const SAVED_REPLY_VARIABLES = ['first_name', 'last_name', 'order', 'subject', 'agent'] as const;
export type SavedReplyVariable = (typeof SAVED_REPLY_VARIABLES)[number];

/** `{word}` in a text: a variable when the word is one of SAVED_REPLY_VARIABLES. */
export const VARIABLE_PATTERN = /\{([a-z_]+)\}/g;

/** Words in braces that look like variables but are not known ones ("{frist_name}"). */
export function unknownVariables(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(VARIABLE_PATTERN)) {
    const v = m[1]!;
    if (!(SAVED_REPLY_VARIABLES as readonly string[]).includes(v) && !out.includes(v)) out.push(v);
  }
  return out;
}

const knownVariablesOnly = (label: string) => (s: string | null | undefined, ctx: z.RefinementCtx) => {
  if (!s) return;
  const bad = unknownVariables(s);
  if (bad.length) {
    ctx.addIssue({
      code: 'custom',
      message: `${label} uses ${bad.map((b) => `{${b}}`).join(', ')}, which is not a variable (known: ${SAVED_REPLY_VARIABLES.map((v) => `{${v}}`).join(', ')})`,
    });
  }
};

export const MAX_SAVED_REPLY_NAME = 80;
export const X_TEXT_MAX = 280;

const name = z
  .string()
  .max(400)
  .transform((s) => s.trim().replace(/\s+/g, ' '))
  .refine((s) => s.length > 0, 'a saved reply needs a name')
  .refine((s) => s.length <= MAX_SAVED_REPLY_NAME, `a name is at most ${MAX_SAVED_REPLY_NAME} characters`);
const body = z
  .string()
  .max(100_000)
  .refine((s) => s.trim().length > 0, 'the email text cannot be empty')
  .superRefine(knownVariablesOnly('the email text'));
/** The X version: optional; its length (at most 280 as X counts it) is checked at insert, once the variables are filled. */
const xText = z
  .string()
  .max(2_000)
  .transform((s) => (s.trim() ? s : null))
  .nullable()
  .superRefine(knownVariablesOnly('the X text'));
const tags = z
  .array(
    z
      .string()
      .max(50)
      .transform((s) => s.trim()),
  )
  .max(20)
  .transform((l) => [...new Set(l.filter(Boolean))]);
/** A short word typed in the picker to find it first (";thanks"). */
const shortcut = z
  .string()
  .max(40)
  .transform((s) => s.trim().replace(/^;/, ''))
  .refine((s) => s === '' || /^[\p{L}\p{N}_-]+$/u.test(s), 'a shortcut is letters, digits, - and _ (no spaces)')
  .transform((s) => (s ? s : null))
  .nullable();

/** A saved reply as written by the owner (what save takes, and each entry of the export file). */
export const savedReplyInput = z
  .object({
    name,
    body,
    xText: xText.optional(),
    tags: tags.optional(),
    shortcut: shortcut.optional(),
    /** The default public X text for escalations (at most one saved reply is). */
    escalationDefault: z.boolean().optional(),
  })
  .strict();

/** The export file: what `savedReplies.export` returns and `savedReplies.import` takes. */
export const SAVED_REPLIES_FORMAT = 'canary.saved-replies';
export const savedRepliesFile = z
  .object({
    format: z.literal(SAVED_REPLIES_FORMAT, { message: `not a Canary saved-replies file (its "format" must be "${SAVED_REPLIES_FORMAT}")` }),
    version: z.literal(1, { message: 'unknown saved-replies file version (this Canary reads version 1)' }),
    exportedAt: z.number().int().optional(),
    replies: z.array(savedReplyInput.extend({ usageCount: z.number().int().min(0).optional() }).strict()).max(5_000),
  })
  .strict();

export const savedReplySchemas = {
  /** Every saved reply, most used first. */
  'savedReplies.list': z.object({}).strict(),
  /** Saved replies matching words in the name, shortcut, tags or text (all words must match), most used first. */
  'savedReplies.search': z.object({ q: z.string().max(200), limit: z.number().int().min(1).max(200).default(50) }).strict(),
  'savedReplies.get': z.object({ id }).strict(),
  /** Create (no id) or edit (id) a saved reply; the name is unique (case-insensitive). */
  'savedReplies.save': savedReplyInput.extend({ id: id.optional() }).strict(),
  'savedReplies.remove': z.object({ id }).strict(),
  /**
   * The text for a conversation: its channel's version (X: the X text when there is one) with the
   * variables filled; those that cannot be are left as written and reported. `insert: true` counts
   * a use (the composer's insert, `canary reply --saved`).
   */
  'savedReplies.render': z.object({ id, conversationId: id, insert: z.boolean().optional() }).strict(),
  /** The escalation default's X text for a conversation, rendered (null when no saved reply is the default). */
  'savedReplies.escalationDefault': z.object({ conversationId: id }).strict(),
  /** The export file (savedRepliesFile) as an object. */
  'savedReplies.export': z.object({}).strict(),
  /**
   * Import the file's text: refused whole, with the reason, when it is not valid JSON or not a
   * saved-replies file; a name already saved is kept as it is unless `replace`.
   */
  'savedReplies.import': z.object({ text: z.string().max(20_000_000), replace: z.boolean().optional() }).strict(),
} as const;

export type SavedReplyInput = z.input<typeof savedReplyInput>;
export type SavedRepliesFile = z.output<typeof savedRepliesFile>;

export interface SavedReplyView {
  id: number;
  name: string;
  body: string;
  xText: string | null;
  tags: string[];
  shortcut: string | null;
  escalationDefault: boolean;
  usageCount: number;
  lastUsedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface SavedReplyRender {
  savedReplyId: number;
  conversationId: number;
  /** Which version was used: the X text, or the email body (email, or X without an X text). */
  version: 'email' | 'x';
  text: string;
  /** Each variable's value, or null when it could not be filled (left as written in `text`). */
  values: Record<SavedReplyVariable, string | null>;
  /** Variables in the text that could not be filled. */
  unfilled: SavedReplyVariable[];
  /** Sentences for the owner: what is unfilled and why, an X text over the limit. */
  warnings: string[];
  /** X: the length as X counts it (public replies 280, DMs 10,000). */
  length: { weightedLength: number; maxLength: number; valid: boolean } | null;
  usageCount: number;
}

export interface SavedReplyImportSummary {
  added: number;
  replaced: number;
  /** Names already saved and left as they were (without `replace`). */
  skipped: string[];
}

export interface SavedReplyResults {
  'savedReplies.list': SavedReplyView[];
  'savedReplies.search': SavedReplyView[];
  'savedReplies.get': SavedReplyView;
  'savedReplies.save': SavedReplyView;
  'savedReplies.remove': { removed: boolean };
  'savedReplies.render': SavedReplyRender;
  'savedReplies.escalationDefault': SavedReplyRender | null;
  'savedReplies.export': SavedRepliesFile;
  'savedReplies.import': SavedReplyImportSummary;
}
