// canary saved-replies and canary reply --saved, in process against a real core, a real SMTP peer
// (smtp-server) and mail imported from .eml files.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../core/createCore';
import { freePort, makeRawEmail } from '../../core/testing/dovecot';
import { startSmtpPeer, type SmtpPeer } from '../../core/testing/smtpPeer';
import { tempDir } from '../../core/testing/tmp';
import { cli } from '../testing';

const t = tempDir('canary-cli-saved-');
const db = path.join(t.dir, 'c.db');
let smtp: SmtpPeer;
let jane: number;
let bob: number;

beforeAll(async () => {
  const mail = path.join(t.dir, 'mail');
  fs.mkdirSync(mail);
  fs.writeFileSync(
    path.join(mail, '1.eml'),
    makeRawEmail({ from: 'Jane Doe <jane@cust.example>', to: 'support@biz.example', subject: 'Where is my parcel?', body: 'Order HP-482913 has not arrived.', messageId: '<j1@cust.example>' }),
  );
  fs.writeFileSync(
    path.join(mail, '2.eml'),
    makeRawEmail({ from: 'bob@other.example', to: 'support@biz.example', subject: 'Shipping', body: 'Do you ship to Norway?', messageId: '<b1@other.example>' }),
  );
  const port = await freePort();
  smtp = await startSmtpPeer({ user: 'support', password: 'smtp-pw-3', port });
  const core = createCore({ dataDir: t.dir, dbPath: db });
  try {
    await core.call('import.path', { path: mail, selfAddresses: ['support@biz.example'] });
    await core.call('accounts.add', {
      channel: 'email',
      account: { name: 'Biz', address: 'support@biz.example', imap: { host: '127.0.0.1', port: 9, tls: 'off' }, smtp: { host: '127.0.0.1', port, tls: 'off' }, user: 'support', secret: 'smtp-pw-3' },
      skipCheck: true,
    });
    await core.call('settings.set', { agentName: 'Sam' });
    const items = (await core.call('conversations.list', { filter: { status: 'all' } })).items;
    jane = items.find((c) => c.subject === 'Where is my parcel?')!.id;
    bob = items.find((c) => c.subject === 'Shipping')!.id;
  } finally {
    core.dispose();
  }
});

afterAll(async () => {
  await smtp?.close();
  t.cleanup();
});

describe('canary saved-replies', () => {
  it('adds, lists, refuses a duplicate or an unknown variable, removes', async () => {
    const body = path.join(t.dir, 'body.txt');
    fs.writeFileSync(body, 'Hi {first_name},\n\nyour order {order} left today.\n\n{agent}');
    let r = await cli(['--db', db, 'saved-replies', 'add', 'Order shipped', '--text-file', body, '--x-text', '{first_name}, {order} shipped', '--tags', 'orders,shipping', '--shortcut', 'ship']);
    expect(r).toMatchObject({ code: 0, out: [expect.stringMatching(/^saved #\d+ Order shipped$/)] });
    r = await cli(['--db', db, 'saved-replies', 'add', 'order shipped', '--text', 'again']);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/already exists/);
    r = await cli(['--db', db, 'saved-replies', 'add', 'Typo', '--text', 'Hi {frist_name}']);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/\{frist_name\}, which is not a variable/);
    r = await cli(['--db', db, 'saved-replies', 'add', 'Temp', '--text', 'Bye']);
    expect(r.code).toBe(0);
    r = await cli(['--db', db, 'saved-replies', 'list', '--json']);
    const list = r.out.map((l) => JSON.parse(l) as { name: string; shortcut: string | null; tags: string[]; usageCount: number });
    expect(list.map((x) => x.name)).toEqual(['Order shipped', 'Temp']);
    expect(list[0]).toMatchObject({ shortcut: 'ship', tags: ['orders', 'shipping'], usageCount: 0 });
    r = await cli(['--db', db, 'saved-replies', 'list']);
    expect(r.out[0]).toMatch(/^#\d+ {2}Order shipped {2}\(used 0×\) {2};ship · tags: orders, shipping · X version$/);
    r = await cli(['--db', db, 'saved-replies', 'remove', 'temp']);
    expect(r).toMatchObject({ code: 0, out: [expect.stringMatching(/^removed #\d+ Temp$/)] });
    r = await cli(['--db', db, 'saved-replies', 'remove', 'temp']);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/no saved reply named "temp"/);
  });

  it('reply --saved sends the text with its variables filled and counts the use; refuses one it cannot fill', async () => {
    let r = await cli(['--db', db, 'reply', String(jane), '--saved', 'Order shipped', '--json']);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ state: 'sent', subject: 'Re: Where is my parcel?' });
    expect(smtp.received).toHaveLength(1);
    const raw = smtp.received[0]!.raw.toString('utf8').replace(/=\r?\n/g, '');
    expect(raw).toContain('Hi Jane,');
    expect(raw).toContain('your order HP-482913 left today.');
    expect(raw).toContain('Sam');
    expect(raw).not.toMatch(/\{(first_name|order|agent)\}/);

    // Bob: no name, no reference: nothing is sent without --force.
    r = await cli(['--db', db, 'reply', String(bob), '--saved', ';ship']);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/cannot fill \{first_name\}, \{order\} for conversation \d+; nothing was sent/);
    expect(smtp.received).toHaveLength(1);
    r = await cli(['--db', db, 'reply', String(bob), '--saved', 'Order shipped', '--text', 'x']);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/--text or --saved, not both/);

    r = await cli(['--db', db, 'saved-replies', 'list', '--json']);
    expect((JSON.parse(r.out[0]!) as { usageCount: number }).usageCount).toBe(1);
  });

  it('exports to a file and imports it; a malformed file is refused and nothing is lost', async () => {
    const file = path.join(t.dir, 'replies.json');
    let r = await cli(['--db', db, 'saved-replies', 'export', file]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { format: string; replies: { name: string }[] };
    expect(doc.format).toBe('canary.saved-replies');
    expect(doc.replies.map((x) => x.name)).toEqual(['Order shipped']);

    const bad = path.join(t.dir, 'bad.json');
    fs.writeFileSync(
      bad,
      JSON.stringify({
        ...doc,
        replies: [
          { name: 'New', body: 'ok' },
          { name: 'Broken', body: 42 },
        ],
      }),
    );
    r = await cli(['--db', db, 'saved-replies', 'import', bad]);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/not a valid saved-replies file: replies\[1\]\.body: .*nothing was imported/);
    fs.writeFileSync(bad, '{"format":');
    r = await cli(['--db', db, 'saved-replies', 'import', bad]);
    expect(r.err.join('\n')).toMatch(/not valid JSON/);
    r = await cli(['--db', db, 'saved-replies', 'import', path.join(t.dir, 'missing.json')]);
    expect(r.err.join('\n')).toMatch(/cannot read .*ENOENT/);
    r = await cli(['--db', db, 'saved-replies', 'list', '--json']);
    expect(r.out.map((l) => (JSON.parse(l) as { name: string }).name)).toEqual(['Order shipped']);

    // Into another database: everything arrives; again: kept unless --replace.
    const other = path.join(t.dir, 'other', 'o.db');
    fs.mkdirSync(path.dirname(other));
    r = await cli(['--db', other, 'saved-replies', 'import', file]);
    expect(r).toMatchObject({ code: 0, out: ['added 1, replaced 0'] });
    r = await cli(['--db', other, 'saved-replies', 'import', file]);
    expect(r.out[0]).toBe('added 0, replaced 0, kept 1 already saved (--replace to overwrite): Order shipped');
    r = await cli(['--db', other, 'saved-replies', 'import', file, '--replace', '--json']);
    expect(JSON.parse(r.out[0]!)).toEqual({ added: 0, replaced: 1, skipped: [] });
    r = await cli(['--db', other, 'saved-replies', 'list', '--json']);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ name: 'Order shipped', shortcut: 'ship', xText: '{first_name}, {order} shipped', usageCount: 1 });
  });
});
