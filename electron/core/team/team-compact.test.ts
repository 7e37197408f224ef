// Compaction of the team log into snapshots, on a real Dovecot (issue 17): past the threshold a copy
// writes the winning events as snapshot parts and deletes the messages they replace; a new teammate
// reading the compacted log, and a copy that was offline with a change queued, reach the same state
// as the copies that read every event; a newer Canary's event is never compacted away.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../testing/dovecot';
import { tempDir } from '../testing/tmp';
import { uidSet, uidSets } from './compact';
import { conversationOf, openTeammate, statusOf, syncMail, type Teammate } from './testing/teammates';

const available = dovecotAvailable();
if (!available) console.warn('skipping the team compaction tests: dovecot is not installed (apt-get install -y dovecot-imapd)');

const MIDS = Array.from({ length: 6 }, (_, i) => `k${i}@cust.example`);

it('writes UID sets compactly', () => {
  expect(uidSet([5, 1, 2, 3, 9, 10, 12, 3])).toBe('1:3,5,9:10,12');
  expect(uidSet([])).toBe('');
  const sets = uidSets([1, 2, 3, 5, 7, 9, 10, 11, 20], 8);
  expect(sets).toEqual([
    { text: '1:3,5,7', count: 5 },
    { text: '9:11,20', count: 4 },
  ]);
  expect(sets.every((x) => x.text.length <= 8)).toBe(true);
});

describe.skipIf(!available)('team log compaction', () => {
  let d: Dovecot;
  let root: { dir: string; cleanup: () => void } | null = null;
  const open: Teammate[] = [];

  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: 'pw' } });
    d.seedMaildir(
      'alice',
      MIDS.map((mid, i) => makeRawEmail({ from: `c${i}@cust.example`, to: 'support@biz.example', subject: `Case ${i}`, body: 'help', messageId: `<${mid}>` })),
    );
  });
  afterAll(async () => {
    await d?.stop();
  });
  afterEach(async () => {
    for (const t of open.splice(0)) await t.core.close().catch(() => t.core.dispose());
    root?.cleanup();
    root = null;
  });

  async function mate(name: string, now?: () => number): Promise<Teammate> {
    root ??= tempDir('canary-team-compact-');
    const t = await openTeammate(d, root.dir, name, now ? { now } : {});
    open.push(t);
    await syncMail(t);
    return t;
  }

  /** [Message kind, count] in the log folder: events and snapshot parts, by their headers. */
  function folder(): { events: number; snapshots: number; other: number } {
    const out = d.doveadm(['-f', 'flow', 'fetch', '-u', 'alice', 'uid hdr.x-canary-event hdr.x-canary-snapshot', 'mailbox', 'Canary/Team']);
    const r = { events: 0, snapshots: 0, other: 0 };
    for (const line of out.split('\n').filter((l) => /uid=\d+/.test(l))) {
      if (/hdr\.x-canary-snapshot=\s*[0-9a-f]{32}/.test(line)) r.snapshots++;
      else if (/hdr\.x-canary-event=\s*[0-9a-f]{32}/.test(line)) r.events++;
      else r.other++;
    }
    return r;
  }

  const state = (t: Teammate) => ({
    status: MIDS.map((m) => statusOf(t, m)),
    assignee: MIDS.map((m) => t.core.db.prepare("SELECT assignee FROM conversations WHERE kind = 'email' AND external_id = ?").pluck().get(m)),
    fields: t.core.db.prepare('SELECT target, field, value, event_id FROM team_fields ORDER BY target, field').all(),
  });

  it('past the threshold one copy compacts; a new teammate and an offline copy converge on the snapshot', async () => {
    let clock = 1_800_000_000_000;
    const tick = () => (clock += 1000);
    const [a, b, c] = [await mate('Alex', tick), await mate('Bea', tick), await mate('Cy', tick)];
    // Cy reads the start of the log, then goes offline with a change queued.
    await a.core.call('conversations.setStatus', { ids: [conversationOf(a, MIDS[0]!)], status: 'waiting' });
    await a.core.ctx.team.syncOnce();
    await c.core.ctx.team.syncOnce();
    await c.core.call('conversations.assign', { ids: [conversationOf(c, MIDS[5]!)], assignee: 'me' });
    // Alex and Bea work on: 40 more events, some on the same conversations at once (conflicts).
    const statuses = ['done', 'open', 'waiting'] as const;
    for (let i = 0; i < 20; i++) {
      for (const t of [a, b]) {
        const mid = MIDS[(i + (t === b ? 1 : 0)) % 5]!;
        if (i % 4 === 3) await t.core.call('conversations.assign', { ids: [conversationOf(t, mid)], assignee: t === a ? 'bea@biz.example' : 'me' });
        else await t.core.call('conversations.setStatus', { ids: [conversationOf(t, mid)], status: statuses[(i + (t === b ? 2 : 0)) % 3]! });
      }
      if (i % 3 === 0) for (const t of [a, b]) await t.core.ctx.team.syncOnce();
    }
    // A newer Canary's event in the log: kept through compaction.
    const newer = {
      v: 2,
      id: 'f'.repeat(32),
      author: { name: 'Zed', address: 'zed@biz.example', device: 'e'.repeat(32) },
      at: 5,
      causal: { seq: 1, seen: [] },
      kind: 'conversation.priority',
      target: `email:${MIDS[0]}`,
      fields: { priority: 3 },
    };
    d.save('alice', Buffer.from(`X-Canary-Team: 1\r\nX-Canary-Event: ${newer.id}\r\nSubject: newer\r\n\r\n${JSON.stringify(newer)}\r\n`), 'Canary/Team');
    await b.core.ctx.team.syncOnce();
    await a.core.ctx.team.syncOnce();
    await b.core.ctx.team.syncOnce();
    const before = folder();
    expect(before).toEqual({ events: 42, snapshots: 0, other: 0 });
    expect(state(a)).toEqual(state(b));

    // Alex's next cycle finds the folder past the threshold: a snapshot of the winners, the rest deleted.
    const r = await a.core.ctx.team.syncOnce({ compactAt: 30 });
    const winners = new Set(a.core.db.prepare('SELECT event_id FROM team_fields').pluck().all()).size;
    expect(r.compacted).toMatchObject({ events: winners, parts: 1, deleted: 41 });
    expect(winners).toBeLessThan(20);
    expect(folder()).toEqual({ events: 1, snapshots: 1, other: 0 }); // the newer Canary's event stays
    // Nothing to do below the threshold; Bea reads the snapshot: nothing new for her, nothing changes.
    expect((await a.core.ctx.team.syncOnce({ compactAt: 30 })).compacted).toBeNull();
    const rb = await b.core.ctx.team.syncOnce();
    expect(rb).toMatchObject({ applied: 0, snapshots: 1, invalid: 0 });
    expect(state(b)).toEqual(state(a));

    // A new teammate reads the snapshot only: the same state, the newer event kept unapplied.
    const dee = await mate('Dee');
    const rd = await dee.core.ctx.team.syncOnce();
    expect(rd).toMatchObject({ applied: winners, snapshots: 1, newer: 1, invalid: 0 });
    expect(state(dee)).toEqual(state(a));
    // Teammates from the snapshot's winners (and the newer Canary's author); Cy has not sent anything yet.
    expect((await dee.core.call('team.list', {})).map((m) => m.name).sort()).toEqual(['Alex', 'Bea', 'Dee', 'Zed']);

    // Cy comes back: what he missed comes from the snapshot, his queued change goes out and reaches all.
    const rc = await c.core.ctx.team.syncOnce();
    expect(rc).toMatchObject({ appended: 1, snapshots: 1 });
    for (const t of [a, b, dee]) await t.core.ctx.team.syncOnce();
    const final = state(a);
    expect(final.assignee[5]).toBe('cy@biz.example');
    for (const t of [b, c, dee]) expect(state(t)).toEqual(final);
    // Compacting again replaces the first snapshot and the events after it.
    const r2 = await b.core.ctx.team.syncOnce({ compactAt: 2 });
    expect(r2.compacted).toMatchObject({ parts: 1 });
    expect(folder()).toEqual({ events: 1, snapshots: 1, other: 0 });
    const eve = await mate('Eve');
    await eve.core.ctx.team.syncOnce();
    expect(state(eve)).toEqual(final);
  });
});
