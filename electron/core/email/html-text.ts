// A plain-text rendering of an HTML mail body, for search, snippets and mail without a text part.
// Deliberately small: tags go, block elements become line breaks, quotes get "> ", entities decode.

const NAMED: Record<string, string> = {
  nbsp: '\u00a0',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  para: '¶',
  deg: '°',
  plusmn: '±',
  times: '×',
  divide: '÷',
  iexcl: '¡',
  iquest: '¿',
  shy: '',
  zwnj: '\u200c',
  zwj: '\u200d',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  Eacute: 'É',
  aacute: 'á',
  agrave: 'à',
  acirc: 'â',
  atilde: 'ã',
  aring: 'å',
  ccedil: 'ç',
  iacute: 'í',
  igrave: 'ì',
  oacute: 'ó',
  ograve: 'ò',
  ocirc: 'ô',
  otilde: 'õ',
  oslash: 'ø',
  uacute: 'ú',
  ugrave: 'ù',
  ntilde: 'ñ',
  Ntilde: 'Ñ',
  aelig: 'æ',
  AElig: 'Æ',
  Aring: 'Å',
  Oslash: 'Ø',
  rarr: '→',
  larr: '←',
  hearts: '♥',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);?/gi, (m, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    const v = NAMED[body] ?? NAMED[body.toLowerCase()];
    return v ?? m;
  });
}

/** Render HTML as readable plain text. */
export function htmlToText(html: string): string {
  let s = html;
  s = s.replace(/<!--[\s\S]*?-->/g, '');
  s = s.replace(/<(head|script|style|title|template|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
  s = s.replace(/<(head|script|style|title)\b[^>]*\/?>/gi, '');
  // Quotes: mark the start and end of each blockquote so the lines inside get "> ".
  s = s.replace(/<blockquote\b[^>]*>/gi, '\n\u0001').replace(/<\/blockquote\s*>/gi, '\u0002\n');
  s = s.replace(/<br\b[^>]*>/gi, '\n');
  s = s.replace(/<li\b[^>]*>/gi, '\n• ');
  s = s.replace(/<\/?(p|div|tr|table|ul|ol|h[1-6]|pre|section|article|header|footer|center|hr|dl|dt|dd)\b[^>]*>/gi, '\n');
  s = s.replace(/<\/(td|th)\s*>/gi, '\t');
  s = s.replace(/<a\b[^>]*href\s*=\s*["']?(https?:[^"'\s>]+)["']?[^>]*>([\s\S]*?)<\/a\s*>/gi, (_m, href: string, label: string) => {
    const text = label.replace(/<[^>]*>/g, '').trim();
    return text && text !== href && !href.startsWith('mailto:') ? `${label} (${href})` : label;
  });
  s = s.replace(/<img\b[^>]*>/gi, (tag) => {
    const alt = /\balt\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag);
    const label = (alt?.[1] ?? alt?.[2] ?? '').trim();
    return label ? `[${label}]` : '[image]';
  });
  s = s.replace(/<[^>]*>/g, '');
  s = decodeEntities(s).replace(/\u00a0/g, ' ');
  // Collapse runs of spaces inside lines, then apply quote depth.
  const out: string[] = [];
  let depth = 0;
  for (const rawLine of s.split(/\r?\n/)) {
    let line = rawLine;
    // The quote depth of a line is the deepest level at which it has text.
    let lineDepth = -1;
    for (const ch of line) {
      if (ch === '\u0001') depth++;
      else if (ch === '\u0002') depth = Math.max(0, depth - 1);
      else if (!/\s/.test(ch)) lineDepth = Math.max(lineDepth, depth);
    }
    if (lineDepth < 0) lineDepth = depth;
    line = line
      .replace(/[\u0001\u0002]/g, '')
      .replace(/[ \t\f\v]+/g, ' ')
      .trim();
    out.push(line ? `${'> '.repeat(lineDepth)}${line}` : '');
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
