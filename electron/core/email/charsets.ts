// Charsets and transfer encodings: whether a charset label can be decoded (postal-mime's alias
// rules), and which charsets and transfer encodings a raw message declares. Pure.

const CHARSET_ALIASES: Record<string, string> = {
  iso88598i: 'iso-8859-8',
  iso88598e: 'iso-8859-8',
  shiftjis: 'shift_jis',
  windows31j: 'shift_jis',
  mskanji: 'shift_jis',
  eucjp: 'euc-jp',
  iso2022jp: 'iso-2022-jp',
  iso2022jp1: 'iso-2022-jp',
  iso2022jp2: 'iso-2022-jp',
  junet: 'iso-2022-jp',
  euckr: 'euc-kr',
  uhc: 'euc-kr',
  tis620: 'windows-874',
};
const CODE_PAGES: Record<string, string> = {
  '932': 'shift_jis',
  '936': 'gbk',
  '949': 'euc-kr',
  '950': 'big5',
  '874': 'windows-874',
  '51932': 'euc-jp',
  '50220': 'iso-2022-jp',
  '50221': 'iso-2022-jp',
  '50222': 'iso-2022-jp',
};
const charsetCache = new Map<string, boolean>();

function decoderExists(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/** Whether postal-mime can decode this charset label (mirrors its alias rules); else it falls back to windows-1252. */
export function charsetKnown(label: string): boolean {
  const l = label.trim().toLowerCase();
  const cached = charsetCache.get(l);
  if (cached !== undefined) return cached;
  let ok = decoderExists(l);
  if (!ok) {
    const normalized = l.replace(/^(?:x-ms-|x-|cs)/, '').replace(/[\s._-]+/g, '');
    const cp = /^(?:cp|windows|ms|ibm)(\d+)$/.exec(normalized);
    const alias = (cp && CODE_PAGES[cp[1]!]) || CHARSET_ALIASES[normalized] || normalized;
    ok = decoderExists(alias);
  }
  if (charsetCache.size < 500) charsetCache.set(l, ok);
  return ok;
}

export const KNOWN_CTE = new Set(['7bit', '8bit', 'binary', 'base64', 'quoted-printable', '']);

export function scanEncodings(latin1: string): { charsets: Set<string>; ctes: Set<string> } {
  const charsets = new Set<string>();
  const ctes = new Set<string>();
  const ctRe = /^content-type:[^\n]*(?:\n[ \t][^\n]*)*/gim;
  let m: RegExpExecArray | null;
  while ((m = ctRe.exec(latin1))) {
    const cs = /charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;"']+))/i.exec(m[0]);
    // A quoted-printable copy of headers (inside a report part) writes charset=3D"…".
    const label = (cs?.[1] ?? cs?.[2] ?? cs?.[3] ?? '')
      .trim()
      .replace(/^3d(?=["']?[a-z])/i, '')
      .replace(/^["']|["']$/g, '');
    if (label) charsets.add(label.toLowerCase());
  }
  const ewRe = /=\?([^?*\s]+)(?:\*[^?]*)?\?[bBqQ]\?/g;
  while ((m = ewRe.exec(latin1))) charsets.add(m[1]!.toLowerCase());
  const cteRe = /^content-transfer-encoding:[ \t]*([^\r\n;]*)/gim;
  while ((m = cteRe.exec(latin1))) ctes.add(m[1]!.trim().toLowerCase().replace(/^"|"$/g, ''));
  return { charsets, ctes };
}
