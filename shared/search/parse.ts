// The search box's language: plain words, "quoted phrases", and operators
// from: to: channel:email|x is:escalated|open|waiting|snoozed|done before:YYYY-MM-DD after:YYYY-MM-DD.
// Pure: used by the core to build SQL and by the renderer to show what a query means.

export interface ParsedQuery {
  /** Words and phrases to find in subject, text and author name. */
  terms: { text: string; phrase: boolean }[];
  from: string[];
  to: string[];
  channel: 'email' | 'x' | null;
  is: ('escalated' | 'open' | 'waiting' | 'snoozed' | 'done')[];
  before: number | null;
  after: number | null;
}

const IS_VALUES = new Set(['escalated', 'open', 'waiting', 'snoozed', 'done']);

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

/**
 * Tokens as /(\S+?:"[^"]*"?|"[^"]*"?|\S+)/g matched them (`op:"quoted value"`, `"a phrase"`, a word),
 * in one pass: the regular expression rescanned the rest of a run of non-space characters from every
 * position, so a query of 8,000 quote marks took 60 times as long as one of 1,000 (found by fuzzing,
 * search.fuzz.test.ts). Look-ups from the right (where the run ends, the next `:"`, the next `"`) make
 * each token O(its length).
 */
export function tokenize(input: string): string[] {
  const n = input.length;
  const runEnd = new Int32Array(n + 1).fill(n);
  const nextColonQuote = new Int32Array(n + 2).fill(n);
  const nextQuote = new Int32Array(n + 1).fill(n);
  for (let i = n - 1; i >= 0; i--) {
    runEnd[i] = isSpace(input[i]) ? i : runEnd[i + 1]!;
    nextColonQuote[i] = input[i] === ':' && input[i + 1] === '"' ? i : nextColonQuote[i + 1]!;
    nextQuote[i] = input[i] === '"' ? i : nextQuote[i + 1]!;
  }
  const out: string[] = [];
  let i = 0;
  while (i < n) {
    if (isSpace(input[i])) {
      i++;
      continue;
    }
    let end: number;
    const colon = nextColonQuote[i + 1]!;
    if (colon < runEnd[i]!) {
      // op:"value" (the value may hold spaces; the closing quote is optional)
      const close = nextQuote[colon + 2]!;
      end = close < n ? close + 1 : n;
    } else if (input[i] === '"') {
      const close = nextQuote[i + 1]!;
      end = close < n ? close + 1 : n;
    } else end = runEnd[i]!;
    out.push(input.slice(i, end));
    i = end;
  }
  return out;
}

function unquote(s: string): { text: string; quoted: boolean } {
  if (s.startsWith('"')) return { text: s.replace(/^"|"$/g, ''), quoted: true };
  return { text: s, quoted: false };
}

function parseDate(v: string): number | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v) ?? /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(v);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isFinite(t) ? t : null;
}

export function parseQuery(input: string): ParsedQuery {
  const q: ParsedQuery = { terms: [], from: [], to: [], channel: null, is: [], before: null, after: null };
  for (const tok of tokenize(input)) {
    const op = /^([a-z]+):(.+)$/i.exec(tok);
    if (op) {
      const key = op[1]!.toLowerCase();
      const value = unquote(op[2]!).text.trim();
      if (key === 'from' && value) {
        q.from.push(value.toLowerCase());
        continue;
      }
      if (key === 'to' && value) {
        q.to.push(value.toLowerCase());
        continue;
      }
      if (key === 'channel' && (value === 'email' || value === 'x')) {
        q.channel = value;
        continue;
      }
      if (key === 'is' && IS_VALUES.has(value.toLowerCase())) {
        q.is.push(value.toLowerCase() as ParsedQuery['is'][number]);
        continue;
      }
      if (key === 'before' && parseDate(value) != null) {
        q.before = parseDate(value);
        continue;
      }
      if (key === 'after' && parseDate(value) != null) {
        q.after = parseDate(value);
        continue;
      }
    }
    const { text, quoted } = unquote(tok);
    if (text.trim()) q.terms.push({ text: text.trim(), phrase: quoted });
  }
  return q;
}

/** Shortest last word matched as a prefix; shorter ones match whole words only (see below). */
export const MIN_PREFIX = 3;

/**
 * An FTS5 MATCH expression that can never be read as FTS syntax: every term is a double-quoted
 * string (inner quotes doubled). Words match whole words, except the last one, which matches as a
 * prefix so results come while typing ("refu" finds "refund") once it has MIN_PREFIX characters.
 * Only the last word: an FTS5 prefix query merges the posting lists of every word it covers, which
 * costs milliseconds per common prefix (the table keeps a 3-character prefix index; see
 * docs/benchmarks.md). Returns null when there is nothing to match (only punctuation, or no terms).
 */
export function toFtsExpression(terms: ParsedQuery['terms'], opts: { prefixLast?: boolean } = {}): string | null {
  const usable = terms.filter((t) => /[\p{L}\p{N}]/u.test(t.text)); // unicode61 tokens are letters and digits only
  const parts = usable.map((t, i) => {
    // A NUL ends an SQLite string early ("unterminated string"): controls separate words anyway.
    const quoted = `"${t.text.replace(/[\u0000-\u001f]/g, ' ').replace(/"/g, '""')}"`;
    const last = i === usable.length - 1;
    const prefix = opts.prefixLast !== false && last && !t.phrase && [...t.text].length >= MIN_PREFIX;
    return prefix ? `${quoted}*` : quoted;
  });
  return parts.length ? parts.join(' AND ') : null;
}
