// Flag changes and expunges of an account's folders: those the server reports on its own (IDLE,
// QRESYNC's SELECT, unsolicited FETCH/EXPUNGE during any command), and those a pass asks for as
// the planner says (plan.ts): SEARCH MODSEQ then the changed flags, a scan of the flags, or a UID
// diff of the folder for expunges.

import type { FetchMessageObject, ImapFlow } from 'imapflow';
import type { CoreContext } from '../../context';
import { MailConnectError } from '../imap/connect';
import { expandUidSet, uidSet } from '../imap/uids';
import { flagScanRanges, sweepDue, uidGroups, type FlagsStep } from './plan';
import { forgetLocation, setFlags, storedUids, storedUidsDesc } from './locations';

/** Flag lines applied per transaction, the event loop running between two. */
const FLAGS_CHUNK = 500;

/** UID SEARCH; imapflow answers `false` when the command failed, which must not read as "no messages". */
export async function uidSearch(client: ImapFlow, query: Record<string, unknown>): Promise<number[]> {
  // ESEARCH (RFC 4731) answers with a compact set ("1:20000") where plain SEARCH lists every
  // UID: on a big folder imapflow spent ~150 ms of this thread reading that list. imapflow
  // falls back to plain SEARCH on a server without ESEARCH.
  const r = await client.search(query, { uid: true, returnOptions: ['ALL'] });
  if (Array.isArray(r)) return r;
  if (r && typeof r === 'object') return expandUidSet(r.all ?? '');
  if (!client.usable) throw new MailConnectError('network', 'The connection to the IMAP server closed during a search.', 'imap');
  throw new Error(`UID SEARCH ${JSON.stringify(query)} failed on ${client.mailbox ? client.mailbox.path : 'no selected folder'}`);
}

export class FolderChanges {
  /** UIDVALIDITY per folder as known to the cursor: events are applied against it. */
  readonly validity = new Map<string, number>();
  /** Folders where an expunge without UID was seen (no QRESYNC): they need a UID diff. */
  private readonly needExpungeScan = new Set<string>();
  /** Without CONDSTORE: when each folder's flags were last read whole (see plan.ts sweepDue). */
  private readonly flagsSweptAt = new Map<string, number>();
  /** Since the current folder pass began (startPass). */
  private counters = { flags: 0, expunged: 0, flagsRead: 0 };
  /** Flag changes the server reported on its own, stored a burst at a time (storeFlagEvents). */
  private flagEvents: { folder: string; validity: number; uid: number; flags: Set<string>; modseq?: bigint }[] = [];

  constructor(
    private readonly ctx: CoreContext,
    private readonly accountId: number,
    private readonly client: ImapFlow,
  ) {
    client.on('flags', (e: { path: string; uid?: number; flags: Set<string>; modseq?: bigint }) => {
      const v = this.validity.get(e.path);
      if (v === undefined || !e.uid) return;
      // Stored in one transaction per burst ("mark all as read" elsewhere sends a line per message).
      this.flagEvents.push({ folder: e.path, validity: v, uid: e.uid, flags: e.flags, modseq: e.modseq });
      if (this.flagEvents.length >= FLAGS_CHUNK) this.storeFlagEvents();
      else if (this.flagEvents.length === 1) setImmediate(() => this.storeFlagEvents());
    });
    client.on('expunge', (e: { path: string; uid?: number; seq?: number }) => {
      const v = this.validity.get(e.path);
      if (v === undefined) return;
      if (e.uid) {
        if (forgetLocation(ctx, accountId, e.path, v, e.uid)) this.counters.expunged++;
      } else this.needExpungeScan.add(e.path);
    });
  }

  startPass(): void {
    this.counters = { flags: 0, expunged: 0, flagsRead: 0 };
  }

  /** The pass is over: what the server reported during it (flag changes stored, expunges applied) and the flag lines read. */
  endPass(): { flags: number; expunged: number; flagsRead: number } {
    this.storeFlagEvents();
    return this.counters;
  }

  private storeFlagEvents(): void {
    const events = this.flagEvents;
    if (!events.length || !this.ctx.db.open) return;
    this.flagEvents = [];
    this.ctx.db.transaction(() => {
      for (const e of events) if (setFlags(this.ctx, this.accountId, e.folder, e.validity, e.uid, e.flags, e.modseq)) this.counters.flags++;
    })();
  }

  /** The flags step of a pass over UIDs 1..top: the flags it changed. */
  async flags(step: FlagsStep, folder: string, validity: number, top: number): Promise<number> {
    if (step.how === 'unchanged') return 0;
    if (step.how === 'modseq') {
      // Which messages changed (SEARCH MODSEQ, a compact set with ESEARCH), then their flags a
      // range at a time: "mark all as read" elsewhere changes a whole folder at once.
      let changed = 0;
      const found = await uidSearch(this.client, { uid: `1:${top}`, modseq: step.since });
      for (const group of uidGroups(found, step.range)) changed += await this.readFlags(folder, validity, uidSet(group), top);
      return changed;
    }
    return this.scanFlags(folder, validity, top, step);
  }

  /**
   * A server without CONDSTORE cannot say which flags changed: read them. The newest `recent`
   * messages (where "answered" and "seen" change) every pass; the whole folder on a connection's
   * first pass and then every `sweepEveryMs`, `range` UIDs per FETCH.
   */
  private async scanFlags(folder: string, validity: number, top: number, step: Extract<FlagsStep, { how: 'scan' }>): Promise<number> {
    const now = this.ctx.now();
    const local = storedUidsDesc(this.ctx, this.accountId, folder, validity, top);
    if (!local.length) return 0;
    const whole = sweepDue(this.flagsSweptAt.get(folder), now, step.sweepEveryMs);
    let changed = 0;
    for (const range of flagScanRanges(local, top, whole, step.recent, step.range)) changed += await this.readFlags(folder, validity, range, top);
    if (whole) this.flagsSweptAt.set(folder, now);
    return changed;
  }

  /**
   * FETCH the flags of a UID set and store what differs, FLAGS_CHUNK lines per transaction with the
   * event loop running between two.
   */
  private async readFlags(folder: string, validity: number, range: string, top: number): Promise<number> {
    let changed = 0;
    let pending: FetchMessageObject[] = [];
    const flush = () => {
      const lines = pending;
      pending = [];
      this.ctx.db.transaction(() => {
        for (const m of lines) if (setFlags(this.ctx, this.accountId, folder, validity, m.uid, m.flags ?? new Set(), m.modseq)) changed++;
      })();
    };
    for await (const m of this.client.fetch(range, { uid: true, flags: true }, { uid: true }) as AsyncIterable<FetchMessageObject>) {
      if (m.uid > top) continue;
      this.counters.flagsRead++;
      pending.push(m);
      if (pending.length >= FLAGS_CHUNK) {
        flush();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    flush();
    if (!this.client.usable) throw new MailConnectError('network', `The connection to the IMAP server closed while reading flags in ${folder}.`, 'imap');
    return changed;
  }

  /**
   * The expunges step over UIDs 1..top: `always` (flags were read without QRESYNC), or when the
   * server reported an expunge without its UID. Compares UID SEARCH with the stored UIDs; the
   * expunges it applied.
   */
  async expunges(folder: string, validity: number, top: number, always: boolean): Promise<number> {
    if (top <= 0 || !(always || this.needExpungeScan.has(folder))) return 0;
    this.needExpungeScan.delete(folder);
    const server = new Set(await uidSearch(this.client, { uid: `1:${top}` }));
    const gone = storedUids(this.ctx, this.accountId, folder, validity, top).filter((u) => !server.has(u));
    let expunged = 0;
    if (gone.length) {
      this.ctx.db.transaction(() => {
        for (const u of gone) if (forgetLocation(this.ctx, this.accountId, folder, validity, u)) expunged++;
      })();
    }
    return expunged;
  }
}
