// A copy killed with SIGKILL in the middle of appending its outbox to the team log (issue 17): right
// after an APPEND the server took but before the local mark, or right before the APPEND. On restart
// nothing is lost and nothing is in the log twice; a teammate applies each event once.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as repo from '../db/repos/team';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../testing/dovecot';
import { tempDir } from '../testing/tmp';
import { conversationOf, logMessages, openTeammate, reopenTeammate, statusOf, syncMail, type Teammate } from './testing/teammates';

const available = dovecotAvailable();
if (!available) console.warn('skipping the team log kill test: dovecot is not installed (apt-get install -y dovecot-imapd)');

describe.skipIf(!available)('a copy killed with SIGKILL while appending to the team log', () => {
  it.each([
    { when: 'after', nth: 3 },
    { when: 'before', nth: 3 },
    { when: 'after', nth: 1 },
  ])('re-sends nothing twice and loses nothing (%o)', async ({ when, nth }) => {
    const d = await Dovecot.start({ users: { alice: 'pw' } });
    const root = tempDir('canary-team-kill-');
    try {
      const mids = Array.from({ length: 5 }, (_, i) => `k${i}@cust.example`);
      const [a, b] = await twoCopies(d, root.dir, mids);
      for (const m of mids) await a.core.call('conversations.setStatus', { ids: [conversationOf(a, m)], status: 'done' });
      const ids = a.core.db.prepare('SELECT id FROM team_events ORDER BY seq').pluck().all() as string[];
      expect(ids).toHaveLength(5);
      a.core.dispose();

      expect(await runFixture(a.dir, when, String(nth))).toEqual([null, 'SIGKILL', '']);

      const inLog = logMessages(d);
      const appendedBeforeKill = when === 'after' ? nth : nth - 1;
      expect(inLog.size).toBe(appendedBeforeKill);
      const a2 = reopenTeammate(a);
      try {
        // the killed event is marked 'appending': the server is asked before it is sent again
        const states = a2.core.db.prepare('SELECT state FROM team_events ORDER BY seq').pluck().all();
        expect(states).toEqual(ids.map((_, i) => (i < nth - 1 ? 'sent' : i === nth - 1 ? 'appending' : 'queued')));
        const r = await a2.core.ctx.team.syncOnce();
        expect(r).toMatchObject({ recovered: when === 'after' ? 1 : 0, appended: 5 - appendedBeforeKill });
        expect(a2.core.ctx.team.outboxSize()).toBe(0);
        // each event exactly once in the log
        const after = logMessages(d);
        expect([...after.keys()].sort()).toEqual([...ids].sort());
        expect([...after.values()].every((u) => u.length === 1)).toBe(true);
        // the uid each copy recorded is the one in the log
        for (const id of ids) expect(repo.eventState(a2.core.db, id)).toEqual({ state: 'sent', uid: after.get(id)![0] });
        expect(await a2.core.ctx.team.syncOnce()).toMatchObject({ appended: 0, recovered: 0, applied: 0 });
        const rb = await b.core.ctx.team.syncOnce();
        expect(rb).toMatchObject({ applied: 5, invalid: 0 });
        for (const m of mids) expect(statusOf(b, m)).toBe('done');
        expect(b.core.db.prepare('SELECT count(*) FROM team_events').pluck().get()).toBe(5);
      } finally {
        a2.core.dispose();
        b.core.dispose();
      }
    } finally {
      root.cleanup();
      await d.stop();
    }
  });
});

describe.skipIf(!available)('a copy killed with SIGKILL while compacting the team log', () => {
  it('between writing the snapshot and deleting what it replaces: nothing lost, the next compaction finishes the job', async () => {
    const d = await Dovecot.start({ users: { alice: 'pw' } });
    const root = tempDir('canary-team-kill-compact-');
    try {
      const mids = Array.from({ length: 4 }, (_, i) => `kc${i}@cust.example`);
      const [a, b] = await twoCopies(d, root.dir, mids);
      // 12 changes by two people, each copy reading the other's
      for (let i = 0; i < 6; i++) {
        for (const t of [a, b]) await t.core.call('conversations.setStatus', { ids: [conversationOf(t, mids[(i + (t === b ? 1 : 0)) % 4]!)], status: (['done', 'waiting', 'open'] as const)[i % 3]! });
        for (const t of [a, b, a]) await t.core.ctx.team.syncOnce({ compactAt: 0 });
      }
      const fields = (t: Teammate) => t.core.db.prepare('SELECT target, field, value, event_id FROM team_fields ORDER BY 1, 2').all();
      expect(fields(a)).toEqual(fields(b));
      expect(logMessages(d).size).toBe(12);
      a.core.dispose();

      expect(await runFixture(a.dir, 'compact', '5')).toEqual([null, 'SIGKILL', '']);
      // killed after the snapshot went in, before anything was deleted
      const parts = () =>
        d
          .doveadm(['-f', 'flow', 'fetch', '-u', 'alice', 'uid hdr.x-canary-snapshot', 'mailbox', 'Canary/Team'])
          .split('\n')
          .filter((l) => /x-canary-snapshot=\s*[0-9a-f]{32}/.test(l)).length;
      expect(logMessages(d).size).toBe(12);
      expect(parts()).toBe(1);

      const a2 = reopenTeammate(a);
      try {
        // The restarted copy reads its own snapshot (nothing new), compacts again: one snapshot, no events left.
        const r = await a2.core.ctx.team.syncOnce({ compactAt: 5 });
        expect(r).toMatchObject({ applied: 0, snapshots: 1 });
        expect(r.compacted).toMatchObject({ deleted: 13 });
        expect(logMessages(d).size).toBe(0);
        expect(parts()).toBe(1);
        // A new teammate from the snapshot alone, and Bea reading on, have the same winners as Alex.
        const c = await openTeammate(d, root.dir, 'Cy');
        try {
          await syncMail(c);
          await c.core.ctx.team.syncOnce({ compactAt: 0 });
          await b.core.ctx.team.syncOnce({ compactAt: 0 });
          expect(fields(c)).toEqual(fields(a2));
          expect(fields(b)).toEqual(fields(a2));
          for (const m of mids) expect([statusOf(c, m), statusOf(b, m)]).toEqual([statusOf(a2, m), statusOf(a2, m)]);
        } finally {
          c.core.dispose();
        }
      } finally {
        a2.core.dispose();
        b.core.dispose();
      }
    } finally {
      root.cleanup();
      await d.stop();
    }
  });
});

/** Alex's and Bea's copies of alice's mailbox, seeded with one mail per Message-ID, each synced. */
async function twoCopies(d: Dovecot, dir: string, mids: string[]): Promise<[Teammate, Teammate]> {
  d.seedMaildir(
    'alice',
    mids.map((m, i) => makeRawEmail({ from: `c${i}@cust.example`, to: 'support@biz.example', subject: `Kill ${i}`, body: 'x', messageId: `<${m}>` })),
  );
  const a = await openTeammate(d, dir, 'Alex');
  const b = await openTeammate(d, dir, 'Bea');
  await syncMail(a);
  await syncMail(b);
  return [a, b];
}

/** team-kill.fixture.ts in its own process, until it kills itself: [exit code, signal, what it printed]. */
async function runFixture(...args: string[]): Promise<[number | null, string | null, string]> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'team-kill.fixture.ts'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const [code, sig] = await new Promise<[number | null, string | null]>((r) => child.once('exit', (c, s) => r([c, s])));
  return [code, sig, out];
}
