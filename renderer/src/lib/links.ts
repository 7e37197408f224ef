// Links in mail and posts: what a click opens, and whether to ask first. A link whose text names
// another address than the one it goes to ("paypal.com" → https://paypal.com.evil.example/) is the
// classic phishing mail: as Thunderbird and Mailspring do, the window shows the real destination and
// asks before opening it. Other links open at once (in the system browser in the desktop app, whose
// shell opens any http, https or mailto: address; a new tab in the browser host). No DOM, no Node.

export interface LinkCheck {
  /** The address to open (absolute, as parsed). */
  href: string;
  /** Where it really goes: the host for a web address, the address for mailto:. */
  destination: string;
  /** What the link's text claims, when it names an address or a host. */
  claimed: string | null;
  /** Ask before opening: the text names another destination, or the address hides one behind user@. */
  ask: boolean;
}

const EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;
/** A web address or bare host as people write it in text: scheme optional, a dot in the host. */
const WEBLIKE = /^(?:https?:\/\/)?(?:[\p{L}\p{N}-]+\.)+[\p{L}]{2,}(?::\d+)?(?:[/?#]\S*)?$/iu;

function sameHost(a: string, b: string): boolean {
  const norm = (h: string) =>
    h
      .toLowerCase()
      .replace(/^www\./, '')
      .replace(/\.$/, '');
  return norm(a) === norm(b);
}

/** The host or address a link's text names, or null for text such as "Click here". */
export function claimedBy(text: string): { kind: 'host' | 'email'; value: string } | null {
  const t = text
    .trim()
    .replace(/^[<("'[]+|[>)"'\].,;:!?]+$/g, '')
    .replace(/^mailto:/i, '');
  if (!t || /\s/.test(t)) return null;
  if (EMAIL.test(t)) return { kind: 'email', value: t.toLowerCase() };
  if (!WEBLIKE.test(t)) return null;
  try {
    return { kind: 'host', value: new URL(/^https?:\/\//i.test(t) ? t : `https://${t}`).hostname };
  } catch {
    return null;
  }
}

/** Judge a clicked link: null when it cannot be opened from the app (not http, https or mailto:). */
export function checkLink(href: string, text: string): LinkCheck | null {
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return null;
  }
  const claim = claimedBy(text);
  if (u.protocol === 'mailto:') {
    let address: string;
    try {
      address = decodeURIComponent(u.pathname).toLowerCase();
    } catch {
      address = u.pathname.toLowerCase();
    }
    if (!address) return null;
    const ask = claim != null && (claim.kind === 'host' || claim.value !== address);
    return { href: u.href, destination: address, claimed: claim?.value ?? null, ask };
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) return null;
  const hidden = u.username !== '' || u.password !== '';
  const ask = hidden || (claim != null && (claim.kind === 'email' || !sameHost(claim.value, u.hostname)));
  return { href: u.href, destination: u.hostname, claimed: claim?.value ?? null, ask };
}

/** Web addresses in plain text (mail without HTML, posts), for turning into links. */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+/giu;

export type TextPart = { text: string; href?: string };

/** Split text into plain runs and links; trailing punctuation stays text ("see https://a.example/x."). */
export function linkifyText(text: string): TextPart[] {
  const out: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    let url = m[0];
    // Closing punctuation after a URL is the sentence's, unless the URL opened it (a Wikipedia path).
    while (/[.,;:!?'")\]]$/.test(url)) {
      const ch = url.slice(-1);
      if ((ch === ')' && url.split('(').length > url.split(')').length - 1) || (ch === ']' && url.includes('['))) break;
      url = url.slice(0, -1);
    }
    const start = m.index;
    if (!checkLink(url, url)) continue;
    if (start > last) out.push({ text: text.slice(last, start) });
    out.push({ text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}
