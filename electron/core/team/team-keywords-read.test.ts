// Status keywords read back, on a real Dovecot (issue 17, keywords-read.ts): a keyword changed on the
// server by another mail app becomes the conversation's status on every copy (through the log); a
// disagreeing keyword written before a newer log event is overruled and written over; a message changed
// between our read and our conditional STORE (CONDSTORE UNCHANGEDSINCE) is detected: its other flags
// are kept, a status set meanwhile is not overwritten; keywords still owed survive a restart; and a
// folder without custom keywords (PERMANENTFLAGS without \*) still shares status through the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../testing/dovecot';
import { tempDir } from '../testing/tmp';
import { owedKeywords } from '../db/repos/team-keywords';
import { STATUS_KEYWORDS } from './keywords';
import { KEYWORD_GRACE_MS } from './keywords-read';
import { closeTeam, conversationOf, openTeammate, reopenTeammate, statusOf, syncMail, type Teammate } from './testing/teammates';

const available = dovecotAvailable();
if (!available) console.warn('skipping the team keyword read-back tests: dovecot is not installed (apt-get install -y dovecot-imapd)');

function seed(d: Dovecot): void {
  d.save('alice', makeRawEmail({ from: 'Kim <kim@cust.example>', to: 'support@biz.example', subject: 'Lid', body: 'The lid is cracked.', messageId: '<r1@cust.example>' }));
  d.save(
    'alice',
    makeRawEmail({ from: 'Kim <kim@cust.example>', to: 'support@biz.example', subject: 'Re: Lid', body: 'Photo attached.', messageId: '<r2@cust.example>', inReplyTo: '<r1@cust.example>' }),
  );
  d.save('alice', makeRawEmail({ from: 'Lu <lu@cust.example>', to: 'support@biz.example', subject: 'Hello', body: 'Hi', messageId: '<r3@cust.example>' }));
}

/** Flags per UID in INBOX, without \Recent, sorted. */
function flagsOf(d: Dovecot): [number, string[]][] {
  return [...d.listFlags('alice').entries()].map(([uid, f]) => [uid, f.filter((x) => x !== '\\Recent').sort()]);
}

function setKeyword(d: Dovecot, uid: number, keyword: string | null): void {
  d.doveadm(['flags', 'remove', '-u', 'alice', Object.values(STATUS_KEYWORDS).join(' '), 'mailbox', 'INBOX', 'uid', String(uid)]);
  if (keyword) d.doveadm(['flags', 'add', '-u', 'alice', keyword, 'mailbox', 'INBOX', 'uid', String(uid)]);
}

describe.skipIf(!available)('team status keywords read back', () => {
  let d: Dovecot;
  const root = tempDir('canary-team-kwr-');
  const open: Teammate[] = [];
  let now = Date.UTC(2026, 11, 6, 12);
  const clock = () => now;
  let a: Teammate;
  let b: Teammate;

  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: 'pw' } });
    seed(d);
    a = await openTeammate(d, root.dir, 'Alex', { now: clock });
    b = await openTeammate(d, root.dir, 'Bea', { now: clock });
    open.push(a, b);
    for (const t of [a, b]) {
      await syncMail(t);
      await t.core.ctx.team.syncOnce(); // the first look at INBOX: read from here on
    }
  });
  afterAll(async () => {
    await closeTeam(d, open);
    await d?.stop();
    root.cleanup();
  });

  it('a keyword set by another mail app becomes the status on both copies; one written before a newer log event is overruled', async () => {
    const uids = d.uids('alice');
    await a.core.call('conversations.setStatus', { ids: [conversationOf(a, 'r1@cust.example')], status: 'done' });
    expect((await a.core.ctx.team.syncOnce()).keywords).toMatchObject({ written: 2 });
    expect((await b.core.ctx.team.syncOnce()).keywordsRead).toEqual({ applied: 0, overruled: 0, unsupported: [] });
    expect(statusOf(b, 'r1@cust.example')).toBe('done');

    // Two minutes on, Kim's thread is set waiting in another mail app, on one of its two messages.
    now += 2 * KEYWORD_GRACE_MS;
    setKeyword(d, uids[1]!, STATUS_KEYWORDS.waiting);
    const rb = await b.core.ctx.team.syncOnce();
    expect(rb.keywordsRead).toEqual({ applied: 1, overruled: 0, unsupported: [] });
    expect(statusOf(b, 'r1@cust.example')).toBe('waiting');
    // Bea's copy recorded it as a status event: its next cycle appends it and puts the keyword on the other message.
    expect(await b.core.ctx.team.syncOnce()).toMatchObject({ appended: 1, keywords: { written: 1 } });
    // Alex's copy follows through the log (its own read-back then agrees).
    const ra = await a.core.ctx.team.syncOnce();
    expect(ra).toMatchObject({ applied: 1, keywordsRead: { applied: 0, overruled: 0 } });
    expect(statusOf(a, 'r1@cust.example')).toBe('waiting');
    expect(flagsOf(d).slice(0, 2)).toEqual([
      [uids[0], [STATUS_KEYWORDS.waiting]],
      [uids[1], [STATUS_KEYWORDS.waiting]],
    ]);
    expect((await a.core.call('team.conversation', { id: conversationOf(a, 'r1@cust.example') })).history.map((h) => `${h.author.name}: ${h.text}`)).toEqual([
      'Alex: set status to done',
      'Bea: set status to waiting',
    ]);

    // Alex marks it done; before Bea's copy reads that, a copy that had not read it yet writes its older status back (the keyword disagrees within the grace).
    now += 1000;
    await a.core.call('conversations.setStatus', { ids: [conversationOf(a, 'r1@cust.example')], status: 'done' });
    await a.core.ctx.team.syncOnce();
    await b.core.ctx.team.syncOnce();
    expect(statusOf(b, 'r1@cust.example')).toBe('done');
    now += 1000;
    setKeyword(d, uids[0]!, STATUS_KEYWORDS.waiting);
    expect((await b.core.ctx.team.syncOnce()).keywordsRead).toMatchObject({ applied: 0, overruled: 1 });
    expect(statusOf(b, 'r1@cust.example')).toBe('done');
    // The log's status is written back by the next cycle.
    expect((await b.core.ctx.team.syncOnce()).keywords).toMatchObject({ written: 1 });
    expect(flagsOf(d)[0]).toEqual([uids[0], [STATUS_KEYWORDS.done]]);
    // Removing the keyword in a mail app (after the grace) reopens the conversation everywhere.
    now += 2 * KEYWORD_GRACE_MS;
    setKeyword(d, uids[0]!, null);
    expect((await a.core.ctx.team.syncOnce()).keywordsRead).toMatchObject({ applied: 1 });
    await a.core.ctx.team.syncOnce();
    await b.core.ctx.team.syncOnce();
    expect([statusOf(a, 'r1@cust.example'), statusOf(b, 'r1@cust.example')]).toEqual(['open', 'open']);
  });

  it('a message changed between the read and the conditional STORE is detected: other flags kept, a status set meanwhile not overwritten', async () => {
    const uids = d.uids('alice');
    now += 2 * KEYWORD_GRACE_MS;
    await a.core.call('conversations.setStatus', { ids: [conversationOf(a, 'r1@cust.example')], status: 'snoozed', snoozeUntil: now + 86_400_000 });
    let calls = 0;
    const r = await a.core.ctx.team.syncOnce({
      // Someone flags one message and sets the other waiting while Alex's copy is between its FETCH and its STORE.
      beforeKeywordStore: (folder, todo) => {
        if (calls++ > 0) return;
        expect([folder, [...todo].sort((x, y) => x - y)]).toEqual(['INBOX', [uids[0], uids[1]]]);
        d.doveadm(['flags', 'add', '-u', 'alice', '\\Flagged', 'mailbox', 'INBOX', 'uid', String(uids[0])]);
        setKeyword(d, uids[1]!, STATUS_KEYWORDS.waiting);
      },
    });
    // Both STOREs were refused (MODIFIED): the flagged one written again with \Flagged kept; the other left as its writer set it.
    expect(r.keywords).toMatchObject({ written: 1, concurrent: 2 });
    expect(flagsOf(d).slice(0, 2)).toEqual([
      [uids[0], [STATUS_KEYWORDS.snoozed, '\\Flagged'].sort()],
      [uids[1], [STATUS_KEYWORDS.waiting]],
    ]);
    // Alex's own change is less than a minute old: the log wins, and the next cycle writes it over the concurrent one.
    expect(r.keywordsRead).toMatchObject({ applied: 0, overruled: 1 });
    expect(statusOf(a, 'r1@cust.example')).toBe('snoozed');
    await a.core.ctx.team.syncOnce();
    expect(flagsOf(d)[1]).toEqual([uids[1], [STATUS_KEYWORDS.snoozed]]);
  });

  it('new mail that reopens a conversation, then its messages read in another mail app, changes no status', async () => {
    now += 2 * KEYWORD_GRACE_MS;
    const events = () => a.core.db.prepare("SELECT count(*) FROM team_events WHERE kind = 'conversation.status'").pluck().get();
    await b.core.ctx.team.syncOnce(); // Bea's copy catches up: snoozed
    expect(statusOf(b, 'r1@cust.example')).toBe('snoozed');
    const before = events();
    // Kim writes again: each copy's sync reopens the snoozed thread by itself (no log event); the old messages keep $CanarySnoozed.
    d.save('alice', makeRawEmail({ from: 'Kim <kim@cust.example>', to: 'support@biz.example', subject: 'Re: Lid', body: 'Any news?', messageId: '<r4@cust.example>', inReplyTo: '<r1@cust.example>' }));
    for (const t of [a, b]) await syncMail(t);
    expect([statusOf(a, 'r1@cust.example'), statusOf(b, 'r1@cust.example')]).toEqual(['open', 'open']);
    await a.core.ctx.team.syncOnce(); // the new message is read from here on
    const thread = d.uids('alice').filter((_, i) => i !== 2); // r1, r2 and the new one (not Lu's r3)
    d.doveadm(['flags', 'add', '-u', 'alice', '\\Seen', 'mailbox', 'INBOX', 'uid', thread.join(',')]);
    expect((await a.core.ctx.team.syncOnce()).keywordsRead).toEqual({ applied: 0, overruled: 0, unsupported: [] });
    expect((await b.core.ctx.team.syncOnce()).keywordsRead).toEqual({ applied: 0, overruled: 0, unsupported: [] });
    expect([statusOf(a, 'r1@cust.example'), statusOf(b, 'r1@cust.example')]).toEqual(['open', 'open']);
    expect(events()).toBe(before);
  });

  it('keywords still owed are written after a restart', async () => {
    const uids = d.uids('alice');
    await a.core.call('conversations.setStatus', { ids: [conversationOf(a, 'r3@cust.example')], status: 'done' });
    expect(await a.core.ctx.team.syncOnce({ keywords: false })).toMatchObject({ appended: 1, keywords: null });
    expect(owedKeywords(a.core.db)).toEqual([{ id: conversationOf(a, 'r3@cust.example'), since: expect.any(Number) }]);
    await a.core.close();
    open.splice(open.indexOf(a), 1);
    a = reopenTeammate(a, clock);
    open.push(a);
    expect((await a.core.ctx.team.syncOnce()).keywords).toMatchObject({ written: 1 });
    expect(flagsOf(d)[2]).toEqual([uids[2], [STATUS_KEYWORDS.done]]);
    expect(owedKeywords(a.core.db)).toEqual([]);
  });

  it('while the copies run their loops, a keyword set elsewhere reaches both within a poll, without a call', async () => {
    const uids = d.uids('alice');
    await b.core.ctx.team.syncOnce(); // Bea's copy has Lu's thread done, too
    now += 2 * KEYWORD_GRACE_MS;
    for (const t of [a, b]) t.core.ctx.team.start({ pollMs: 250, backoffMs: 100 });
    await expect.poll(() => a.core.ctx.team.running && b.core.ctx.team.running).toBe(true);
    setKeyword(d, uids[2]!, STATUS_KEYWORDS.waiting); // Lu's thread, done until now
    await expect.poll(() => [statusOf(a, 'r3@cust.example'), statusOf(b, 'r3@cust.example')], { timeout: 10_000, interval: 50 }).toEqual(['waiting', 'waiting']);
    for (const t of [a, b]) await t.core.ctx.team.stop();
  });
});

describe.skipIf(!available)('team status on a folder without custom keywords', () => {
  let d: Dovecot;
  const root = tempDir('canary-team-nokw-');
  const open: Teammate[] = [];

  beforeAll(async () => {
    // INBOX refuses every flag but \Seen and \Deleted (ACL without `w`): PERMANENTFLAGS (\Deleted \Seen), no \*.
    d = await Dovecot.start({ users: { alice: 'pw' }, noKeywords: ['INBOX'] });
    seed(d);
  });
  afterAll(async () => {
    await closeTeam(d, open);
    await d?.stop();
    root.cleanup();
  });

  it('writes and reads no keywords there, and the status still reaches the teammate through the log', async () => {
    const a = await openTeammate(d, root.dir, 'Alex');
    const b = await openTeammate(d, root.dir, 'Bea');
    open.push(a, b);
    for (const t of [a, b]) {
      await syncMail(t);
      await t.core.ctx.team.syncOnce();
    }
    await a.core.call('conversations.setStatus', { ids: [conversationOf(a, 'r1@cust.example')], status: 'done' });
    const ra = await a.core.ctx.team.syncOnce();
    expect(ra).toMatchObject({ appended: 1, keywords: { written: 0, unsupported: ['INBOX'] } });
    const rb = await b.core.ctx.team.syncOnce();
    expect(rb.applied).toBe(1);
    expect(statusOf(b, 'r1@cust.example')).toBe('done');
    // Nothing on the server's messages; a change of \Seen there is no status change.
    expect(flagsOf(d).map(([, f]) => f)).toEqual([[], [], []]);
    d.doveadm(['flags', 'add', '-u', 'alice', '\\Seen', 'mailbox', 'INBOX', 'all']);
    expect((await b.core.ctx.team.syncOnce()).keywordsRead).toEqual({ applied: 0, overruled: 0, unsupported: ['INBOX'] });
    expect(statusOf(b, 'r1@cust.example')).toBe('done');
  });
});
