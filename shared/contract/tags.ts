// Tags (labels) on conversations: counts for the queue filter, and adding/removing on a selection.
import { z } from 'zod';

const id = z.number().int().positive();
export const MAX_TAG_LENGTH = 50;
const tag = z
  .string()
  .max(200)
  .transform((s) => s.trim().replace(/\s+/g, ' '))
  .refine((s) => s.length > 0, 'a tag cannot be empty')
  .refine((s) => s.length <= MAX_TAG_LENGTH, `a tag is at most ${MAX_TAG_LENGTH} characters`);

export const tagSchemas = {
  /** Every tag in use with its conversation counts (optionally within one account). */
  'tags.list': z.object({ accountId: id.optional() }).strict(),
  /** Add and/or remove tags on conversations; a tag both added and removed is refused. */
  'conversations.tag': z
    .object({
      ids: z.array(id).min(1).max(10_000),
      add: z.array(tag).max(20).optional(),
      remove: z.array(tag).max(20).optional(),
    })
    .strict(),
} as const;

export interface TagCountView {
  tag: string;
  /** Conversations with this tag that are open (in the inbox). */
  open: number;
  /** All conversations with this tag, whatever their status. */
  total: number;
}

export interface TagResults {
  'tags.list': TagCountView[];
  'conversations.tag': { updated: number };
}
