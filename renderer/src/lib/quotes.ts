// Plain-text quoting: find where a reply's quoted tail begins so it can be folded away.
const ATTRIBUTION = /^(On .{4,200}wrote:|Am .{4,200}schrieb .{1,200}:|W dniu .{4,200}pisze:|Le .{4,200}a écrit ?:|-{2,} ?Original Message ?-{2,}|From: .+)\s*$/i;

/** Index of the first line of the quoted tail, or -1 when the text has none. */
export function quotedTailStart(lines: string[]): number {
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end--;
  if (end === 0) return -1;
  let i = end - 1;
  let sawQuote = false;
  while (i >= 0 && (lines[i]!.startsWith('>') || lines[i]!.trim() === '')) {
    if (lines[i]!.startsWith('>')) sawQuote = true;
    i--;
  }
  if (!sawQuote) {
    // "-----Original Message-----" style tails quote without '>'.
    const orig = lines.findIndex((l) => /^-{2,} ?Original Message ?-{2,}\s*$/i.test(l));
    return orig > 0 ? orig : -1;
  }
  // Include an attribution line ("On … wrote:") just above, possibly wrapped over two lines.
  for (let k = i; k >= Math.max(0, i - 1); k--) {
    if (ATTRIBUTION.test(lines[k]!.trim()) || (k > 0 && ATTRIBUTION.test(`${lines[k - 1]!.trim()} ${lines[k]!.trim()}`))) {
      return ATTRIBUTION.test(lines[k]!.trim()) ? k : k - 1;
    }
  }
  return i + 1;
}

export function splitQuoted(text: string): { body: string; quoted: string } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const at = quotedTailStart(lines);
  if (at <= 0) return { body: text.trimEnd(), quoted: '' };
  return { body: lines.slice(0, at).join('\n').trimEnd(), quoted: lines.slice(at).join('\n').trimEnd() };
}
