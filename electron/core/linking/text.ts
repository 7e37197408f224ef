// Text helpers for linking: accent folding, emoji stripping, quoted-text and signature splitting.
// Pure functions: no I/O.
import { memoize } from './memo';

const SPECIAL_FOLD: Record<string, string> = {
  ø: 'o',
  Ø: 'O',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ß: 'ss',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'TH',
  ı: 'i',
};

const ASCII = /^[\x00-\x7f]*$/;

/** "Múirne Ødegaard" → "Muirne Odegaard". */
export function foldAccents(s: string): string {
  if (ASCII.test(s)) return s;
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[øØæÆœŒßłŁđĐðÐþÞı]/g, (c) => SPECIAL_FOLD[c] ?? c);
}

/** Removes emoji, pictographs, variation selectors and joiners. */
export function stripEmoji(s: string): string {
  if (ASCII.test(s)) return s;
  return s
    .replace(/\p{Extended_Pictographic}/gu, ' ')
    .replace(/\u{1F1E6}|[\u{1F1E7}-\u{1F1FF}]|[\u{FE00}-\u{FE0F}]|\u200d|\u20e3|[\u{1F3FB}-\u{1F3FF}]/gu, '')
    .replace(/[\p{So}\p{Cs}]/gu, ' ');
}

/** Lowercase, accents folded, emoji removed, whitespace collapsed. */
export function fold(s: string): string {
  return foldAccents(stripEmoji(s)).toLowerCase().replace(/\s+/g, ' ').trim();
}

const ATTRIBUTION = /^\s*(on\s.{4,200}\swrote:|le\s.{4,200}\sa écrit\s?:|am\s.{4,200}\sschrieb.{0,40}:|el\s.{4,200}\sescribió:)\s*$/i;
const CUT_MARKERS = [/^\s*-{2,}\s*(original message|forwarded message|ursprüngliche nachricht|message d'origine)\s*-{2,}\s*$/i, /^\s*_{10,}\s*$/, /^\s*begin forwarded message:?\s*$/i];

/**
 * The part of a mail body its author wrote: quoted lines ("> …"), "On … wrote:" attributions and
 * everything after an "Original Message" separator are removed.
 */
export function stripQuoted(body: string): string {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (CUT_MARKERS.some((re) => re.test(line))) break;
    if (/^\s*>/.test(line)) continue;
    if (ATTRIBUTION.test(line)) continue;
    // An attribution wrapped over two lines: "On Tue, … Support <sup" + "port@x> wrote:"
    if (/^\s*on\s.{4,200}$/i.test(line) && i + 1 < lines.length && /wrote:\s*$/i.test(lines[i + 1]!) && lines[i + 1]!.length < 120) {
      i++;
      continue;
    }
    if (/^\s*from:\s.+$/i.test(line) && i + 1 < lines.length && /^\s*(sent|date|to):\s/i.test(lines[i + 1]!)) break;
    out.push(line);
  }
  return out.join('\n').trim();
}

/** Splits a body into the message and its signature (after a "-- " line). */
export function splitSignature(body: string): { text: string; signature: string } {
  const lines = body.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^\s*--\s*$/.test(lines[i]!) || /^\s*—\s*$/.test(lines[i]!)) {
      return {
        text: lines.slice(0, i).join('\n').trim(),
        signature: lines
          .slice(i + 1)
          .join('\n')
          .trim(),
      };
    }
  }
  return { text: body.trim(), signature: '' };
}

/** Short quote of a text for evidence sentences. */
export function quote(s: string, max = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** Days written out, by day number (the scorer writes the same few days into many candidates' sentences). */
const dayOfNumber = memoize((n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10));

/** A day as YYYY-MM-DD for evidence sentences (a UTC date depends on the day number alone). */
export function day(ms: number): string {
  return dayOfNumber(Math.floor(ms / 86_400_000));
}

export function humanDuration(ms: number): string {
  const h = ms / 3_600_000;
  if (h < 1) return `${Math.max(1, Math.round(ms / 60_000))} min`;
  if (h < 48) return `${Math.round(h)} h`;
  return `${Math.round(h / 24)} days`;
}
