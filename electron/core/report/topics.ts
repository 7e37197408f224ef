// Topics of an email conversation for the failed touchpoints: its subject's words and the kinds of
// references its customer named (order, invoice, ticket…), told by the word written before each.
import { extractLastFours, extractRefs } from '../linking/refs';
import { foldAccents } from '../linking/text';

/** Function words and mail prefixes left out of subject words ("refund", "parcel", "invoice" stay). */
const STOP = new Set(
  `the and for with from your you our not but are was were has have had this that these those what when where who why how
  can could would should will shall may might must about into onto over under again still just any some all too very
  re fw fwd aw sv wg tr question questions hello help please thanks thank urgent asap`.split(/\s+/),
);

const KINDS: [RegExp, string][] = [
  [/\border\b/i, 'order'],
  [/\binvoice\b/i, 'invoice'],
  [/\b(?:account|acct)\b/i, 'account'],
  [/\b(?:ticket|case)\b/i, 'ticket'],
  [/\b(?:booking|reservation)\b/i, 'booking'],
  [/\bsubscription\b/i, 'subscription'],
  [/\b(?:tracking|parcel|package|shipment)\b/i, 'tracking'],
  [/\brefund\b/i, 'refund'],
];

/** The subject's words: lowercase letters (accents folded), ≥ 3 letters, not a function word or mail prefix; each once. */
export function subjectWords(subject: string): string[] {
  const out = new Set<string>();
  for (const m of foldAccents(subject)
    .toLowerCase()
    .matchAll(/[a-z]+(?:'[a-z]+)?/g)) {
    const w = m[0].replace(/'s$/, '');
    if (w.length >= 3 && !STOP.has(w)) out.add(w);
  }
  return [...out];
}

/**
 * The kinds of references in a text: for each reference (linking/refs.ts), the last kind word among
 * the 30 characters before it (order, invoice, account, ticket, booking, subscription, tracking,
 * refund), else 'other'; a card's last four digits is 'card'. Each kind once.
 */
export function referenceKinds(text: string): string[] {
  const kinds = new Set<string>();
  for (const r of extractRefs(text)) {
    const at = text.indexOf(r.display);
    const before = at >= 0 ? text.slice(Math.max(0, at - 30), at) : '';
    let kind = 'other';
    let best = -1;
    for (const [re, k] of KINDS) {
      for (const m of before.matchAll(new RegExp(re.source, 'gi'))) {
        if (m.index > best) {
          best = m.index!;
          kind = k;
        }
      }
    }
    kinds.add(kind);
  }
  if (extractLastFours(text).length) kinds.add('card');
  return [...kinds];
}
