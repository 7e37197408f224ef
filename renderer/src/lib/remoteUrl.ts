// Which URLs in an email may load, decided on the URL as the browser parses it (WHATWG URL rules:
// leading/trailing C0 controls and spaces stripped, tabs and newlines removed anywhere, backslashes
// read as slashes in http(s)/file URLs), never on the raw text. An allow-list: data: always; https:
// only when the person allowed remote content, and only when the text is an absolute https URL on
// its own (so `//host`, `\\host` and `/\host`, which resolve against the frame's file: or http:
// base, never count as https). Everything else (relative paths, http:, file:, cid: left over,
// unknown schemes) is dropped. Pure: no DOM, so it is tested in Node with the same URL parser rules.

/**
 * Bases no real URL shares, one per kind the frame's real base can be (the srcdoc frame inherits the
 * app page's: file: in Electron, http: in the browser host, https: for safety). A relative URL is
 * resolved against each: `http:evil.example` is relative under an http: base but absolute under the
 * others, `//host` gets a host under all, `\\host` under the special ones.
 */
const PLACEHOLDER_HOST = 'canary-message.invalid';
const BASES = [`http://${PLACEHOLDER_HOST}/m/`, `https://${PLACEHOLDER_HOST}/m/`, `file://${PLACEHOLDER_HOST}/m/`, `file:///m/`];

export type UrlKind =
  /** data: (kept) */
  | 'data'
  /** cid: (an inline part; the frame has no way to load it) */
  | 'cid'
  /** an absolute https URL: loads only when remote content is allowed */
  | 'https'
  /** anything else that would reach a host: http, ftp, ws, scheme-relative, backslash hosts */
  | 'remote'
  /** relative to the message, javascript:, blob:, about:, unparsable: never loaded, not counted */
  | 'other';

export interface UrlVerdict {
  kind: UrlKind;
  /** The text to put back when the URL may load (the parser's own serialization for https). */
  keep: string | null;
}

export function classifyUrl(raw: string): UrlKind {
  let absolute: URL | null = null;
  try {
    absolute = new URL(raw);
  } catch {
    // relative: judged below against every base the frame could have
  }
  if (absolute) {
    if (absolute.protocol === 'data:') return 'data';
    if (absolute.protocol === 'cid:') return 'cid';
    if (absolute.protocol === 'https:') return 'https';
    return absolute.host !== '' ? 'remote' : 'other';
  }
  for (const base of BASES) {
    let u: URL;
    try {
      u = new URL(raw, base);
    } catch {
      continue;
    }
    if (u.host !== '' && u.hostname !== PLACEHOLDER_HOST) return 'remote';
  }
  return 'other';
}

/** What to do with one URL under the person's choice. `keep` is null when it must go. */
export function judgeUrl(raw: string, allowRemote: boolean): UrlVerdict {
  const kind = classifyUrl(raw);
  if (kind === 'data') return { kind, keep: raw };
  if (kind === 'https' && allowRemote) return { kind, keep: new URL(raw).href };
  return { kind, keep: null };
}

/** Counts as a blocked remote item (the "N remote images blocked" bar) when it went. */
export function isBlockedRemote(v: UrlVerdict): boolean {
  return v.keep == null && (v.kind === 'https' || v.kind === 'remote');
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';

/** The URLs of a srcset, split as HTML's "parse a srcset attribute" does (data: URLs keep their commas). */
export function srcsetCandidates(value: string): { url: string; descriptors: string }[] {
  const out: { url: string; descriptors: string }[] = [];
  let i = 0;
  const n = value.length;
  while (i < n) {
    while (i < n && (isSpace(value[i]!) || value[i] === ',')) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(value[i]!)) i++;
    let url = value.slice(start, i);
    let descriptors = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      const dStart = i;
      let inParens = false;
      while (i < n) {
        const c = value[i]!;
        if (c === '(') inParens = true;
        else if (c === ')') inParens = false;
        else if (c === ',' && !inParens) break;
        i++;
      }
      descriptors = value.slice(dStart, i).trim();
      i++; // the comma
    }
    out.push({ url, descriptors });
  }
  return out;
}

/** A srcset with only the candidates that may load, and what went. */
export function filterSrcset(value: string, allowRemote: boolean): { value: string; blocked: number; dropped: number } {
  let blocked = 0;
  let dropped = 0;
  const kept: string[] = [];
  for (const c of srcsetCandidates(value)) {
    const v = judgeUrl(c.url, allowRemote);
    if (v.keep == null) {
      dropped++;
      if (isBlockedRemote(v)) blocked++;
      continue;
    }
    // A kept data: URL may hold spaces only if percent-encoded; write it back unchanged.
    kept.push(c.descriptors ? `${v.keep} ${c.descriptors}` : v.keep);
  }
  return { value: kept.join(', '), blocked, dropped };
}
