import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeMessageId, parseEmail, parseIdList, sha256Hex, type ParsedEmail } from './parse';
import { parseMailDate } from './headers';
import { htmlToText } from './html-text';

const CORPUS = path.resolve(__dirname, '../../../../shared/corpus/eml');
const haveCorpus = fs.existsSync(path.join(CORPUS, 'MANIFEST.csv'));
if (!haveCorpus) console.warn(`skipping the eml corpus tests: ${CORPUS} (../shared/corpus/eml) not found`);

const NOW = Date.UTC(2026, 10, 23);

/** RFC 4180 CSV (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}

const has = (e: ParsedEmail, re: RegExp) => e.parseProblems.some((p) => re.test(p));

describe.skipIf(!haveCorpus)('the eml corpus (../shared/corpus/eml)', () => {
  const manifest = haveCorpus ? parseCsv(fs.readFileSync(path.join(CORPUS, 'MANIFEST.csv'), 'utf8')) : [];

  it('lists every .eml file in its MANIFEST', () => {
    const files = fs
      .readdirSync(CORPUS)
      .filter((f) => f.endsWith('.eml'))
      .sort();
    expect(files.length).toBe(129);
    expect(manifest.map((m) => m.file).sort()).toEqual(files);
  });

  for (const row of manifest) {
    it(`${row.file}: ${row.what_it_tests}`, async () => {
      const raw = fs.readFileSync(path.join(CORPUS, row.file!));
      const e = await parseEmail(raw, { now: NOW });
      const flags = (row.flags ?? '').split(/\s+/);
      const why = `${row.file} problems: ${JSON.stringify(e.parseProblems)}`;

      // Message-ID: real or synthesized from the bytes, never empty.
      expect(e.messageId.length, why).toBeGreaterThan(2);
      expect(e.messageId, why).not.toMatch(/[<>\s]/);
      // The MANIFEST's flags come from Python's email parser; where Python gave up on a mangled
      // header block (a recorded defect) our tolerant reader may still recover the Message-ID.
      const pythonDefect = !!(row.python_email_defects ?? '').trim();
      if (flags.includes('no-Message-ID') && !(pythonDefect && !e.messageIdSynthesized)) {
        expect(e.messageIdSynthesized, why).toBe(true);
        expect(e.messageId).toBe(`sha256-${sha256Hex(raw)}@canary.invalid`);
        expect(has(e, /Message-ID/), why).toBe(true);
      }

      // Subject: decoded, one line, no control characters; or a recorded problem.
      expect(e.subject, why).not.toMatch(/[\u0000-\u001f\u007f]/);
      expect(e.subject, why).not.toMatch(/=\?[^?]+\?[bBqQ]\?[^?]*\?=/); // no undecoded encoded word left
      if (!e.subject) expect(has(e, /Subject/), why).toBe(true);

      // Sender: an address, or a recorded problem.
      if (e.from) expect(e.from.address, why).toMatch(/^[^@\s]+@[^@\s]+$/);
      else expect(has(e, /From/), why).toBe(true);

      // Date: plausible; when not from the Date header, the problem says so.
      expect(Number.isFinite(e.date), why).toBe(true);
      expect(e.date, why).toBeGreaterThanOrEqual(Date.UTC(1970, 0, 2));
      expect(e.date, why).toBeLessThanOrEqual(NOW + 2 * 24 * 3600_000);
      if (e.dateSource !== 'header') expect(has(e, /date/i), why).toBe(true);
      if (flags.includes('no-Date') && !pythonDefect) expect(has(e, /no Date header/), why).toBe(true);

      // Text: something readable, unless the message is only attachments or the problem is recorded.
      if (!e.text) expect(e.attachments.length > 0 || has(e, /empty body/), why).toBe(true);
      if (e.text.includes('\ufffd')) expect(has(e, /undecodable/), why).toBe(true);
      if (flags.includes('html-only') && !has(e, /empty body/)) {
        expect(e.html, why).toBeTruthy();
        expect(e.text.length > 0 || has(e, /empty body/), why).toBe(true);
        expect(e.text, why).not.toMatch(/<\/?(html|body|div|p)\b/i);
      }
      // Unknown charsets are named.
      if (/fakescii|us-askey/.test(row.charsets ?? '')) expect(has(e, /unknown charset/), why).toBe(true);

      // Attachments carry their hash and size.
      for (const a of e.attachments) {
        expect(a.sha256).toBe(sha256Hex(a.content));
        expect(a.size).toBe(a.content.byteLength);
        if (a.contentId) expect(a.contentId).not.toMatch(/[<>]/);
      }
    });
  }

  it('decodes the charsets and encodings the corpus is there for', async () => {
    const p = (f: string) => parseEmail(fs.readFileSync(path.join(CORPUS, f)), { now: NOW });
    const iso2022 = await p('ruby-mail__japanese_iso_2022.eml');
    expect(iso2022.subject).toBe('まみむめも');
    expect(iso2022.text).toContain('すみません。');
    expect((await p('ruby-mail__japanese_shift_jis.eml')).text).toContain('あいうえお');
    expect((await p('ruby-mail__ks_c_5601-1987.eml')).text).toContain('스티해');
    expect((await p('mimekit__japanese.txt.eml')).subject).toBe('日本語メールテスト (testing Japanese emails)');
    expect((await p('flanker__bilingual-simple.eml')).text).toContain('А эта линия по-русски');
    expect((await p('enmime__mail_qp-utf8-header-recursed.raw.eml')).subject).toContain('MIME UTF8 Test ¢ More Text');
    expect((await p('nodemailer-mailparser__nodemailer.eml')).subject).toContain('Nodemailer is unicode friendly ✔');
    // Raw 8-bit Latin-1 in a header is repaired, and said so.
    const latin = await p('flanker__from-encoding.eml');
    expect(latin.from?.name).toBe('Ingo Lütkebohle');
    expect(has(latin, /8-bit/)).toBe(true);
    const torture = await p('postal-mime__mimetorture.eml');
    expect(torture.attachments.length).toBe(9);
    expect((await p('php-mime-mail-parser__issue408.eml')).attachments.length).toBe(328);
    // A second, valid Date header is used when the first is junk.
    const fuzzed = await p('stalwart-mailparser__malformed_019.eml');
    expect(new Date(fuzzed.date).toISOString()).toBe('2026-04-07T10:00:01.000Z');
    // Year 3609 is not believed; the Received header is.
    const badTime = await p('ruby-mail__raw_email_bad_time.eml');
    expect(badTime.dateSource).toBe('received');
    expect(has(badTime, /implausible Date/)).toBe(true);
  });
});

describe('parseEmail on hand-written messages', () => {
  const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

  it('decodes ISO-2022-JP and Shift_JIS bodies and encoded words', async () => {
    const jisBody = Buffer.concat([
      Buffer.from(
        crlf(
          'From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <yamada@example.jp>\nTo: support@shop.example\nSubject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=\nDate: Tue, 16 Jun 2026 10:00:00 +0900\nMessage-ID: <jis-1@example.jp>\nContent-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n\n',
        ),
      ),
      Buffer.from('\x1b$B$h$m$7$/\x1b(B\r\n', 'latin1'),
    ]);
    const jis = await parseEmail(jisBody, { now: NOW });
    expect(jis.subject).toBe('こんにちは');
    expect(jis.from).toEqual({ name: '山田', address: 'yamada@example.jp' });
    expect(jis.text).toBe('よろしく');
    expect(jis.date).toBe(Date.UTC(2026, 5, 16, 1, 0, 0));
    expect(jis.parseProblems).toEqual([]);

    const sjis = Buffer.concat([
      Buffer.from(
        crlf(
          'From: a@example.jp\nTo: b@example.jp\nSubject: =?Shift_JIS?B?g2WDWINn?=\nDate: Tue, 16 Jun 2026 10:00:00 +0900\nMessage-ID: <sjis-1@example.jp>\nContent-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: 8bit\n\n',
        ),
      ),
      new TextEncoder().encode('') /* placeholder */,
      Buffer.from([0x82, 0xa0, 0x82, 0xa2, 0x82, 0xa4, 0x0d, 0x0a]), // あいう
    ]);
    const s = await parseEmail(sjis, { now: NOW });
    expect(s.subject).toBe('テスト');
    expect(s.text).toBe('あいう');
  });

  it('decodes quoted-printable, base64 and nested multiparts, with attachments', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const raw = crlf(`From: "Doe, Jane" <Jane.Doe@Example.COM>
To: Support <support@shop.example>, bob@example.org
Cc: =?UTF-8?Q?Zo=C3=AB?= <zoe@example.org>
Subject: =?UTF-8?Q?Caf=C3=A9_order?= #42
Date: Mon, 15 Jun 2026 09:32:45 +0000
Message-ID: <m1@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Ol=E9, the caf=E9 order is a very long line that is soft-wrapped by quoted-=
printable encoding.
--alt
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

${Buffer.from('<p>Olé, the <b>café</b> order</p><img src="cid:logo@x">').toString('base64')}
--rel
Content-Type: image/png
Content-ID: <logo@x>
Content-Disposition: inline; filename="logo.png"
Content-Transfer-Encoding: base64

${png.toString('base64')}
--rel--
--alt--
--outer
Content-Type: application/pdf; name="invoice.pdf"
Content-Disposition: attachment; filename="invoice.pdf"
Content-Transfer-Encoding: base64

${Buffer.from('%PDF-1.4 fake').toString('base64')}
--outer--
`);
    const e = await parseEmail(raw, { now: NOW });
    expect(e.parseProblems).toEqual([]);
    expect(e.subject).toBe('Café order #42');
    expect(e.from).toEqual({ name: 'Doe, Jane', address: 'jane.doe@example.com' });
    expect(e.to).toEqual([
      { name: 'Support', address: 'support@shop.example' },
      { name: '', address: 'bob@example.org' },
    ]);
    expect(e.cc).toEqual([{ name: 'Zoë', address: 'zoe@example.org' }]);
    expect(e.text).toBe('Olé, the café order is a very long line that is soft-wrapped by quoted-printable encoding.');
    expect(e.html).toContain('<b>café</b>');
    expect(e.attachments.map((a) => [a.filename, a.mimeType, a.contentId, a.disposition, a.size])).toEqual([
      ['logo.png', 'image/png', 'logo@x', 'inline', png.length],
      ['invoice.pdf', 'application/pdf', null, 'attachment', 13],
    ]);
    expect(e.attachments[0]!.sha256).toBe(sha256Hex(png));
  });

  it('renders HTML-only mail as text', async () => {
    const e = await parseEmail(
      crlf(`From: a@example.com
Subject: html
Date: Mon, 15 Jun 2026 09:32:45 +0000
Message-ID: <h@example.com>
Content-Type: text/html; charset=utf-8

<html><head><style>p{color:red}</style></head><body><p>Hello&nbsp;there &amp; welcome</p><blockquote>quoted line</blockquote><ul><li>one</li></ul></body></html>
`),
      { now: NOW },
    );
    expect(e.text).toBe('Hello there & welcome\n\n> quoted line\n\n• one');
    expect(e.html).toContain('<p>');
  });

  it('never throws on broken input and says what was wrong', async () => {
    const garbage = await parseEmail(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]), { now: NOW });
    expect(garbage.messageIdSynthesized).toBe(true);
    expect(garbage.date).toBe(NOW);
    expect(garbage.parseProblems).toEqual(expect.arrayContaining(['no From header', 'no Date header', 'date unknown: import time used']));

    const empty = await parseEmail(Buffer.alloc(0), { now: NOW });
    expect(empty.parseProblems).toContain('empty body');

    // A header too large for the MIME parser: it fails, the tolerant reader salvages the rest.
    const huge = await parseEmail(`From: Jane <jane@example.com>\r\nSubject: big\r\nDate: Mon, 15 Jun 2026 09:32:45 +0000\r\nX-Junk: ${'a'.repeat(2_200_000)}\r\n\r\nhello\r\n`, { now: NOW });
    expect(huge.parseProblems.some((p) => p.startsWith('parser failed'))).toBe(true);
    expect(huge.subject).toBe('big');
    expect(huge.from?.address).toBe('jane@example.com');
    expect(huge.text).toBe('hello');
  });

  it('falls back for the date: Received header, then the server arrival time, then the file time', async () => {
    const base = 'From: a@example.com\r\nSubject: s\r\nMessage-ID: <d@x>\r\n';
    const r = await parseEmail(`${base}Received: from x by y; Tue, 16 Jun 2026 10:00:00 +0200\r\n\r\nbody`, { now: NOW });
    expect(r.dateSource).toBe('received');
    expect(r.date).toBe(Date.UTC(2026, 5, 16, 8));
    const i = await parseEmail(`${base}\r\nbody`, { now: NOW, receivedAt: 1_700_000_000_000, fileTime: 1 });
    expect([i.dateSource, i.date]).toEqual(['internal', 1_700_000_000_000]);
    const f = await parseEmail(`${base}Date: yesterday\r\n\r\nbody`, { now: NOW, fileTime: 1_600_000_000_000 });
    expect([f.dateSource, f.date]).toEqual(['file', 1_600_000_000_000]);
    expect(f.parseProblems).toContain('unparseable Date header "yesterday"');
  });

  it('reads threading headers tolerantly and de-obfuscates archive addresses', async () => {
    const e = await parseEmail(
      crlf(`From: jgb at example.com (Jesus M. Gonzalez-Barahona)
Subject: Re: hello
Date: Thu, 14 Apr 2016 11:06:56 +0200
Message-ID: <self@x>
In-Reply-To: Your message of "Thu, 14 Apr 2016" <parent@x>
References: <root@x> junk <parent@x>
 <self@x> <root@x>

hi`),
      { now: NOW },
    );
    expect(e.from).toEqual({ name: 'Jesus M. Gonzalez-Barahona', address: 'jgb@example.com' });
    expect(e.inReplyTo).toBe('parent@x');
    expect(e.references).toEqual(['root@x', 'parent@x']);
    expect(normalizeMessageId('  <a@b>  ')).toBe('a@b');
    expect(normalizeMessageId('a@b')).toBe('a@b');
    expect(normalizeMessageId('junk')).toBeNull();
    expect(parseIdList('a@b, c@d')).toEqual(['a@b', 'c@d']);
  });

  it('keeps a "Last, First" display name written without quotes whole', async () => {
    const e = await parseEmail(
      crlf(`From: Nguyen, Grace <nguyen.grace5@outlook.example>
To: Help Desk <help@biz.example>, Müller, Jörg <j@m.example>, Bob <bob@b.example>, lost-name, <c@c.example>
Subject: router
Message-ID: <g1@x>

hi`),
      { now: NOW },
    );
    // Before, the comma cut "Nguyen" off (a name with no address, dropped): the customer kept "Grace" alone.
    expect(e.from).toEqual({ name: 'Nguyen, Grace', address: 'nguyen.grace5@outlook.example' });
    expect(e.to).toEqual([
      { name: 'Help Desk', address: 'help@biz.example' },
      { name: 'Müller, Jörg', address: 'j@m.example' },
      { name: 'Bob', address: 'bob@b.example' },
      { name: '', address: 'c@c.example' },
    ]);
    // Quoted, as most mailers write it, unchanged.
    const q = await parseEmail(crlf(`From: "Nguyen, Grace" <g@x.example>\nSubject: s\nMessage-ID: <g2@x>\n\nhi`), { now: NOW });
    expect(q.from).toEqual({ name: 'Nguyen, Grace', address: 'g@x.example' });
  });

  it('parses the dates mail writes', () => {
    expect(parseMailDate('Fri, 6 Apr 2001 09:23:06 -0800 (GMT-0800)')).toBe(Date.UTC(2001, 3, 6, 17, 23, 6));
    expect(parseMailDate('6 Apr 01 09:23 EST')).toBe(Date.UTC(2001, 3, 6, 14, 23));
    expect(parseMailDate('Thu, 13 Jun 1996 23:25:49 PDT')).toBe(Date.UTC(1996, 5, 14, 6, 25, 49));
    expect(parseMailDate('Mon Jun  3 12:50:27 1996')).toBe(Date.UTC(1996, 5, 3, 12, 50, 27));
    expect(parseMailDate('Tue, 16 June 2026 10:00:00')).toBe(Date.UTC(2026, 5, 16, 10));
    expect(parseMailDate('2026-06-16T10:00:00Z')).toBe(Date.UTC(2026, 5, 16, 10));
    expect(parseMailDate('<HR>')).toBeNull();
  });

  it('renders HTML to text', () => {
    expect(htmlToText('<div>a<br>b</div><p>c &lt;d&gt; &#x263A; &eacute;</p><a href="https://x.example/y">link</a><img alt="logo">')).toBe('a\nb\n\nc <d> ☺ é\nlink (https://x.example/y)[logo]');
  });
});
