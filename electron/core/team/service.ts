// Team mode's log sync (issue 17), a core service (ctx.team): opt-in (settings.team.enabled). Local
// changes (status, tags, assignee, notes, replying claims, replies) become events in a local outbox in
// the same transaction as the change; a cycle (cycle.ts) reads the log folder, appends the outbox and
// compacts the log past its threshold. While started (the app, `npm run serve`), one connection IDLEs
// on the log folder and runs a cycle when it grows, when a local change is queued, and every pollMs;
// it reconnects with backoff and works offline (events wait in the outbox).
import type { ImapFlow } from 'imapflow';
import type { ConversationStatus } from '../../../shared/domain/types';
import type { CoreContext } from '../context';
import { getAccount, listAccounts } from '../db/repos/accounts';
import { getSettings } from '../db/repos/settings';
import * as repo from '../db/repos/team';
import { connectImap, MailConnectError } from '../email/imap/connect';
import type { EmailAccountConfig } from '../email/imap/config';
import { withMailAuth } from '../email/oauth/tokens';
import { retryLoop } from '../retry';
import { newEventId, REPLY_TAKEN_BACK, type TeamEvent } from './event';
import { applyEvent, applyPending, authorKey } from './merge';
import { runCycle, type CycleResult, type TeamOptions } from './cycle';
import { KeywordStep } from './keyword-step';
import * as owed from '../db/repos/team-keywords';
import { CLAIM_MS } from '../../../shared/contract/team';

export { COMPACT_AT, type CycleResult, type TeamOptions } from './cycle';

export class TeamService {
  private stopped = true;
  private loop: Promise<void> | null = null;
  private client: ImapFlow | null = null;
  private lock: Promise<unknown> = Promise.resolve();
  private wake: (() => void) | null = null;
  private pending = false;
  private offs: (() => void)[] = [];
  /** The MessagesStored listener, held only while team mode is on. */
  private following: (() => void) | null = null;
  private opts: TeamOptions = {};
  /** The status keywords' part of each cycle (keyword-step.ts). */
  private readonly keywords: KeywordStep;
  /** Whether the last attempt to reach the log's server failed (the loop retries). */
  offline = false;

  constructor(private readonly ctx: CoreContext) {
    this.keywords = new KeywordStep(ctx, (ids, status, until) => this.recordStatus(ids, status, until));
  }

  /** Whether team mode is on and which account's server holds the log. */
  config(): { enabled: boolean; accountId: number | null } {
    const t = getSettings(this.ctx.db).team;
    if (!t.enabled) return { enabled: false, accountId: null };
    if (t.accountId !== null) return { enabled: true, accountId: getAccount(this.ctx.db, t.accountId) ? t.accountId : null };
    const first = listAccounts(this.ctx.db, 'email').find((a) => a.enabled);
    return { enabled: true, accountId: first?.id ?? null };
  }

  /** This copy's device id (random, made once). */
  device(): string {
    let d = repo.getMeta(this.ctx.db, 'device');
    if (!d) {
      d = newEventId();
      repo.setMeta(this.ctx.db, 'device', d);
    }
    return d;
  }

  private author(accountId: number | null): TeamEvent['author'] {
    const s = getSettings(this.ctx.db);
    const account = accountId !== null ? getAccount<EmailAccountConfig>(this.ctx.db, accountId) : null;
    return {
      name: s.team.name || s.agentName || account?.name || '',
      address: (s.team.address || account?.address || account?.config.user || '').toLowerCase(),
      device: this.device(),
    };
  }

  /**
   * A local status change (conversations.setStatus): one event per conversation in the outbox, merged
   * here at once. Call inside the change's transaction; nothing when team mode is off.
   */
  recordStatus(ids: number[], status: ConversationStatus, snoozeUntil: number | null): void {
    if (this.recordOn(ids, { kind: 'conversation.status', fields: { status, snoozeUntil: status === 'snoozed' ? snoozeUntil : null } })) owed.oweKeywords(this.ctx.db, ids, this.ctx.now());
  }

  /**
   * A local tag change (conversations.tag): one event per conversation, a field per tag (added: its
   * name, removed: null), so teammates' changes to different tags all stay. Inside the change's transaction.
   */
  recordTags(ids: number[], add: string[], remove: string[]): void {
    const fields: Record<string, string | null> = {};
    for (const t of remove) fields[`tag:${t.toLowerCase()}`] = null;
    for (const t of add) fields[`tag:${t.toLowerCase()}`] = t;
    if (!Object.keys(fields).length) return;
    this.recordOn(ids, { kind: 'conversation.tags', fields });
  }

  /** Assign conversations to a teammate (their address, or their name when they have none) or to nobody (null); false when team mode is off. */
  recordAssign(ids: number[], assignee: string | null): boolean {
    return this.recordOn(ids, { kind: 'conversation.assign', fields: { assignee } });
  }

  /** Set a conversation's shared note (one text per conversation: a later edit replaces it, history keeps each version). */
  recordNote(id: number, note: string): boolean {
    return this.recordOn([id], { kind: 'note', fields: { note } });
  }

  /**
   * A link decision on an X account (`x-user:<id>`, the account's X user id, the same on every copy)
   * and the customer it concerns (their email address, or null): shared for teammates to see.
   */
  recordLinkDecision(target: string, decision: 'confirm' | 'reject' | 'undo' | 'link' | 'unlink', customer: string | null): boolean {
    const { enabled, accountId } = this.config();
    if (!enabled) return false;
    this.record(target, this.author(accountId), { kind: 'link.decision', fields: { decision, customer } });
    this.queued();
    return true;
  }

  /**
   * The "replying" claim of this copy's author on a conversation (the composer open): held until
   * now + CLAIM_MS, renewed only once less than half of it is left (typing renews it, at most one
   * event a minute); released (null) when the composer closes. Its end time (null: not held, or team mode off).
   */
  claim(id: number, replying: boolean): number | null {
    if (!this.config().enabled) return null;
    const target = repo.targetOfConversation(this.ctx.db, id);
    if (!target) return null;
    const field = `claim:${authorKey({ author: this.self() })}`;
    const cur = repo.getField(this.ctx.db, target, field);
    const held = cur ? (JSON.parse(cur.value) as number | null) : null;
    const now = this.ctx.now();
    if (replying && held !== null && held - now > CLAIM_MS / 2) return held;
    if (!replying && (held === null || held <= now)) return null;
    const until = replying ? now + CLAIM_MS : null;
    this.ctx.db.transaction(() => this.recordOn([id], { kind: 'conversation.claim', fields: { [field]: until } }))();
    return until;
  }

  /** This copy's author answered these conversations (a reply queued): teammates' copies warn before answering again. */
  recordReply(ids: number[]): void {
    if (!this.config().enabled) return;
    const field = `reply:${authorKey({ author: this.self() })}`;
    this.ctx.db.transaction(() => this.recordOn(ids, { kind: 'conversation.reply', fields: { [field]: this.ctx.now() } }))();
  }

  /**
   * A reply of this copy's author taken back with Undo before it went (outbox.undo): their "answered"
   * on these conversations is withdrawn (the field set to REPLY_TAKEN_BACK; a later event, so it wins), so
   * teammates are no longer told it was answered. An earlier reply that did go is still found in the
   * Sent folder by the check before sending. Nothing when team mode is off or no reply was shared.
   */
  recordReplyTakenBack(ids: number[]): void {
    if (!this.config().enabled) return;
    const db = this.ctx.db;
    const field = `reply:${authorKey({ author: this.self() })}`;
    const answered = [...new Set(ids)].filter((id) => {
      const target = repo.targetOfConversation(db, id);
      const cur = target ? repo.getField(db, target, field) : null;
      return cur !== null && JSON.parse(cur.value) !== REPLY_TAKEN_BACK;
    });
    if (answered.length) db.transaction(() => this.recordOn(answered, { kind: 'conversation.reply', fields: { [field]: REPLY_TAKEN_BACK } }))();
  }

  /** One event per conversation setting these fields; call inside the change's transaction. False when team mode is off. */
  private recordOn(ids: number[], body: Pick<TeamEvent, 'kind' | 'fields'>): boolean {
    const { enabled, accountId } = this.config();
    if (!enabled) return false;
    const db = this.ctx.db;
    const author = this.author(accountId);
    for (const id of new Set(ids)) {
      const target = repo.targetOfConversation(db, id);
      if (target) this.record(target, author, body);
    }
    this.queued();
    return true;
  }

  /** Who this copy writes as (team.name / address, else the agent name and the account's address). */
  self(): TeamEvent['author'] {
    return this.author(this.config().accountId);
  }

  private record(target: string, author: TeamEvent['author'], body: Pick<TeamEvent, 'kind' | 'fields'>): void {
    const db = this.ctx.db;
    // A hybrid clock: never before the write it replaces, whatever this computer's clock says.
    const prev = Math.max(0, ...Object.keys(body.fields).map((k) => repo.getField(db, target, k)?.at ?? 0));
    const e = {
      v: 1,
      id: newEventId(),
      author,
      at: Math.max(this.ctx.now(), prev + 1),
      causal: { seq: repo.lastSeq(db, author.device) + 1, seen: repo.latestPerDevice(db, author.device) },
      target,
      ...body,
    } as TeamEvent;
    applyEvent(db, e, { state: 'queued', uid: null, now: this.ctx.now() });
  }

  private queued(): void {
    this.pending = true;
    queueMicrotask(() => this.kick());
  }

  /** Whether the loop runs (started, team mode on, an account to hold the log). */
  get running(): boolean {
    return this.loop !== null;
  }

  /** Events of this copy not yet known to be in the log. */
  outboxSize(): number {
    return repo.outboxCount(this.ctx.db);
  }

  /** Keep the log in sync while the core runs (and team mode is on; follows settings changes). */
  start(opts: TeamOptions = {}): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.opts = opts;
    this.offs.push(
      this.ctx.events.subscribe((e) => {
        if (e.name === 'settings.changed' || e.name === 'sync.status') this.reconcile();
      }),
    );
    this.reconcile();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.offs.splice(0)) off();
    this.unfollow();
    await this.halt();
  }

  /** One cycle on a connection of its own (tests, the CLI); with the loop running, shares its lock. */
  async syncOnce(opts: TeamOptions = {}): Promise<CycleResult> {
    const { enabled, accountId } = this.config();
    if (!enabled) throw new Error('team mode is off (settings.team.enabled)');
    if (accountId === null) throw new Error('team mode needs an email account whose server holds the log');
    return withMailAuth(this.ctx, accountId, async (m) => {
      const client = await connectImap(m.account.config, m.secret);
      try {
        return await this.locked(() => this.cycle(client, accountId, { ...this.opts, ...opts }));
      } finally {
        await client.logout().catch(() => client.close());
      }
    });
  }

  /** Follow new mail while team mode is on: what the log says about a conversation that appears is shown on it. */
  private follow(): void {
    if (this.following) return;
    this.following = this.ctx.bus.on('MessagesStored', ({ conversationIds }) => {
      try {
        const ids = this.ctx.db.transaction(() => {
          const shown = applyPending(this.ctx.db, conversationIds, this.ctx.now());
          owed.oweKeywords(this.ctx.db, shown, this.ctx.now());
          return shown;
        })();
        if (ids.length) this.ctx.bus.emit('ConversationsChanged', { ids });
      } catch (err) {
        this.ctx.log.warn('team state not shown on new mail', { service: 'team', err });
      }
    });
  }

  private unfollow(): void {
    this.following?.();
    this.following = null;
  }

  /** Whether new mail is followed (team mode on while started). */
  get followingMail(): boolean {
    return this.following !== null;
  }

  private reconcile(): void {
    if (this.stopped) return;
    let want: boolean;
    try {
      const c = this.config();
      if (c.enabled) this.follow();
      else this.unfollow();
      want = c.enabled && c.accountId !== null;
    } catch {
      return; // the database was closed
    }
    if (want && !this.loop) {
      const loop: Promise<void> = this.run()
        .catch((err) => this.ctx.log.warn('team log sync ended', { service: 'team', err }))
        .finally(() => {
          if (this.loop === loop) this.loop = null;
        });
      this.loop = loop;
    } else if (!want && this.loop) void this.halt();
  }

  private async halt(): Promise<void> {
    const loop = this.loop;
    this.wake?.();
    const c = this.client;
    if (c) await c.logout().catch(() => c.close());
    await loop;
  }

  /** Run a cycle soon: breaks the IDLE of the running loop. */
  kick(): void {
    const c = this.client;
    if (c?.usable && c.idling) void c.noop().catch(() => undefined);
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.lock.then(fn, fn);
    this.lock = p.catch(() => undefined);
    return p;
  }

  /**
   * A cycle of the log (cycle.ts), then the status keywords: those owed are written (keywords.ts), then
   * others' keyword changes are read back (keywords-read.ts). The log folder is selected again after;
   * when it grew meanwhile, the read-back waits for the next cycle (it reads the log first), so a
   * teammate's keywords are never taken for a change when their event is already in the log.
   */
  private async cycle(client: ImapFlow, accountId: number, opts: TeamOptions): Promise<CycleResult> {
    const res = await runCycle(this.ctx, client, accountId, opts, { device: this.device(), author: this.self() });
    await this.keywords.run(client, accountId, res, opts, () => (this.pending = true));
    return res;
  }

  private live(): boolean {
    return !this.stopped && this.config().enabled;
  }

  private run(): Promise<void> {
    return retryLoop(
      async ({ reset }) => {
        const { accountId } = this.config();
        if (!this.live() || accountId === null) return;
        const { client } = await withMailAuth(this.ctx, accountId, async (m) => ({ client: await connectImap(m.account.config, m.secret) }));
        if (!this.live()) {
          await client.logout().catch(() => client.close());
          return;
        }
        this.client = client;
        try {
          await this.locked(() => this.cycle(client, accountId, this.opts));
          this.offline = false;
          reset();
          let grown = false;
          client.on('exists', () => {
            grown = true;
            if (client.idling) void client.noop().catch(() => undefined);
          });
          const pollMs = this.opts.pollMs ?? 60_000;
          while (this.live() && client.usable) {
            const timer = setTimeout(() => {
              if (client.usable) void client.noop().catch(() => undefined);
            }, pollMs);
            if (!this.pending && !grown) await client.idle().catch(() => undefined);
            clearTimeout(timer);
            if (!this.live() || !client.usable) break;
            grown = false;
            this.pending = false;
            await this.locked(() => this.cycle(client, accountId, this.opts));
          }
          if (this.live()) throw new MailConnectError('network', 'The IMAP connection closed.', 'imap');
        } finally {
          this.client = null;
          if (client.usable) await client.logout().catch(() => client.close());
          else client.close();
        }
      },
      {
        baseMs: this.opts.backoffMs ?? 1000,
        maxMs: this.opts.maxBackoffMs ?? 60_000,
        retry: () => this.live(),
        onRetry: (err, _n, delayMs) => {
          this.offline = true;
          this.ctx.log.warn('team log unreachable, retrying', { service: 'team', delayMs, err });
        },
        wait: (ms) =>
          new Promise<void>((resolve) => {
            const t = setTimeout(resolve, ms);
            this.wake = () => {
              clearTimeout(t);
              resolve();
            };
          }).finally(() => (this.wake = null)),
      },
    );
  }
}
