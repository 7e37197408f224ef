import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot, dovecotAvailable, makeRawEmail } from './dovecot';

const available = dovecotAvailable();
if (!available) console.warn('skipping Dovecot harness tests: dovecot is not installed (apt-get install -y dovecot-imapd)');

describe.skipIf(!available)('Dovecot harness', () => {
  let d: Dovecot;
  beforeAll(async () => {
    d = await Dovecot.start({ folders: ['Archive'] });
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('serves IMAP with CONDSTORE/QRESYNC and seeds, flags, expunges, changes UIDVALIDITY', async () => {
    d.save('alice', makeRawEmail({ from: 'a@x.test', to: 'alice@biz.test', subject: 'one', body: 'hello' }));
    d.seedMaildir(
      'alice',
      [1, 2, 3].map((i) => makeRawEmail({ from: 'a@x.test', to: 'alice@biz.test', subject: `bulk ${i}`, body: 'b' })),
    );
    expect(d.uids('alice')).toEqual([1, 2, 3, 4]);
    d.flagsAdd('alice', 'INBOX', 2, ['\\Seen', '\\Flagged']);
    expect(d.listFlags('alice').get(2)).toEqual(expect.arrayContaining(['\\Seen', '\\Flagged']));
    d.expunge('alice', 'INBOX', 1);
    expect(d.uids('alice')).toEqual([2, 3, 4]);
    const before = d.status('alice');
    expect(before.messages).toBe(3);
    d.setUidValidity('alice', 'INBOX', before.uidvalidity + 7);
    expect(d.status('alice').uidvalidity).toBe(before.uidvalidity + 7);

    const c = new ImapFlow({ host: d.host, port: d.port, secure: false, auth: { user: 'alice', pass: 'secret' }, logger: false, qresync: true });
    await c.connect();
    expect(c.capabilities.has('QRESYNC')).toBe(true);
    const boxes = await c.list();
    expect(boxes.find((b) => b.specialUse === '\\Sent')?.path).toBe('Sent');
    expect(boxes.map((b) => b.path)).toContain('Archive');
    const lock = await c.getMailboxLock('INBOX');
    const subjects: string[] = [];
    for await (const m of c.fetch('1:*', { uid: true, envelope: true })) subjects.push(m.envelope?.subject ?? '');
    lock.release();
    expect(subjects).toEqual(['bulk 1', 'bulk 2', 'bulk 3']);
    await c.logout();
  });

  it('drops client sessions on demand and restarts on the same port', async () => {
    const c = new ImapFlow({ host: d.host, port: d.port, secure: false, auth: { user: 'alice', pass: 'secret' }, logger: false });
    await c.connect();
    const closed = new Promise((r) => c.once('close', r));
    expect(d.killSessions()).toBeGreaterThan(0);
    await closed;
    await d.restart();
    const c2 = new ImapFlow({ host: d.host, port: d.port, secure: false, auth: { user: 'alice', pass: 'secret' }, logger: false });
    await c2.connect();
    const st = await c2.status('INBOX', { messages: true });
    expect(st && st.messages).toBe(3);
    await c2.logout();
  });
});
