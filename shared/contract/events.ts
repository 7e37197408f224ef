// Events carry ids only; the UI re-queries what it shows.
import type { EmailFolderPassView, XSyncReportView } from './runs';
import type { NotifyKind } from './settings';

export interface CoreEvents {
  'conversations.changed': { ids: number[] };
  'messages.changed': { conversationIds: number[] };
  'customers.changed': { ids: number[] };
  'links.changed': { identityIds: number[] };
  /** The linking engine's background build (counts only; links.status has the same). */
  'links.progress': { building: boolean; done: number; total: number };
  'sync.status': { accountId: number };
  'outbox.changed': { ids: number[] };
  /** An import running in the core (counts only; the call returns the summary). */
  'import.progress': { importId: string | null; importer: string; done: number; total: number };
  /** The network check's result changed (network.status has it). */
  'network.changed': Record<string, never>;
  /** App preferences changed (settings.get has them). */
  'settings.changed': Record<string, never>;
  /** The response goals or business hours changed (goals.get has them): goal states and risks are read again. */
  'goals.changed': Record<string, never>;
  /** Saved replies were added, edited, removed, imported or used (savedReplies.list has them). */
  'savedReplies.changed': Record<string, never>;
  /** A sync pass run for a waiting caller (email.sync.pass, sync.watch) moved on in a folder (counts only). */
  'sync.progress': { accountId: number; folder: string; phase: 'new' | 'backfill' | 'flags' | 'done'; done: number; total: number; rate: number };
  /** Such a pass will try again after a connection failure. */
  'sync.retry': { accountId: number; attempt: number; inMs: number; error: string };
  /** A watched account (sync.watch) finished a pass (its results) or failed one (error). */
  'sync.passed': { accountId: number; channel: 'email' | 'x'; folders?: EmailFolderPassView[]; report?: XSyncReportView; error?: string };
  /** A desktop notification to show (electron/core/notify): the host shows it; a click opens the conversation. No message text beyond a subject. */
  'notify.show': { kind: NotifyKind; conversationId: number; title: string; body: string };
  /** The open escalated conversations (the Escalated view's count), for the dock or taskbar badge; sent when it changes. */
  'notify.badge': { escalated: number };
  /** Sent by the Electron shell, never by the core: its notification was clicked, open this conversation. */
  'notify.open': { conversationId: number };
  /** Sent by the Electron shell, never by the core: an application menu item was clicked, run this command (shared/commands.ts). */
  'command.run': { id: string };
  /** The provider refused to renew an email account's sign-in: the account is paused until the owner signs in again (its signInNeeded says why). */
  'accounts.signInNeeded': { accountId: number; reason: string };
}
export type EventName = keyof CoreEvents;
export const eventNames: EventName[] = [
  'conversations.changed',
  'messages.changed',
  'customers.changed',
  'links.changed',
  'links.progress',
  'sync.status',
  'outbox.changed',
  'import.progress',
  'network.changed',
  'settings.changed',
  'goals.changed',
  'savedReplies.changed',
  'sync.progress',
  'sync.retry',
  'sync.passed',
  'notify.show',
  'notify.badge',
  'notify.open',
  'command.run',
  'accounts.signInNeeded',
];
