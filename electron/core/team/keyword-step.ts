// The status keywords' part of a team cycle (service.ts): write the keywords this copy owes
// (keywords.ts, conditional STOREs), then read back what others changed on the server
// (keywords-read.ts) and apply it: a newer keyword becomes this copy's status event, an older one is
// written over with the log's status by the next cycle.
import type { ImapFlow } from 'imapflow';
import type { ConversationStatus } from '../../../shared/domain/types';
import type { CoreContext } from '../context';
import { getConversationSummary } from '../db/repos/conversations';
import * as repo from '../db/repos/team';
import * as owed from '../db/repos/team-keywords';
import type { CycleResult, TeamOptions } from './cycle';
import { writeStatusKeywords } from './keywords';
import { decide, readStatusKeywords, type KeywordReadBack } from './keywords-read';

export class KeywordStep {
  /** Status keywords this copy stored and has not read back past yet: folder → UID → modseq after the STORE (keywords-read.ts skips them). */
  private readonly ownWrites = new Map<string, Map<number, bigint | null>>();

  constructor(
    private readonly ctx: CoreContext,
    /** Records a status change as this copy's event (TeamService.recordStatus). */
    private readonly recordStatus: (ids: number[], status: ConversationStatus, snoozeUntil: number | null) => void,
  ) {}

  /**
   * Owe the keywords of what the cycle changed, write those owed, read back the others' changes and
   * apply them (into `res`). Leaves the client on the log folder; calls `again` when another cycle should
   * run soon (others appended to the log meanwhile, or a keyword overruled by the log is to be written back).
   */
  async run(client: ImapFlow, accountId: number, res: CycleResult, opts: TeamOptions, again: () => void): Promise<void> {
    const db = this.ctx.db;
    owed.oweKeywords(db, res.conversations, this.ctx.now());
    if (opts.keywords === false) return; // written by a later cycle
    const due = owed.owedKeywords(db);
    let back: KeywordReadBack | undefined;
    let grown = false;
    try {
      if (due.length) {
        res.keywords = await writeStatusKeywords(
          db,
          client,
          accountId,
          due.map((r) => r.id),
          opts.beforeKeywordStore,
        );
        owed.clearOwed(db, due);
        for (const [folder, uids] of res.keywords.stored) {
          const m = this.ownWrites.get(folder) ?? new Map<number, bigint | null>();
          for (const [uid, modseq] of uids) m.set(uid, modseq);
          this.ownWrites.set(folder, m);
        }
        if (res.keywords.concurrent) this.ctx.log.info('status keywords changed by someone else meanwhile, written again', { service: 'team', concurrent: res.keywords.concurrent });
      }
      back = await readStatusKeywords(db, client, accountId, repo.getCursor(db, accountId)?.folder ?? '', this.ownWrites);
    } finally {
      // Back on the log folder for IDLE: what others appended meanwhile was not announced to us, so read it now.
      const cur = repo.getCursor(db, accountId);
      const mb = cur && client.usable ? await client.mailboxOpen(cur.folder).catch(() => null) : null;
      if (cur && mb && mb.uidNext > cur.lastUid + 1) again();
      // Grown by more than this cycle appended: someone else's events, read before their keywords are.
      if (cur && mb && mb.uidNext - 1 - cur.lastUid > res.appended) grown = true;
    }
    if (back && !grown) {
      const read = this.apply(accountId, back);
      res.keywordsRead = read;
      if (read.overruled) again(); // written back by the loop's next cycle, not at the next poll
      this.ownWrites.clear(); // every cursor read is past them (they were stored before it was read)
    }
  }

  /** Apply what the keywords say (keywords-read.ts decide): newer ones become this copy's status events, older ones are owed again with the log's. */
  private apply(accountId: number, back: KeywordReadBack): NonNullable<CycleResult['keywordsRead']> {
    const db = this.ctx.db;
    const now = this.ctx.now();
    const out = { applied: 0, overruled: 0, unsupported: back.unsupported };
    const changed: number[] = [];
    db.transaction(() => {
      for (const [id, status] of back.seen) {
        const d = decide(db, id, status, now);
        if (d === 'log') {
          owed.oweKeywords(db, [id], now);
          out.overruled++;
        } else if (d === 'keywords') {
          // $CanarySnoozed carries no time: a snooze still running is kept, else a day.
          const until = getConversationSummary(db, id)?.snoozeUntil ?? null;
          this.recordStatus([id], status, status === 'snoozed' ? (until !== null && until > now ? until : now + 86_400_000) : null);
          changed.push(id);
          out.applied++;
        }
      }
      for (const c of back.cursors) owed.setKeywordCursor(db, accountId, c.folder, c.cursor, now);
    })();
    if (changed.length) this.ctx.bus.emit('ConversationsChanged', { ids: changed });
    if (out.applied || out.overruled) this.ctx.log.info('status keywords changed on the server read back', { service: 'team', applied: out.applied, overruled: out.overruled });
    return out;
  }
}
