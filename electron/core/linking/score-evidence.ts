// Pieces of evidence scorePair (score.ts) weighs: names compared with the customer's, handles and
// local parts, a post's claims about earlier mail, and how each is worded.
import { firstNamesCompatible, givenNamesFit, isKnownFirstName, nameGroups, nicknameRelation, shortFormOf } from './nicknames';
import { formatName, matchHandleToName, type HandleNameLevel, type PersonName } from './names';
import type { CustomerProfile, MailSpot, XFeatures, XSpot } from './profile';
import { skeletonsFit } from './skeleton';
import { cjkSurnamesFit } from './cjk-surnames';
import { day, humanDuration } from './text';
import { WEIGHTS, type DfLookup, type Evidence } from './score-model';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export function xWhere(s: XSpot): string {
  if (s.where === 'bio') return `the X bio ("${s.text}")`;
  if (s.where === 'profile URL') return `the X profile link (${s.text})`;
  return `${s.where === 'dm' ? 'a DM' : 'a tweet'}${s.at ? ` on ${day(s.at)}` : ''} ("${s.text}")`;
}

export function mailWhere(s: MailSpot): string {
  const subj = s.subject ? `'${s.subject}'` : 'a mail';
  return s.from === 'the business' ? `the business's reply ${subj} (${day(s.at)})` : `${subj} from ${s.from} (${day(s.at)})`;
}

export function others(df: number): string {
  if (df <= 1) return 'no other customer has it';
  return `${df - 1} other customer${df - 1 === 1 ? ' has' : 's have'} it too`;
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export type NameLevel = 'full' | 'initial-last' | 'first-lastinitial' | 'last' | 'first' | 'initials' | null;

export interface NameResult {
  level: NameLevel;
  weight: number;
  text: string;
  conflict: 'last' | 'first' | 'initial' | null;
  conflictText: string;
  /** What the display name told: has a full first / last name. */
  hasFirst: boolean;
  hasLast: boolean;
}

export function customerNameLabel(c: CustomerProfile, first: string | null, last: string | null): string {
  const fn = c.fullNames.find((f) => (!first || firstNamesCompatible(f.first, first)) && (!last || f.last === last));
  if (fn) return formatName(fn);
  return formatName({ first, last });
}

/** Compare the X display name(s) with the customer's names. */
export function compareNames(x: XFeatures, c: CustomerProfile, df: DfLookup, lasts: string[] = [...c.lasts, ...c.weakLasts]): NameResult {
  let best: NameResult = { level: null, weight: 0, text: '', conflict: null, conflictText: '', hasFirst: false, hasLast: false };
  for (const n of x.names) {
    const r = compareOneName(n, c, lasts, df);
    if (r.weight > best.weight || (best.level === null && !best.conflict && r.conflict) || (r.weight === best.weight && r.conflict === null && best.conflict)) best = r;
  }
  return best;
}

/** X names as sentences show them, whitespace collapsed (the same few names are compared with every candidate). */
const namesShown = new Map<string, string>();
function shownName(raw: string): string {
  let shown = namesShown.get(raw);
  if (shown === undefined) {
    shown = raw.replace(/\s+/g, ' ').trim();
    if (namesShown.size >= 1024) namesShown.clear();
    namesShown.set(raw, shown);
  }
  return shown;
}

export function compareOneName(n: PersonName, c: CustomerProfile, lasts: string[], df: DfLookup): NameResult {
  const shown = shownName(n.raw);
  const said = n.where ? `the name "${shown}" written in ${n.where}` : `X name "${shown}"`;
  const res: NameResult = { level: null, weight: 0, text: '', conflict: null, conflictText: '', hasFirst: !!n.first, hasLast: !!n.last };
  if (!n.first && !n.last && n.firstInitial && n.lastInitial) return compareInitials(n.firstInitial, n.lastInitial, said, c, lasts, df, res);
  const firstMatch = n.first
    ? (c.firsts.find((f) => firstNamesCompatible(f, n.first!)) ?? c.firsts.find((f) => givenNamesFit(f, n.first!)) ?? c.firsts.find((f) => skeletonsFit(f, n.first!)) ?? null)
    : null;
  // A surname in Arabic script against its Latin spelling: two consonants do when the given name fits too ("خوري", Khoury).
  const lastMatch = n.last
    ? (lasts.find((l) => l === n.last) ?? lasts.find((l) => skeletonsFit(l, n.last!, firstMatch ? 2 : 3)) ?? lasts.find((l) => cjkFamilyFits(n, l)) ?? null)
    : n.first
      ? (lasts.find((l) => cjkFamilyFits(n, l)) ?? null)
      : null;
  const initialMatch = !n.first && n.firstInitial ? (c.firsts.find((f) => f[0] === n.firstInitial) ?? null) : null;
  const lastInitialMatch = !n.last && n.lastInitial ? (lasts.find((l) => l[0] === n.lastInitial) ?? null) : null;
  // Swapped order without a comma: "Rossi Wei".
  const swapped = n.first && n.last && !lastMatch && c.lasts.includes(n.first) && c.firsts.some((f) => firstNamesCompatible(f, n.last!));
  const nick = (a: string, b: string) => {
    const rel = nicknameRelation(a, b) ?? shortFormOf(a, b);
    if (rel && a !== b) return ` (${cap(a === rel ? b : a)} is a short form of ${cap(rel)})`;
    return scriptOf(a) !== scriptOf(b) ? ` (${cap(a)} is ${cap(b)} in another script)` : '';
  };
  if ((firstMatch && lastMatch) || swapped) {
    const f = swapped ? n.last! : n.first!;
    const l = swapped ? n.first! : n.last!;
    const dfPair = Math.max(1, ...[...nameGroups(f), ...(firstMatch ? nameGroups(firstMatch) : [])].map((g) => df(`nm:${g}|${l}`)));
    res.level = 'full';
    res.weight = Math.max(0.8, WEIGHTS.nameFull - 1.2 * Math.log(dfPair));
    const fm = firstMatch ?? f;
    res.text = `${said} fits ${customerNameLabel(c, fm, l)}${nick(f, fm)}; ${dfPair <= 1 ? 'no other customer has this name' : `${dfPair} customers have this name`}`;
    return res;
  }
  if (initialMatch && lastMatch) {
    const d = Math.max(1, df(`fi:${n.firstInitial}|${lastMatch}`));
    res.level = 'initial-last';
    res.weight = Math.max(0.5, WEIGHTS.nameInitialLast - 0.8 * Math.log(d));
    res.text = `${said} fits ${customerNameLabel(c, initialMatch, lastMatch)} (initial and surname); ${d <= 1 ? 'no other customer matches' : `${d} customers match`}`;
    return res;
  }
  if (firstMatch && lastInitialMatch) {
    const d = Math.max(1, ...nameGroups(firstMatch).map((g) => df(`fn:${g}`)));
    res.level = 'first-lastinitial';
    res.weight = Math.max(0.4, WEIGHTS.nameFirstLastInitial - 0.45 * Math.log(d));
    res.text = `${said} fits ${customerNameLabel(c, firstMatch, lastInitialMatch)} (given name and initial)${nick(n.first!, firstMatch)}`;
    return res;
  }
  if (firstMatch && !n.last && !n.lastInitial) {
    const d = Math.max(1, ...nameGroups(firstMatch).map((g) => df(`fn:${g}`)));
    res.level = 'first';
    res.weight = Math.max(0.2, WEIGHTS.nameFirst - 0.3 * Math.log(d));
    res.text = `${said} fits the given name ${cap(firstMatch)}${nick(n.first!, firstMatch)}; ${d} customer${d === 1 ? ' has' : 's have'} it`;
    return res;
  }
  if (lastMatch && !n.first && !n.firstInitial) {
    const d = Math.max(1, df(`ln:${lastMatch}`));
    res.level = 'last';
    res.weight = Math.max(0.3, WEIGHTS.nameLast - 0.5 * Math.log(d));
    res.text = `${said} fits the surname ${cap(lastMatch)}`;
    return res;
  }
  // Partial matches that also carry a contradiction.
  if (lastMatch) {
    res.level = 'last';
    res.weight = Math.max(0.3, WEIGHTS.nameLast - 0.5 * Math.log(Math.max(1, df(`ln:${lastMatch}`))));
    res.text = `${said} shares the surname ${cap(lastMatch)}`;
  } else if (firstMatch) {
    res.level = 'first';
    res.weight = Math.max(0.2, WEIGHTS.nameFirst - 0.3 * Math.log(Math.max(1, ...nameGroups(firstMatch).map((g) => df(`fn:${g}`)))));
    res.text = `${said} shares the given name ${cap(firstMatch)}`;
  }
  const label = c.fullNames[0] ? formatName(c.fullNames[0]) : c.firsts[0] ? cap(c.firsts[0]) : '';
  // Only a name that looks like a person's can contradict ("Night Owl", "coffee person" cannot):
  // its given name is one the name table or this mailbox knows, or it is an initial.
  const personLike = !n.first || isKnownFirstName(n.first) || nameGroups(n.first).some((g) => df(`fn:${g}`) > 0);
  if (!personLike) return res;
  // A name in another script than every name the customer's mail gives ("فاطمة" and Fatima) is no
  // contradiction: it may be the same name written otherwise.
  const script = scriptOf(n.first ?? n.last ?? '');
  if (![...c.firsts, ...c.lasts].some((m) => scriptOf(m) === script)) return res;
  if (n.last && c.lasts.length && !lastMatch && !c.lasts.some((l) => l.includes(n.last!) || n.last!.includes(l))) {
    res.conflict = 'last';
    res.conflictText = `${said} does not fit ${label} (different surname)`;
  } else if (n.first && c.firsts.length && !firstMatch && !c.firsts.some((f) => f.startsWith(n.first!) || n.first!.startsWith(f))) {
    // (A given name that starts the other, as "Mo" does Mohammed, may be a short form the table lacks: no contradiction.)
    res.conflict = 'first';
    res.conflictText = `${said} does not fit ${label} (different given name)`;
  } else if (!n.first && n.firstInitial && c.firsts.length && !initialMatch && !c.firsts.some((f) => f[0] === n.firstInitial)) {
    res.conflict = 'initial';
    res.conflictText = `${said} does not fit ${label} (different initial)`;
  }
  return res;
}

export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const HANDLE_LEVEL_WEIGHT: Record<HandleNameLevel, number> = {
  full: 2.6,
  'initial-last': 2.2,
  'first-lastinitial': 1.6,
  last: 1.2,
  first: 0.8,
};

/** Whether a local part / handle is just the person's name ("kevinmoore", "kmoore", "moore"). */
export function isNameLike(core: string, c: CustomerProfile): boolean {
  if (!core) return true;
  const m = matchHandleToName(core, c.firsts, [...c.lasts, ...c.weakLasts]);
  if (m) return true;
  if (c.firsts.some((f) => nameGroups(f).includes(core) || f === core) || c.lasts.includes(core)) return true;
  // Initial + a word ("jsmith") or word + initial ("smithj"): the way thousands of people spell their name.
  if (/^[a-z]+$/.test(core)) {
    const initials = new Set(c.firsts.map((f) => f[0]));
    if (initials.has(core[0]) && core.length >= 4) return true;
    if (initials.has(core[core.length - 1]) && core.length >= 4) return true;
    for (const f of c.firsts) for (const g of nameGroups(f)) if (core.startsWith(g) || core.endsWith(g)) return true;
  }
  return false;
}

/** A handle or local part short and plain enough that two strangers easily pick the same one. */
export function isGuessable(raw: string): boolean {
  return /^[a-z]+$/.test(raw) && raw.length <= 8;
}

export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const CLAIM_HORIZON = 60 * DAY;

/** Check a post's claims about earlier mail against the customer's inbound mail. */
export function checkClaims(x: XFeatures, c: CustomerProfile): Evidence | null {
  let best: { w: number; text: string } | null = null;
  let worst: { w: number; text: string } | null = null;
  const who = c.primaryEmail || c.label;
  for (const { claim, at, spot } of x.claims) {
    const before = c.inbound.filter((m) => m.at <= at + HOUR && m.at >= at - CLAIM_HORIZON);
    const where = `${spot.where === 'dm' ? 'a DM' : 'a tweet'} on ${day(at)}`;
    let w = 0;
    let text = '';
    if (claim.count) {
      const n = before.length;
      if (n >= claim.count) {
        w = Math.min(0.6, 0.3 * (claim.count - 1));
        text = `${where} says "${claim.phrase}" and ${who} sent ${n} mails in the ${humanDuration(at - before[0]!.at)} before it`;
      } else {
        w = -0.2;
        text = `${where} says "${claim.phrase}" but ${who} sent only ${n} mail${n === 1 ? '' : 's'} in the 60 days before it`;
      }
    } else if (claim.window) {
      const [lo, hi] = claim.window;
      const hit = before.find((m) => at - m.at >= lo && at - m.at <= hi);
      const wide = hi - lo > 5 * DAY;
      if (hit) {
        w = wide ? 0.5 : 0.8;
        text = `${where} says "${claim.phrase}"; ${who} wrote '${hit.subject || '(no subject)'}' ${humanDuration(at - hit.at)} before it`;
      } else {
        // A precise "emailed you yesterday" that does not fit speaks louder than a vague "a week ago"
        // or a wait that may count from the problem ("day 9 of waiting").
        w = wide || claim.waiting ? -0.4 : -1;
        text = `${where} says "${claim.phrase}" but ${who} sent no mail then`;
      }
    } else if (claim.weekday !== undefined) {
      // The customer's time zone is unknown: a mail within half a day of that weekday counts.
      const hit = before.find((m) => {
        if (at - m.at > 8 * DAY) return false;
        return [m.at, m.at - 12 * HOUR, m.at + 12 * HOUR].some((t) => new Date(t).getUTCDay() === claim.weekday);
      });
      if (hit) {
        w = 0.8;
        const utcDay = new Date(hit.at).getUTCDay();
        const zone = utcDay === claim.weekday ? '' : ` UTC, a ${WEEKDAY_NAMES[claim.weekday]} in some time zones`;
        text = `${where} says "${claim.phrase}"; ${who} wrote '${hit.subject || '(no subject)'}' on ${WEEKDAY_NAMES[utcDay]} ${day(hit.at)}${zone}`;
      } else {
        w = -0.4;
        text = `${where} says "${claim.phrase}" but ${who} sent no mail on a ${WEEKDAY_NAMES[claim.weekday]} in the week before`;
      }
    }
    if (w > 0 && (!best || w > best.w)) best = { w, text };
    if (w < 0 && (!worst || w < worst.w)) worst = { w, text };
  }
  // A fitting claim outweighs a vaguer one that does not fit (people round); otherwise the misfit counts.
  if (best && worst)
    return best.w >= -worst.w
      ? { kind: 'claim', weight: best.w + worst.w / 2, text: `${best.text}; but ${worst.text.replace(/^.*? says /, 'it also says ')}` }
      : { kind: 'claim', weight: worst.w + best.w / 2, text: worst.text };
  if (best) return { kind: 'claim', weight: best.w, text: best.text };
  if (worst) return { kind: 'claim', weight: worst.w, text: worst.text };
  return null;
}

export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** A display name of initials only ("S.R.") against the customer's given names and surnames. */
function compareInitials(fi: string, li: string, said: string, c: CustomerProfile, lasts: string[], df: DfLookup, res: NameResult): NameResult {
  const f = c.firsts.find((x) => x[0] === fi);
  const l = lasts.find((x) => x[0] === li);
  if (f && l) {
    const d = Math.max(1, df(`in:${fi}${li}`));
    res.level = 'initials';
    res.weight = Math.max(0.3, WEIGHTS.nameInitials - 0.5 * Math.log(d));
    res.text = `${said} fits the initials of ${customerNameLabel(c, f, l)}; ${d <= 1 ? 'no other customer has them' : `${d} customers have them`}`;
  } else if (c.firsts.length && lasts.length && !(c.firsts.some((x) => x[0] === li) && lasts.some((x) => x[0] === fi))) {
    // (Initials in the other order, family name first as "M.T." for Min Tanaka read "Tanaka Min", are no contradiction.)
    res.conflict = 'initial';
    res.conflictText = `${said} does not fit the initials of ${customerNameLabel(c, c.firsts[0]!, lasts[0]!)}`;
  }
  return res;
}

/** The script a name part is written in: Latin letters (accents folded away), or the block of its first letter. */
export function scriptOf(name: string): string {
  const ch = name.codePointAt(0) ?? 0;
  if (ch < 0x250) return 'latin';
  if (ch >= 0x400 && ch < 0x530) return 'cyrillic';
  if (ch >= 0x600 && ch < 0x700) return 'arabic';
  if (ch >= 0x3040 && ch < 0x3100) return 'kana';
  if (ch >= 0x4e00 && ch < 0xa000) return 'han';
  if (ch >= 0xac00 && ch < 0xd7b0) return 'hangul';
  return `u${ch >> 7}`;
}

/**
 * A family name in Chinese, Korean or Japanese script against its Latin spelling (cjk-surnames.ts), either
 * way round: "王" and Wang; "田中太郎" read as 田 + 中太郎 is 田中 (Japanese family names are two
 * characters); a Latin name written family first ("Wang Wei") against the customer's 王.
 */
function cjkFamilyFits(n: PersonName, last: string): boolean {
  if (n.last && cjkSurnamesFit(n.last, last)) return true;
  const firstChar = n.first ? Array.from(n.first)[0] : undefined;
  if (n.last && firstChar && cjkSurnamesFit(n.last + firstChar, last)) return true;
  return !!n.first && cjkSurnamesFit(n.first, last);
}
