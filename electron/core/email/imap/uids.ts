// Small IMAP helpers shared by the sync engine (main thread) and the bulk fetcher (worker thread).

/** A compact IMAP sequence set for sorted UIDs ("1:5,9,12:13"). */
export function uidSet(uids: readonly number[]): string {
  const s = [...uids].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length;) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    parts.push(i === j ? `${s[i]}` : `${s[i]}:${s[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Flags as stored: sorted, without \Recent (which only describes one session). */
export function storedFlags(flags: Iterable<string> | undefined): string[] {
  return [...(flags ?? [])].filter((f) => f.toLowerCase() !== '\\recent').sort();
}

/** The UIDs of a sequence set ("1:5,9,12:13"), ascending; '*' and junk are skipped. */
export function expandUidSet(set: string): number[] {
  const out: number[] = [];
  for (const part of set.split(',')) {
    const [a, b] = part.trim().split(':');
    const lo = Number(a);
    const hi = b === undefined ? lo : Number(b);
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || lo < 1 || hi < 1) continue;
    for (let u = Math.min(lo, hi); u <= Math.max(lo, hi); u++) out.push(u);
  }
  return out.sort((x, y) => x - y);
}
