// canary reply ID --text "…" --also-x "…": the cross-channel answer from the command line on real
// servers (Dovecot, smtp-server, the local X API server): both parts sent before the command exits,
// each reported; the X conversation gone done has no other half left to answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { createCore } from '../../core/createCore';
import { Dovecot, dovecotAvailable, freePort } from '../../core/testing/dovecot';
import { startSmtpPeer, type ReceivedMail } from '../../core/testing/smtpPeer';
import { tempDir } from '../../core/testing/tmp';
import { startXServer } from '../../core/x/testing/server';
import { MARIA_POST, THREAD, mariaXData, seedMariaMail, setupMaria } from '../../core/replies/testing/workspace';
import { cli } from '../testing';

const available = dovecotAvailable();
if (!available) console.warn('skipping the canary reply --also-x test: dovecot is not installed (apt-get install -y dovecot-imapd)');

describe.skipIf(!available)('canary reply --also-x', () => {
  let d: Dovecot;
  beforeAll(async () => {
    d = await Dovecot.start({ users: { dana: 'cli-both-pw' } });
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('sends the email and the X reply, reports both, and moves both conversations', async () => {
    const t = tempDir('canary-cli-both-');
    const x = await startXServer({ data: mariaXData() });
    const received: ReceivedMail[] = [];
    const smtpPort = await freePort();
    const smtp = await startSmtpPeer({ user: 'dana', password: 'cli-both-pw', port: smtpPort, received });
    try {
      seedMariaMail(d, 'dana');
      const core = createCore({ dataDir: t.dir });
      const ids = await setupMaria(core, { imap: { host: d.host, port: d.port }, smtpPort, user: 'dana', password: 'cli-both-pw', xUrl: x.url });
      await core.close();
      const db = path.join(t.dir, 'canary.db');

      // Flags of the cross-channel answer alone are refused, and nothing is sent.
      const lone = await cli(['--db', db, 'reply', String(ids.emailConv), '--text', 'Hi', '--done']);
      expect(lone.code).not.toBe(0);
      expect(lone.err.join('\n')).toMatch(/--done goes with --also-x/);
      expect(received).toHaveLength(0);

      const r = await cli([
        '--db',
        db,
        'reply',
        String(ids.emailConv),
        '--text',
        'Hi Maria, a new frame ships today.',
        '--also-x',
        'Sorry Maria, we have just answered your email.',
        '--done',
        '--json',
      ]);
      expect(r.err).toEqual([]);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.out[0]!) as {
        status: string;
        email: { state: string; subject: string; groupId: string };
        x: { state: string; to: string; groupId: string; externalId: string };
        escalation: { reason: string };
      };
      expect(out.status).toBe('done');
      expect(out.email).toMatchObject({ state: 'sent', subject: 'Re: Frame arrived damaged' });
      expect(out.x).toMatchObject({ state: 'sent', to: '@mariak', groupId: out.email.groupId });
      expect(out.escalation.reason).toMatch(/; answered by email and on X on \d{4}-\d\d-\d\d$/);
      expect(received).toHaveLength(1);
      expect(received[0]!.raw.toString('utf8')).toMatch(new RegExp(`^In-Reply-To: ${THREAD[1]}`, 'm'));
      const posts = x.requests.filter((q) => q.route === 'POST /2/tweets');
      expect(posts.map((q) => q.body)).toEqual([{ text: 'Sorry Maria, we have just answered your email.', reply: { in_reply_to_tweet_id: MARIA_POST } }]);
      expect(x.getTweet(out.x.externalId)?.text).toBe('Sorry Maria, we have just answered your email.');

      // Both are done now: the thread has no open X conversation left to answer.
      const again = await cli(['--db', db, 'reply', String(ids.emailConv), '--text', 'One more thing', '--also-x']);
      expect(again.code).not.toBe(0);
      expect(again.err.join('\n')).toMatch(/has no other half to answer: --also-x needs an email thread whose customer has an open X conversation/);
      expect(received).toHaveLength(1);

      const text = await cli(['--db', db, 'reply', '--help']);
      expect(text.out.join('\n')).toMatch(/--also-x "…" +the X text/);
    } finally {
      await smtp.close();
      await x.close();
      t.cleanup();
    }
  });
});
