// The one contract between the renderer (or any client) and the core.
// Each method takes exactly one JSON args object (validated by `schemas`) and returns JSON.
import type { z } from 'zod';
import type { Method, Schemas } from './schemas';
import type { EmailResults } from './email';
import type { LinkResults } from './links';
import type { ImportResults } from './import';
import type { AttachmentResults } from './attachments';
import type { TagResults } from './tags';
import type { TeamResults } from './team';
import type { ForwardResults } from './forward';
import type { XConnectResults } from './xconnect';
import type { NetworkResults } from './network';
import type { SettingsResults } from './settings';
import type { DiagnosticsResults } from './diagnostics';
import type { RunResults } from './runs';
import type { GoalResults } from './goals';
import type { ReportResults } from './report';
import type { OutboxResults } from './outbox';
import type { ReplyResults } from './replies';
import type { AccountResults } from './accounts';
import type { MailAuthResults } from './mailauth';
import type { SavedReplyResults } from './saved-replies';
import type { ComposeResults } from './compose';
import type { ConversationDetail, ConversationSummary, Customer, Page, SearchHit, Stats } from '../domain/types';

export interface AppInfo {
  version: string;
  schemaVersion: number;
  dataDir: string;
  dbPath: string;
}

export interface ConversationCounts {
  all: number;
  open: number;
  waiting: number;
  snoozed: number;
  done: number;
  escalated: number;
  email: number;
  x: number;
  /** Team mode only: open conversations assigned to this copy's author, and to nobody. */
  mine?: number;
  unassigned?: number;
}

/** Result type of every method. */
export interface Results
  extends
    EmailResults,
    LinkResults,
    ImportResults,
    AttachmentResults,
    TagResults,
    TeamResults,
    ForwardResults,
    XConnectResults,
    NetworkResults,
    SettingsResults,
    DiagnosticsResults,
    RunResults,
    ReportResults,
    GoalResults,
    OutboxResults,
    ReplyResults,
    AccountResults,
    MailAuthResults,
    SavedReplyResults,
    ComposeResults {
  'app.info': AppInfo;
  'stats.get': Stats;
  'conversations.list': Page<ConversationSummary>;
  'conversations.counts': ConversationCounts;
  'conversations.get': ConversationDetail;
  'conversations.setStatus': { updated: number };
  'conversations.setPriority': { updated: number };
  'customers.get': Customer;
  'search.query': { hits: SearchHit[]; query: string };
  'demo.load': { customers: number; conversations: number; messages: number; links: number; escalations: number };
}

export type { Method };
/** What a caller passes (defaults may be omitted). */
export type Args<M extends Method> = z.input<Schemas[M]>;
/** What a handler receives after validation (defaults filled in). */
export type ParsedArgs<M extends Method> = z.output<Schemas[M]>;
export type Result<M extends Method> = Results[M];

export type Api = { [M in Method]: (args: Args<M>) => Promise<Result<M>> };

export interface CallContext {
  /** Which transport the call came through, for logs. */
  transport: 'ipc' | 'ws' | 'cli' | 'test';
}

/** The core's handler map must satisfy this: a missing or mistyped method fails the type check. */
export type Handlers = {
  [M in Method]: (args: ParsedArgs<M>, ctx: CallContext) => Promise<Result<M>> | Result<M>;
};
