// Remote content in email CSS, found the way the browser finds it: a tokenizer that follows CSS
// Syntax Level 3 (escapes such as `\75 rl(` and `u\rl(` are decoded before names are compared,
// `@\69mport` is an @import, comments split tokens), then the URLs it yields are judged by
// remoteUrl.ts. Removed: every @import; url()/src() whose URL may not load; in image-set(),
// -webkit-image-set(), image() and cross-fade() every string (a URL there) that may not load and every
// var()/env()/attr() (a custom property could carry a URL string into them). The rest of the text is
// kept byte for byte (after CSS's own newline/NUL preprocessing), so nothing else changes meaning.
import { isBlockedRemote, judgeUrl } from './remoteUrl';

type TokType = 'ws' | 'string' | 'bad-string' | 'url' | 'bad-url' | 'function' | 'ident' | 'at' | 'hash' | 'num' | 'open' | 'close' | 'semi' | 'delim';

interface Tok {
  t: TokType;
  /** decoded value: names for ident/function/at/hash, contents for string/url, the char for open/close/delim */
  v: string;
  start: number;
  end: number;
}

const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isNl = (c: string | undefined) => c === '\n';
const isWs = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n';
const isIdentStart = (c: string | undefined) => c !== undefined && (/^[A-Za-z_]$/.test(c) || c.charCodeAt(0) >= 0x80);
const isIdentChar = (c: string | undefined) => isIdentStart(c) || isDigit(c) || c === '-';
const isNonPrintable = (c: string) => {
  const x = c.charCodeAt(0);
  return x <= 8 || x === 0x0b || (x >= 0x0e && x <= 0x1f) || x === 0x7f;
};
const validEscape = (a: string | undefined, b: string | undefined) => a === '\\' && !isNl(b) && b !== undefined;
const startsIdent = (a: string | undefined, b: string | undefined, c: string | undefined) => (a === '-' ? isIdentStart(b) || b === '-' || validEscape(b, c) : isIdentStart(a) || validEscape(a, b));
const startsNumber = (a: string | undefined, b: string | undefined, c: string | undefined) => (a === '+' || a === '-' ? isDigit(b) || (b === '.' && isDigit(c)) : a === '.' ? isDigit(b) : isDigit(a));

/** CSS Syntax §3.3 preprocessing: the text the browser actually tokenizes. */
export function preprocessCss(css: string): string {
  return css.replace(/\r\n?|\f/g, '\n').replace(/\0/g, '\uFFFD');
}

/** Tokens of preprocessed CSS (CSS Syntax Level 3 §4, the parts that decide where URLs are). */
export function tokenizeCss(s: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const n = s.length;

  // Code points, not UTF-16 units, for escapes and ident chars: a surrogate pair is one non-ASCII char.
  const escape = (): string => {
    // at s[i] right after the backslash
    if (i >= n) return '\uFFFD';
    if (isHex(s[i])) {
      let hex = '';
      while (hex.length < 6 && isHex(s[i])) hex += s[i++];
      if (isWs(s[i])) i++;
      const cp = parseInt(hex, 16);
      return cp === 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff ? '\uFFFD' : String.fromCodePoint(cp);
    }
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    i += ch.length;
    return ch;
  };
  const identSeq = (): string => {
    let out = '';
    for (;;) {
      const c = s[i];
      if (isIdentChar(c)) {
        const ch = String.fromCodePoint(s.codePointAt(i)!);
        out += ch;
        i += ch.length;
      } else if (validEscape(c, s[i + 1])) {
        i++;
        out += escape();
      } else return out;
    }
  };
  const str = (quote: string, start: number): Tok => {
    let v = '';
    for (;;) {
      const c = s[i];
      if (c === undefined) return { t: 'string', v, start, end: i };
      if (c === quote) {
        i++;
        return { t: 'string', v, start, end: i };
      }
      if (isNl(c)) return { t: 'bad-string', v, start, end: i }; // the newline is not consumed
      if (c === '\\') {
        if (i + 1 >= n) {
          i++;
          continue;
        }
        if (isNl(s[i + 1])) {
          i += 2;
          continue;
        }
        i++;
        v += escape();
        continue;
      }
      v += c;
      i++;
    }
  };
  const badUrlRest = () => {
    for (;;) {
      const c = s[i];
      if (c === undefined) return;
      if (c === ')') {
        i++;
        return;
      }
      if (validEscape(c, s[i + 1])) {
        i++;
        escape();
      } else i++;
    }
  };
  const urlTok = (start: number): Tok => {
    let v = '';
    while (isWs(s[i])) i++;
    for (;;) {
      const c = s[i];
      if (c === undefined) return { t: 'url', v, start, end: i };
      if (c === ')') {
        i++;
        return { t: 'url', v, start, end: i };
      }
      if (isWs(c)) {
        while (isWs(s[i])) i++;
        if (s[i] === ')' || s[i] === undefined) {
          if (s[i] === ')') i++;
          return { t: 'url', v, start, end: i };
        }
        badUrlRest();
        return { t: 'bad-url', v, start, end: i };
      }
      if (c === '"' || c === "'" || c === '(' || isNonPrintable(c)) {
        badUrlRest();
        return { t: 'bad-url', v, start, end: i };
      }
      if (c === '\\') {
        if (validEscape(c, s[i + 1])) {
          i++;
          v += escape();
          continue;
        }
        badUrlRest();
        return { t: 'bad-url', v, start, end: i };
      }
      v += c;
      i++;
    }
  };
  const identLike = (start: number): Tok => {
    const name = identSeq();
    if (name.toLowerCase() === 'url' && s[i] === '(') {
      i++;
      while (isWs(s[i]) && isWs(s[i + 1])) i++;
      const a = s[i];
      const b = s[i + 1];
      if (a === '"' || a === "'" || (isWs(a) && (b === '"' || b === "'"))) return { t: 'function', v: name, start, end: i };
      return urlTok(start);
    }
    if (s[i] === '(') {
      i++;
      return { t: 'function', v: name, start, end: i };
    }
    return { t: 'ident', v: name, start, end: i };
  };
  const numeric = (start: number): Tok => {
    if (s[i] === '+' || s[i] === '-') i++;
    while (isDigit(s[i])) i++;
    if (s[i] === '.' && isDigit(s[i + 1])) {
      i++;
      while (isDigit(s[i])) i++;
    }
    if ((s[i] === 'e' || s[i] === 'E') && (isDigit(s[i + 1]) || ((s[i + 1] === '+' || s[i + 1] === '-') && isDigit(s[i + 2])))) {
      i += 2;
      while (isDigit(s[i])) i++;
    }
    if (startsIdent(s[i], s[i + 1], s[i + 2])) identSeq();
    else if (s[i] === '%') i++;
    return { t: 'num', v: s.slice(start, i), start, end: i };
  };

  while (i < n) {
    const start = i;
    const c = s[i]!;
    if (c === '/' && s[i + 1] === '*') {
      const close = s.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (isWs(c)) {
      while (isWs(s[i])) i++;
      toks.push({ t: 'ws', v: ' ', start, end: i });
    } else if (c === '"' || c === "'") {
      i++;
      toks.push(str(c, start));
    } else if (c === '#') {
      i++;
      if (isIdentChar(s[i]) || validEscape(s[i], s[i + 1])) toks.push({ t: 'hash', v: identSeq(), start, end: i });
      else toks.push({ t: 'delim', v: c, start, end: i });
    } else if (c === '(' || c === '[' || c === '{') {
      i++;
      toks.push({ t: 'open', v: c, start, end: i });
    } else if (c === ')' || c === ']' || c === '}') {
      i++;
      toks.push({ t: 'close', v: c, start, end: i });
    } else if (c === ';') {
      i++;
      toks.push({ t: 'semi', v: c, start, end: i });
    } else if (c === '+' || c === '.') {
      if (startsNumber(c, s[i + 1], s[i + 2])) toks.push(numeric(start));
      else {
        i++;
        toks.push({ t: 'delim', v: c, start, end: i });
      }
    } else if (c === '-') {
      if (startsNumber(c, s[i + 1], s[i + 2])) toks.push(numeric(start));
      else if (s[i + 1] === '-' && s[i + 2] === '>') {
        i += 3;
        toks.push({ t: 'delim', v: '-->', start, end: i });
      } else if (startsIdent(c, s[i + 1], s[i + 2])) toks.push(identLike(start));
      else {
        i++;
        toks.push({ t: 'delim', v: c, start, end: i });
      }
    } else if (c === '@') {
      i++;
      if (startsIdent(s[i], s[i + 1], s[i + 2])) toks.push({ t: 'at', v: identSeq(), start, end: i });
      else toks.push({ t: 'delim', v: c, start, end: i });
    } else if (c === '\\') {
      if (validEscape(c, s[i + 1])) toks.push(identLike(start));
      else {
        i++;
        toks.push({ t: 'delim', v: c, start, end: i });
      }
    } else if (isDigit(c)) {
      toks.push(numeric(start));
    } else if (isIdentStart(c)) {
      toks.push(identLike(start));
    } else {
      // ',', ':', '<!--' and everything else: one code point of no interest here
      const ch = String.fromCodePoint(s.codePointAt(i)!);
      i += ch.length;
      toks.push({ t: 'delim', v: ch, start, end: i });
    }
  }
  return toks;
}

/** Functions whose string arguments are URLs. */
const IMAGE_FUNCS = new Set(['image-set', '-webkit-image-set', 'image', 'cross-fade', '-webkit-cross-fade']);
/** Functions that could bring a value from elsewhere into an image function. */
const SUBSTITUTE_FUNCS = new Set(['var', 'env', 'attr', 'if']);

export interface ScrubbedCss {
  css: string;
  /** Remote URLs removed (the "blocked" count; @import is always removed and not counted). */
  blocked: number;
}

/** The CSS with every URL that may not load removed and every @import dropped. */
export function scrubCss(input: string, allowRemote: boolean): ScrubbedCss {
  const s = preprocessCss(input);
  const toks = tokenizeCss(s);
  const cuts: { start: number; end: number; with: string }[] = [];
  let blocked = 0;
  // Index of the token closing the block or function opened at k (or toks.length).
  const matchClose = (k: number): number => {
    let depth = 0;
    for (let j = k; j < toks.length; j++) {
      const t = toks[j]!;
      if (t.t === 'open' || t.t === 'function') depth++;
      else if (t.t === 'close') {
        depth--;
        if (depth === 0) return j;
      }
    }
    return toks.length;
  };
  const endOf = (j: number) => (j < toks.length ? toks[j]!.end : s.length);
  const judge = (url: string) => {
    const v = judgeUrl(url, allowRemote);
    if (v.keep == null && isBlockedRemote(v)) blocked++;
    return v.keep;
  };
  // Open functions around the current token, innermost last.
  const stack: string[] = [];
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    const inImage = stack.some((f) => IMAGE_FUNCS.has(f));
    if (t.t === 'at' && t.v.toLowerCase() === 'import') {
      // To the ';' ending the statement (inclusive), or up to the '}' closing the block it sits in.
      let j = k + 1;
      let depth = 0;
      let end = s.length;
      for (; j < toks.length; j++) {
        const u = toks[j]!;
        if (u.t === 'open' || u.t === 'function') depth++;
        else if (u.t === 'close') {
          if (depth === 0) {
            end = u.start;
            break;
          }
          depth--;
        } else if (u.t === 'semi' && depth === 0) {
          end = u.end;
          break;
        }
      }
      // An empty comment, not nothing: `u@import"x";rl(…)` must not become `url(…)` once the rule is cut.
      cuts.push({ start: t.start, end, with: '/**/' });
      k = toks[j]?.t === 'semi' ? j : j - 1;
      continue;
    }
    if (t.t === 'url' || t.t === 'bad-url') {
      const keep = t.t === 'url' ? judge(t.v) : null;
      if (keep == null) cuts.push({ start: t.start, end: t.end, with: 'none' });
      else if (keep !== t.v) cuts.push({ start: t.start, end: t.end, with: cssUrl(keep) });
      continue;
    }
    if (t.t === 'function') {
      const name = t.v.toLowerCase();
      const close = matchClose(k);
      if (name === 'url' || name === 'src' || (inImage && SUBSTITUTE_FUNCS.has(name))) {
        const inner = toks.slice(k + 1, close).filter((u) => u.t !== 'ws');
        const only = inner.length === 1 && inner[0]!.t === 'string' ? inner[0]! : null;
        const keep = only && !SUBSTITUTE_FUNCS.has(name) ? judge(only.v) : null;
        if (keep == null) {
          if (!only && !SUBSTITUTE_FUNCS.has(name)) blocked++;
          cuts.push({ start: t.start, end: endOf(close), with: 'none' });
        } else cuts.push({ start: t.start, end: endOf(close), with: cssUrl(keep) });
        k = close;
        continue;
      }
      stack.push(name);
      continue;
    }
    if (t.t === 'open') {
      stack.push(t.v);
      continue;
    }
    if (t.t === 'close') {
      stack.pop();
      continue;
    }
    if ((t.t === 'string' || t.t === 'bad-string') && inImage) {
      const keep = t.t === 'string' ? judge(t.v) : null;
      if (keep == null) cuts.push({ start: t.start, end: t.end, with: 'none' });
      else cuts.push({ start: t.start, end: t.end, with: cssString(keep) });
    }
  }
  if (!cuts.length) return { css: s, blocked };
  let out = '';
  let at = 0;
  for (const c of cuts) {
    if (c.start < at) continue;
    out += s.slice(at, c.start) + c.with;
    at = c.end;
  }
  return { css: out + s.slice(at), blocked };
}

function cssString(v: string): string {
  return `"${v.replace(/[\\"\n\r\f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}

function cssUrl(v: string): string {
  return `url(${cssString(v)})`;
}
