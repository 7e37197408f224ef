// A copy killed with SIGKILL in the middle of appending its outbox to the team log (issue 17): right
// after an APPEND the server took but before the local mark, or right before the APPEND. On restart
// nothing is lost and nothing is in the log twice; a teammate applies each event once.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as repo from '../db/repos/team';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../testing/dovecot';
import { tempDir } from '../testing/tmp';
import { conversationOf, logMessages, openTeammate, reopenTeammate, statusOf, syncMail } from './testing/teammates';

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
      d.seedMaildir(
        'alice',
        mids.map((m, i) => makeRawEmail({ from: `c${i}@cust.example`, to: 'support@biz.example', subject: `Kill ${i}`, body: 'x', messageId: `<${m}>` })),
      );
      const a = await openTeammate(d, root.dir, 'Alex');
      const b = await openTeammate(d, root.dir, 'Bea');
      await syncMail(a);
      await syncMail(b);
      for (const m of mids) await a.core.call('conversations.setStatus', { ids: [conversationOf(a, m)], status: 'done' });
      const ids = a.core.db.prepare('SELECT id FROM team_events ORDER BY seq').pluck().all() as string[];
      expect(ids).toHaveLength(5);
      a.core.dispose();

      const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'team-kill.fixture.ts'), a.dir, when, String(nth)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      const [code, sig] = await new Promise<[number | null, string | null]>((r) => child.once('exit', (c, s) => r([c, s])));
      expect([code, sig, out]).toEqual([null, 'SIGKILL', '']);

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
