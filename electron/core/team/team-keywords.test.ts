// Status as IMAP keywords on a real Dovecot (issue 17): the status a copy shows is written onto the
// conversation's messages as one fixed keyword ($CanaryWaiting, $CanarySnoozed, $CanaryDone; open:
// none), other flags kept; the teammate's copy writing the same winner changes nothing; a stale
// keyword left by anyone is corrected when the status changes; keywords can be turned off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../testing/dovecot';
import { tempDir } from '../testing/tmp';
import { STATUS_KEYWORDS } from './keywords';
import { conversationOf, openTeammate, syncMail, type Teammate } from './testing/teammates';

const available = dovecotAvailable();
if (!available) console.warn('skipping the team keyword test: dovecot is not installed (apt-get install -y dovecot-imapd)');

describe.skipIf(!available)('team status as IMAP keywords', () => {
  let d: Dovecot;
  const root = tempDir('canary-team-kw-');
  const open: Teammate[] = [];
  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: 'pw' } });
    d.save('alice', makeRawEmail({ from: 'Kim <kim@cust.example>', to: 'support@biz.example', subject: 'Lid', body: 'The lid is cracked.', messageId: '<kw1@cust.example>' }));
    d.save(
      'alice',
      makeRawEmail({ from: 'Kim <kim@cust.example>', to: 'support@biz.example', subject: 'Re: Lid', body: 'Photo attached.', messageId: '<kw2@cust.example>', inReplyTo: '<kw1@cust.example>' }),
    );
    d.save('alice', makeRawEmail({ from: 'Lu <lu@cust.example>', to: 'support@biz.example', subject: 'Hello', body: 'Hi', messageId: '<kw3@cust.example>' }));
  });
  afterAll(async () => {
    for (const t of open.splice(0)) await t.core.close().catch(() => t.core.dispose());
    await d?.stop();
    root.cleanup();
  });

  it('writes the shown status as one keyword on every message of the conversation, keeps other flags, follows changes', async () => {
    const a = await openTeammate(d, root.dir, 'Alex');
    const b = await openTeammate(d, root.dir, 'Bea');
    open.push(a, b);
    for (const t of [a, b]) await syncMail(t);
    const uids = d.uids('alice');
    expect(uids).toHaveLength(3);
    d.doveadm(['flags', 'add', '-u', 'alice', '\\Flagged', 'mailbox', 'INBOX', 'uid', String(uids[0])]);
    const flags = () => [...d.listFlags('alice').entries()].map(([uid, f]) => [uid, f.filter((x) => x !== '\\Recent').sort()]);

    await a.core.call('conversations.setStatus', { ids: [conversationOf(a, 'kw1@cust.example')], status: 'done' });
    const ra = await a.core.ctx.team.syncOnce();
    expect(ra.keywords).toMatchObject({ written: 2, concurrent: 0, unsupported: [] });
    expect(flags()).toEqual([
      [uids[0], ['$CanaryDone', '\\Flagged']],
      [uids[1], ['$CanaryDone']],
      [uids[2], []],
    ]);
    // Bea's copy applies the same winner and finds the keywords already right.
    const rb = await b.core.ctx.team.syncOnce();
    expect(rb.keywords).toMatchObject({ written: 0, concurrent: 0 });
    // Bea: waiting. Then someone's mail app leaves a stale keyword; Alex reopens: every Canary keyword goes.
    await b.core.call('conversations.setStatus', { ids: [conversationOf(b, 'kw1@cust.example')], status: 'waiting' });
    expect((await b.core.ctx.team.syncOnce()).keywords).toMatchObject({ written: 2 });
    expect(flags()[0]).toEqual([uids[0], [STATUS_KEYWORDS.waiting, '\\Flagged']]);
    d.doveadm(['flags', 'add', '-u', 'alice', STATUS_KEYWORDS.snoozed, 'mailbox', 'INBOX', 'uid', String(uids[1])]);
    await a.core.ctx.team.syncOnce();
    await a.core.call('conversations.setStatus', { ids: [conversationOf(a, 'kw1@cust.example')], status: 'open' });
    expect((await a.core.ctx.team.syncOnce()).keywords).toMatchObject({ written: 2 });
    expect(flags()).toEqual([
      [uids[0], ['\\Flagged']],
      [uids[1], []],
      [uids[2], []],
    ]);
    // After a cycle the log folder is selected again: the next cycle still reads and appends the log.
    await b.core.call('conversations.setStatus', { ids: [conversationOf(b, 'kw3@cust.example')], status: 'done' });
    expect(await b.core.ctx.team.syncOnce({ keywords: false })).toMatchObject({ applied: 1, appended: 1, keywords: null });
    expect(flags()[2]).toEqual([uids[2], []]);
  });
});
