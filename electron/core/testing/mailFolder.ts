// A small support mailbox on disk for tests that import a folder: a customer's mail with a PDF
// (and optionally a PNG) attached, the business's answer in the same thread, and a file Canary
// does not import (reported as a problem).
import fs from 'node:fs';
import path from 'node:path';

/** A 24x16 PNG (a red-to-yellow gradient). */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABgAAAAQCAIAAACDRijCAAAATklEQVR4nO3MEQKAUBQAwcdxHC/HcRzHcRzH8ec4juM4Xu4cHSJ9c4AJAyussUGwxQ57HHDECWdccMUNC+544IkX3vig+BIZZZRRRv+iDyUUMp9cClSzAAAAAElFTkSuQmCC',
  'base64',
);

export const PDF = Buffer.from('%PDF-1.4\n% a tiny test file\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

/** A customer's mail with a PDF attached, and a plain follow-up in the same thread. */
export function writeMailFolder(dir: string, opts: { image?: boolean } = {}): string {
  const folder = path.join(dir, 'mail');
  fs.mkdirSync(folder, { recursive: true });
  const b64 = PDF.toString('base64').replace(/.{1,76}/g, '$&\r\n');
  fs.writeFileSync(
    path.join(folder, '1.eml'),
    [
      'From: Ana Ruiz <ana@example.com>',
      'To: Support <support@shop.test>',
      'Subject: Invoice 7781 is wrong',
      'Date: Mon, 02 Nov 2026 10:00:00 +0000',
      'Message-ID: <inv-1@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello, the invoice 7781 charges me twice. The PDF is attached.',
      '--b1',
      'Content-Type: application/pdf; name="invoice-7781.pdf"',
      'Content-Disposition: attachment; filename="invoice-7781.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      b64,
      ...(opts.image
        ? ['--b1', 'Content-Type: image/png; name="dent.png"', 'Content-Disposition: attachment; filename="dent.png"', 'Content-Transfer-Encoding: base64', '', PNG.toString('base64')]
        : []),
      '--b1--',
      '',
    ].join('\r\n'),
  );
  fs.writeFileSync(
    path.join(folder, '2.eml'),
    [
      'From: Support <support@shop.test>',
      'To: Ana Ruiz <ana@example.com>',
      'Subject: Re: Invoice 7781 is wrong',
      'Date: Mon, 02 Nov 2026 12:00:00 +0000',
      'Message-ID: <inv-2@shop.test>',
      'In-Reply-To: <inv-1@example.com>',
      'References: <inv-1@example.com>',
      '',
      'We are looking into it.',
      '',
    ].join('\r\n'),
  );
  fs.writeFileSync(path.join(folder, 'notes.bin'), Buffer.from([0, 1, 2, 3, 255]));
  return folder;
}
