// zod schemas for every method's args: the core validates untrusted input with these at its boundary.
import { z } from 'zod';
import { emailSchemas } from './email';
import { linkSchemas } from './links';
import { importSchemas } from './import';
import { attachmentSchemas } from './attachments';
import { tagSchemas } from './tags';
import { teamSchemas } from './team';
import { forwardSchemas } from './forward';
import { xConnectSchemas } from './xconnect';
import { networkSchemas } from './network';
import { settingsSchemas } from './settings';
import { diagnosticsSchemas } from './diagnostics';
import { runSchemas } from './runs';
import { goalSchemas } from './goals';
import { reportSchemas } from './report';
import { outboxSchemas } from './outbox';
import { replySchemas } from './replies';
import { accountSchemas } from './accounts';
import { mailAuthSchemas } from './mailauth';
import { savedReplySchemas } from './saved-replies';
import { composeSchemas } from './compose';

const id = z.number().int().positive();
const status = z.enum(['open', 'waiting', 'snoozed', 'done']);

export const conversationFilter = z
  .object({
    channel: z.enum(['email', 'x']).optional(),
    kind: z.enum(['email', 'tweet', 'dm']).optional(),
    status: z.union([status, z.literal('all')]).optional(),
    escalated: z.boolean().optional(),
    /** Only conversations with this escalation mark (linking/escalation.ts). */
    escalation: z.enum(['escalated', 'likely', 'public_complaint']).optional(),
    accountId: id.optional(),
    customerId: id.optional(),
    tag: z.string().max(200).optional(),
    /** Team mode: only those assigned to this teammate ('me': this copy's own name or address), or to nobody (null). */
    assignee: z.string().min(1).max(320).nullable().optional(),
    /** Only these conversations (the at-risk view's rows: risk.list's ids). */
    ids: z.array(id).min(1).max(1000).optional(),
  })
  .strict();

export const schemas = {
  ...emailSchemas,
  ...linkSchemas,
  ...importSchemas,
  ...attachmentSchemas,
  ...tagSchemas,
  ...teamSchemas,
  ...forwardSchemas,
  ...xConnectSchemas,
  ...networkSchemas,
  ...settingsSchemas,
  ...diagnosticsSchemas,
  ...runSchemas,
  ...goalSchemas,
  ...reportSchemas,
  ...outboxSchemas,
  ...replySchemas,
  ...accountSchemas,
  ...mailAuthSchemas,
  ...savedReplySchemas,
  ...composeSchemas,
  'app.info': z.object({}).strict(),
  'stats.get': z.object({}).strict(),
  'conversations.list': z
    .object({
      filter: conversationFilter.optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(200),
    })
    .strict(),
  'conversations.counts': z.object({ filter: conversationFilter.optional() }).strict(),
  'conversations.get': z.object({ id }).strict(),
  'conversations.setStatus': z
    .object({
      ids: z.array(id).min(1).max(10_000),
      status,
      snoozeUntil: z.number().int().positive().nullable().optional(),
    })
    .strict(),
  'conversations.setPriority': z.object({ ids: z.array(id).min(1).max(10_000), priority: z.number().int().min(0).max(3) }).strict(),
  'customers.get': z.object({ id }).strict(),
  'search.query': z
    .object({
      q: z.string().max(1000),
      limit: z.number().int().min(1).max(500).default(50),
    })
    .strict(),
  /** Fill an empty workspace with the generated demo business (refused when it already holds conversations). */
  'demo.load': z
    .object({
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31)
        .optional(),
      customers: z.number().int().min(1).max(5000).optional(),
    })
    .strict(),
} as const;

export type Schemas = typeof schemas;
export type Method = keyof Schemas;
export const methods = Object.keys(schemas) as Method[];
export type ConversationFilter = z.infer<typeof conversationFilter>;
