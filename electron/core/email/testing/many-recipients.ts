/**
 * A message with `n` Cc recipients (one per line, with display names), as in the hostile-input
 * review of issue 18: for the scale tests, the benchmark and the IMAP tests.
 */
export function manyRecipients(n: number, id: string, opts: { subject?: string } = {}): Buffer {
  const cc = Array.from({ length: n }, (_, i) => `"Person ${i}" <p${i}@c${i % 97}.example>`).join(',\r\n ');
  return Buffer.from(
    [
      'From: Jane Doe <jane@cust.example>',
      'To: support@biz.example',
      `Cc: ${cc}`,
      `Subject: ${opts.subject ?? `Announcement ${id}`}`,
      'Date: Mon, 01 Jun 2026 09:00:00 +0000',
      `Message-ID: <${id}@many.example>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `to everyone (${n} recipients)`,
      '',
    ].join('\r\n'),
  );
}
