// canary reply --attach, in process against a real core and a real SMTP peer (smtp-server): the
// files reach the peer with their names, types and bytes; a file that cannot be read sends nothing.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../core/createCore';
import { freePort, makeRawEmail } from '../../core/testing/dovecot';
import { startSmtpPeer, type SmtpPeer } from '../../core/testing/smtpPeer';
import { tempDir } from '../../core/testing/tmp';
import { parseArgv, flagStrings } from '../args';
import { cli } from '../testing';

const t = tempDir('canary-cli-attach-');
const db = path.join(t.dir, 'c.db');
let smtp: SmtpPeer;
let jane: number;

beforeAll(async () => {
  const mail = path.join(t.dir, 'mail');
  fs.mkdirSync(mail);
  fs.writeFileSync(
    path.join(mail, '1.eml'),
    makeRawEmail({ from: 'Jane Doe <jane@cust.example>', to: 'support@biz.example', subject: 'Invoice please', body: 'Can I have the invoice for HP-482913?', messageId: '<j1@cust.example>' }),
  );
  const port = await freePort();
  smtp = await startSmtpPeer({ user: 'support', password: 'smtp-pw-7', port });
  const core = createCore({ dataDir: t.dir, dbPath: db });
  try {
    await core.call('import.path', { path: mail, selfAddresses: ['support@biz.example'] });
    await core.call('accounts.add', {
      channel: 'email',
      account: { name: 'Biz', address: 'support@biz.example', imap: { host: '127.0.0.1', port: 9, tls: 'off' }, smtp: { host: '127.0.0.1', port, tls: 'off' }, user: 'support', secret: 'smtp-pw-7' },
      skipCheck: true,
    });
    jane = (await core.call('conversations.list', { filter: { status: 'all' } })).items.find((c) => c.subject === 'Invoice please')!.id;
  } finally {
    core.dispose();
  }
});

afterAll(async () => {
  await smtp?.close();
  t.cleanup();
});

describe('canary reply --attach', () => {
  it('takes a flag given more than once in order', () => {
    expect(flagStrings(parseArgv(['reply', '1', '--attach', 'a.pdf', '--attach=b.png']), 'attach')).toEqual(['a.pdf', 'b.png']);
    expect(flagStrings(parseArgv(['reply', '1']), 'attach')).toEqual([]);
  });

  it('sends the files with their names, types and bytes; a missing file or --also-x sends nothing', async () => {
    const pdf = path.join(t.dir, 'Invoice HP-482913.pdf');
    const png = path.join(t.dir, 'label.png');
    const pdfBytes = Buffer.from('%PDF-1.4\n% a tiny test invoice\n%%EOF\n');
    const pngBytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5]);
    fs.writeFileSync(pdf, pdfBytes);
    fs.writeFileSync(png, pngBytes);

    let r = await cli(['--db', db, 'reply', String(jane), '--text', 'Here it is.', '--attach', path.join(t.dir, 'missing.pdf')]);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/cannot attach .*missing\.pdf: ENOENT; nothing was sent/);
    r = await cli(['--db', db, 'reply', String(jane), '--text', 'Here it is.', '--attach', pdf, '--also-x', 'Sent by email']);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/--attach goes with an email reply only/);
    expect(smtp.received).toHaveLength(0);

    r = await cli(['--db', db, 'reply', String(jane), '--text', 'Here it is.', '--attach', pdf, '--attach', png, '--json']);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ state: 'sent', subject: 'Re: Invoice please' });
    expect(smtp.received).toHaveLength(1);
    const raw = smtp.received[0]!.raw.toString('utf8');
    expect(raw).toMatch(/Content-Type: application\/pdf;?\s*(\r\n\s+)?name="?Invoice HP-482913\.pdf"?/);
    expect(raw).toMatch(/Content-Type: image\/png/);
    const body = raw.replace(/\r\n/g, '\n');
    expect(body.replace(/\n/g, '')).toContain(pdfBytes.toString('base64'));
    expect(body.replace(/\n/g, '')).toContain(pngBytes.toString('base64'));
  });
});
