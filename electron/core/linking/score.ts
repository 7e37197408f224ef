// Scoring one (X identity, email customer) pair: every piece of evidence gets a weight in log-odds
// (natural log of how much likelier it is for the same person than for a stranger), rarer evidence
// weighs more, conflicting names weigh against. The sum is squashed to a calibrated 0..1 score.
import { firstNamesCompatible, isKnownFirstName, nameGroups, nicknameRelation } from './nicknames';
import { formatName, handleCore, handleVariants, matchHandleToName, type HandleNameLevel, type PersonName } from './names';
import type { CustomerProfile, MailSpot, XFeatures, XSpot } from './profile';
import { shiftSentence } from './feedback';
import { day, humanDuration } from './text';

export type EvidenceKind =
  | 'email'
  | 'handle-in-mail'
  | 'reference'
  | 'last-four'
  | 'domain'
  | 'handle-local'
  | 'name'
  | 'handle-name'
  | 'name-conflict'
  | 'timing'
  | 'escalation'
  | 'claim'
  | 'topic';

export interface Evidence {
  kind: EvidenceKind;
  /** Log-odds contribution (negative when it speaks against the link). */
  weight: number;
  /** A sentence a person can check. */
  text: string;
  /** Strong enough, on its own, to let the engine link without a person. */
  strong?: boolean;
}

export interface PairScore {
  customerId: number;
  /** Sum of evidence weights. */
  total: number;
  /** Calibrated probability that the two are the same person. */
  score: number;
  evidence: Evidence[];
  strong: boolean;
  /** A name conflict that forbids an automatic link unless the evidence is identity-grade. */
  conflict: boolean;
  /** A distinctive name backed by at least two independent pieces of context (see isCorroborated). */
  corroborated: boolean;
}

/** Document frequency: how many email customers carry a key (at least 1 for keys the pair shares). */
export type DfLookup = (key: string) => number;

export const WEIGHTS = {
  email: 12,
  handleInMailStrong: 10,
  handleInMailWeak: 5,
  refLong: 9,
  refShort: 7.5,
  refFour: 7,
  refDfPenalty: 2.5,
  lastFour: 4,
  domain: 6.5,
  handleLocalDistinct: 7,
  handleLocalName: 1.5,
  handleLocalCore: 3,
  nameFull: 4,
  nameInitialLast: 2.8,
  nameFirstLastInitial: 2.2,
  nameLast: 2,
  nameFirst: 1.4,
  lastConflict: -3,
  firstConflict: -2.2,
  initialConflict: -1,
  timingMax: 1.5,
  escalation: 1,
  topicPerWord: 1.8,
  topicMax: 2.2,
} as const;

/** Log-odds offset: the prior that an arbitrary X account and an arbitrary customer are one person. */
export const BIAS = -3.7;
export const AUTO_LINK_TOTAL = 9;
export const AUTO_LINK_MARGIN = 3;
/** Total needed for a corroborated (name + context) link without one strong piece of evidence. */
export const AUTO_LINK_CORROBORATED = 6.3;
export const SUGGEST_TOTAL = 2;
/**
 * Probability, among the candidates and "a stranger", that the best candidate is the person, at
 * which the engine links on the sum of evidence alone (still no name conflict, and clear of the
 * runner-up by AUTO_LINK_MARGIN_POSTERIOR).
 */
export const LINK_POSTERIOR = 0.9;
export const AUTO_LINK_MARGIN_POSTERIOR = 2;

export function squash(total: number): number {
  return 1 / (1 + Math.exp(-(total + BIAS)));
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

function xWhere(s: XSpot): string {
  if (s.where === 'bio') return `the X bio ("${s.text}")`;
  if (s.where === 'profile URL') return `the X profile link (${s.text})`;
  return `${s.where === 'dm' ? 'a DM' : 'a tweet'}${s.at ? ` on ${day(s.at)}` : ''} ("${s.text}")`;
}

function mailWhere(s: MailSpot): string {
  const subj = s.subject ? `'${s.subject}'` : 'a mail';
  return s.from === 'the business' ? `the business's reply ${subj} (${day(s.at)})` : `${subj} from ${s.from} (${day(s.at)})`;
}

function others(df: number): string {
  if (df <= 1) return 'no other customer has it';
  return `${df - 1} other customer${df - 1 === 1 ? ' has' : 's have'} it too`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

type NameLevel = 'full' | 'initial-last' | 'first-lastinitial' | 'last' | 'first' | null;

interface NameResult {
  level: NameLevel;
  weight: number;
  text: string;
  conflict: 'last' | 'first' | 'initial' | null;
  conflictText: string;
  /** What the display name told: has a full first / last name. */
  hasFirst: boolean;
  hasLast: boolean;
}

function customerNameLabel(c: CustomerProfile, first: string | null, last: string | null): string {
  const fn = c.fullNames.find((f) => (!first || firstNamesCompatible(f.first, first)) && (!last || f.last === last));
  if (fn) return formatName(fn);
  return formatName({ first, last });
}

/** Compare the X display name(s) with the customer's names. */
function compareNames(x: XFeatures, c: CustomerProfile, df: DfLookup): NameResult {
  let best: NameResult = { level: null, weight: 0, text: '', conflict: null, conflictText: '', hasFirst: false, hasLast: false };
  const lasts = [...c.lasts, ...c.weakLasts];
  for (const n of x.names) {
    const r = compareOneName(n, c, lasts, df);
    if (r.weight > best.weight || (best.level === null && !best.conflict && r.conflict) || (r.weight === best.weight && r.conflict === null && best.conflict)) best = r;
  }
  return best;
}

function compareOneName(n: PersonName, c: CustomerProfile, lasts: string[], df: DfLookup): NameResult {
  const shown = n.raw.replace(/\s+/g, ' ').trim();
  const said = n.where ? `the name "${shown}" written in ${n.where}` : `X name "${shown}"`;
  const res: NameResult = { level: null, weight: 0, text: '', conflict: null, conflictText: '', hasFirst: !!n.first, hasLast: !!n.last };
  const firstMatch = n.first ? c.firsts.find((f) => firstNamesCompatible(f, n.first!)) ?? null : null;
  const lastMatch = n.last ? lasts.find((l) => l === n.last) ?? null : null;
  const initialMatch = !n.first && n.firstInitial ? c.firsts.find((f) => f[0] === n.firstInitial) ?? null : null;
  const lastInitialMatch = !n.last && n.lastInitial ? lasts.find((l) => l[0] === n.lastInitial) ?? null : null;
  // Swapped order without a comma: "Rossi Wei".
  const swapped =
    n.first && n.last && !lastMatch && c.lasts.includes(n.first) && c.firsts.some((f) => firstNamesCompatible(f, n.last!));
  const nick = (a: string, b: string) => {
    const rel = nicknameRelation(a, b);
    return rel && a !== b ? ` (${cap(a === rel ? b : a)} is a short form of ${cap(rel)})` : '';
  };
  if ((firstMatch && lastMatch) || swapped) {
    const f = swapped ? n.last! : n.first!;
    const l = swapped ? n.first! : n.last!;
    const dfPair = Math.max(1, ...nameGroups(f).map((g) => df(`nm:${g}|${l}`)));
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
  if (n.last && c.lasts.length && !lastMatch && !c.lasts.some((l) => l.includes(n.last!) || n.last!.includes(l))) {
    res.conflict = 'last';
    res.conflictText = `${said} does not fit ${label} (different surname)`;
  } else if (n.first && c.firsts.length && !firstMatch) {
    res.conflict = 'first';
    res.conflictText = `${said} does not fit ${label} (different given name)`;
  } else if (!n.first && n.firstInitial && c.firsts.length && !initialMatch && !c.firsts.some((f) => f[0] === n.firstInitial)) {
    res.conflict = 'initial';
    res.conflictText = `${said} does not fit ${label} (different initial)`;
  }
  return res;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const HANDLE_LEVEL_WEIGHT: Record<HandleNameLevel, number> = {
  full: 2.6,
  'initial-last': 2.2,
  'first-lastinitial': 1.6,
  last: 1.2,
  first: 0.8,
};

/** Whether a local part / handle is just the person's name ("kevinmoore", "kmoore", "moore"). */
function isNameLike(core: string, c: CustomerProfile): boolean {
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
function isGuessable(raw: string): boolean {
  return /^[a-z]+$/.test(raw) && raw.length <= 8;
}

export function scorePair(
  x: XFeatures,
  c: CustomerProfile,
  df: DfLookup,
  opts: { customers?: number; /** Log-odds per kind learned from the owner's decisions (feedback.ts). */ shifts?: Partial<Record<EvidenceKind, number>> } = {},
): PairScore {
  const ev: Evidence[] = [];
  const N = Math.max(opts.customers ?? 1000, 10);
  const who = c.primaryEmail || c.label;

  // 1. The customer's address written on X.
  for (const e of x.emails) {
    if (c.emails.includes(e.address)) {
      ev.push({ kind: 'email', weight: WEIGHTS.email, strong: true, text: `${e.address} is written in ${xWhere(e.spot)}` });
      break;
    }
  }

  // 2. The X handle in the customer's own mail (signature, "Follow me @…", twitter.com/…).
  if (x.handle) {
    const h = c.handles.find((m) => m.handle === x.handle!.toLowerCase());
    if (h) {
      const d = Math.max(1, df(`h:${h.handle}`));
      const base = h.strong ? WEIGHTS.handleInMailStrong : WEIGHTS.handleInMailWeak;
      const w = Math.max(1, base - 2 * Math.log(d));
      ev.push({
        kind: 'handle-in-mail',
        weight: w,
        strong: h.strong && d === 1,
        text: `@${x.handle} is named in ${mailWhere(h.spot)}: "${h.line}"${d > 1 ? `; ${others(d)}` : ''}`,
      });
    }
  }

  // 3. References in both, weighted by how many customers' mail has them.
  const refHits: Evidence[] = [];
  for (const r of x.refs) {
    const keys = [r.core, ...r.alt];
    const hit = c.refs.find((cr) => keys.includes(cr.core) || cr.alt.some((a) => keys.includes(a)));
    if (!hit) continue;
    const key = keys.includes(hit.core) ? hit.core : hit.alt.find((a) => keys.includes(a))!;
    const d = Math.max(1, df(`r:${key}`));
    const digitsOnly = /^\d+$/.test(key);
    const base = digitsOnly && key.length < 6 ? (key.length === 4 ? WEIGHTS.refFour : WEIGHTS.refShort) : WEIGHTS.refLong;
    const w = Math.max(0.2, base - WEIGHTS.refDfPenalty * Math.log(d));
    const sameForm = r.display.toUpperCase() === hit.display.toUpperCase();
    refHits.push({
      kind: 'reference',
      weight: w,
      strong: d === 1 && w >= 7,
      text: `reference ${hit.display} appears in ${xWhere(r.spot)}${sameForm ? '' : ` (written ${r.display})`} and in ${mailWhere(hit.spot)}; ${others(d)}`,
    });
  }
  refHits.sort((a, b) => b.weight - a.weight);
  refHits.forEach((e, i) => {
    if (i > 0) e.weight = e.weight * 0.3;
    ev.push(e);
  });

  // 4. Last four digits of a reference.
  if (!refHits.length) {
    for (const l of x.last4) {
      const hit = c.last4.find((cl) => cl.digits === l.digits);
      if (!hit) continue;
      const d = Math.max(1, df(`l4:${l.digits}`));
      const w = Math.max(0.2, WEIGHTS.lastFour - 1.5 * Math.log(d));
      ev.push({ kind: 'last-four', weight: w, text: `"${l.display}" in ${xWhere(l.spot)} matches the last four digits of ${hit.display} in ${mailWhere(hit.spot)}; ${others(d)}` });
      break;
    }
  }

  // 5. The bio's website is the customer's own mail domain.
  for (const d of x.domains) {
    if (!c.domains.includes(d.domain)) continue;
    const n = Math.max(1, df(`d:${d.domain}`));
    const w = Math.max(0.5, WEIGHTS.domain - 2 * Math.log(n));
    const addr = c.emails.find((e) => e.endsWith(`@${d.domain}`) || e.endsWith(`.${d.domain}`)) ?? c.emails[0];
    ev.push({ kind: 'domain', weight: w, strong: n === 1, text: `${d.domain} in ${xWhere(d.spot)} is the domain of ${addr}; ${others(n)}` });
    break;
  }

  // 6. Handle against the email's local part.
  if (x.handle) {
    const hc = handleCore(x.handle);
    const variants = handleVariants(x.handle);
    let best: Evidence | null = null;
    for (const l of c.locals) {
      let e: Evidence | null = null;
      if (hc.raw.length >= 4 && hc.raw === l.raw) {
        const nameLike = isNameLike(l.core, c) && !(l.digits.length >= 2);
        const d = Math.max(1, df(`lp:${l.raw}`));
        if (nameLike) e = { kind: 'handle-local', weight: WEIGHTS.handleLocalName, text: `handle @${x.handle} is spelled like ${l.address}` };
        else
          e = {
            kind: 'handle-local',
            weight: Math.max(1, (isGuessable(l.raw) ? WEIGHTS.handleLocalCore : WEIGHTS.handleLocalDistinct) - 2 * Math.log(d)),
            strong: d === 1 && l.raw.length >= 6 && !isGuessable(l.raw),
            text: `handle @${x.handle} is the same as the address ${l.address}${d > 1 ? `; ${others(d)}` : ''}`,
          };
      } else if (l.core.length >= 4 && variants.includes(l.core) && !(hc.digits.length >= 2 && l.digits.length >= 2 && hc.digits !== l.digits)) {
        // (Both with a number, different ones: "kevinmoore12" and kevinmoore1987@…, two people's spellings of one name.)
        const nameLike = isNameLike(l.core, c);
        e = { kind: 'handle-local', weight: nameLike ? WEIGHTS.handleLocalName * 0.8 : WEIGHTS.handleLocalCore, text: `handle @${x.handle} is spelled like ${l.address}` };
      } else if (hc.digits.length >= 2 && hc.digits === l.digits) {
        const m = matchHandleToName(x.handle, c.firsts, [...c.lasts, ...c.weakLasts]);
        if (m && (m.level === 'full' || m.level === 'initial-last' || m.level === 'first-lastinitial')) {
          e = { kind: 'handle-local', weight: 2.5, text: `handle @${x.handle} carries the same number ${hc.digits} as ${l.address}` };
        }
      }
      if (e && (!best || e.weight > best.weight)) best = e;
    }
    if (best) ev.push(best);
  }

  // 7. Names: display name, and the handle read as a name.
  const nr = compareNames(x, c, df);
  let nameWeight = 0;
  if (nr.level) {
    nameWeight = nr.weight;
    ev.push({ kind: 'name', weight: round(nr.weight), text: nr.text });
  }
  if (x.handle) {
    const hm = matchHandleToName(x.handle, c.firsts, [...c.lasts, ...c.weakLasts]);
    if (hm) {
      let w = HANDLE_LEVEL_WEIGHT[hm.level];
      if (hm.last) w -= 0.4 * Math.log(Math.max(1, df(`ln:${hm.last}`)));
      // The handle only counts for what the display name did not already say.
      const addsLast = !!hm.last && !nr.hasLast;
      const addsFirst = !!hm.first && !nr.hasFirst && (hm.level === 'full' || hm.level === 'first-lastinitial' || hm.level === 'first');
      if (nr.level === 'full') w *= 0.25;
      else if (!addsLast && !addsFirst) w *= 0.4;
      if (nr.conflict === 'last' && hm.last) w *= 0.3;
      w = Math.max(0.2, w);
      const spelled = hm.level === 'full' ? formatName({ first: hm.first, last: hm.last }) : hm.level === 'initial-last' ? `${hm.first![0]!.toUpperCase()}. ${cap(hm.last!)}` : hm.level === 'first-lastinitial' ? `${cap(hm.first!)} ${hm.last![0]!.toUpperCase()}.` : cap(hm.last ?? hm.first ?? '');
      ev.push({ kind: 'handle-name', weight: round(w), text: `handle @${x.handle} spells ${spelled}, as in ${customerNameLabel(c, hm.first, hm.last) || who}` });
      // A handle that names the same surname settles a display name without one.
      if (addsLast && nr.conflict === 'first') nr.conflict = null;
    }
  }
  if (nr.conflict) {
    const w = nr.conflict === 'last' ? WEIGHTS.lastConflict : nr.conflict === 'first' ? WEIGHTS.firstConflict : WEIGHTS.initialConflict;
    ev.push({ kind: 'name-conflict', weight: w, text: nr.conflictText });
  }
  void nameWeight;

  // 8. Timing: an X post soon after the customer's mail, above all one still unanswered.
  if (x.times.length && c.inbound.length) {
    let bestT: { w: number; text: string; unanswered: boolean } | null = null;
    for (const t of x.times) {
      let last: CustomerProfile['inbound'][number] | null = null;
      for (const m of c.inbound) if (m.at <= t.at) last = m;
      if (!last) continue;
      const gap = t.at - last.at;
      // Beyond two weeks a post after someone's mail is no likelier for them than for anyone.
      if (gap > 14 * DAY) continue;
      const answered = c.outbound.some((o) => o > last!.at && o <= t.at);
      let w = gap <= 3 * DAY ? 1.1 : gap <= 7 * DAY ? 0.8 : 0.4;
      if (!answered) w += 0.4;
      w = Math.min(WEIGHTS.timingMax, w);
      if (!bestT || w > bestT.w) {
        bestT = {
          w,
          unanswered: !answered,
          text: `${t.kind === 'dm' ? 'DM' : 'tweet'} on ${day(t.at)} came ${humanDuration(gap)} after ${who}'s mail '${last.subject || '(no subject)'}'${answered ? '' : ', which had no reply yet'}`,
        };
      }
    }
    if (bestT) {
      ev.push({ kind: 'timing', weight: round(bestT.w), text: bestT.text });
      if (x.escalation && bestT.unanswered) {
        ev.push({ kind: 'escalation', weight: WEIGHTS.escalation, text: `${xWhere(x.escalation.spot)} says "${x.escalation.phrase}" while ${who}'s mail was unanswered` });
      } else if (x.escalation) {
        ev.push({ kind: 'escalation', weight: WEIGHTS.escalation * 0.4, text: `${xWhere(x.escalation.spot)} says "${x.escalation.phrase}"` });
      }
    }
  }

  // 8b. What a post says about earlier mail ("emailed you 3 times", "on Monday", "day 9 of waiting"),
  // checked against this customer's own mail: a claim that fits is unlikely for a stranger, one
  // that does not fit speaks against.
  if (x.claims.length && c.inbound.length) {
    const cl = checkClaims(x, c);
    if (cl) ev.push(cl);
  }

  // 9. Shared topic words (the product or problem), weighted as a likelihood ratio: the same person
  // names their own product about half the time; a stranger names it as often as customers do (d/N).
  if (x.words.length && c.words.length) {
    // The customer's own names are name evidence, not topic.
    const own = new Set([...c.firsts, ...c.lasts, ...c.weakLasts]);
    const shared = x.words.filter((w) => c.words.includes(w) && !own.has(w));
    const lrs: { w: string; lr: number }[] = [];
    for (const w of shared) {
      const d = Math.max(1, df(`w:${w}`));
      const lr = Math.log((0.5 * N) / d);
      if (lr <= 0.3) continue;
      lrs.push({ w, lr: Math.min(WEIGHTS.topicPerWord, lr) });
    }
    if (lrs.length) {
      lrs.sort((a, b) => b.lr - a.lr);
      const sum = Math.min(WEIGHTS.topicMax, lrs[0]!.lr + 0.2 * (lrs.length - 1));
      ev.push({ kind: 'topic', weight: round(sum), text: `both mention ${lrs.slice(0, 4).map((l) => `"${l.w}"`).join(', ')}; ${others(Math.max(1, df(`w:${lrs[0]!.w}`)))} in their mail` });
    }
  }

  if (opts.shifts) {
    for (const e of ev) {
      const d = opts.shifts[e.kind];
      if (!d || Math.abs(d) < 0.05) continue;
      e.weight += d;
      e.text += `; ${shiftSentence(e.kind, d)}`;
    }
  }
  for (const e of ev) e.weight = round(e.weight);
  const total = round(ev.reduce((s, e) => s + e.weight, 0));
  const strong = ev.some((e) => e.strong);
  const identityGrade = ev.some((e) => e.strong && (e.kind === 'email' || e.kind === 'handle-in-mail'));
  const conflict = !!nr.conflict && !identityGrade;
  ev.sort((a, b) => b.weight - a.weight);
  return { customerId: c.customerId, total, score: round3(squash(total)), evidence: ev, strong, conflict, corroborated: isCorroborated(ev) };
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const CLAIM_HORIZON = 60 * DAY;

/** Check a post's claims about earlier mail against the customer's inbound mail. */
function checkClaims(x: XFeatures, c: CustomerProfile): Evidence | null {
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
        w = -0.4;
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
  if (best && worst) return best.w >= -worst.w ? { kind: 'claim', weight: best.w + worst.w / 2, text: `${best.text}; but ${worst.text.replace(/^.*? says /, 'it also says ')}` } : { kind: 'claim', weight: worst.w + best.w / 2, text: worst.text };
  if (best) return { kind: 'claim', weight: best.w, text: best.text };
  if (worst) return { kind: 'claim', weight: worst.w, text: worst.text };
  return null;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export interface Decision {
  /** The customer to link automatically, if any. */
  link: PairScore | null;
  /** Ranked suggestions (without the linked one). */
  suggestions: PairScore[];
}

/**
 * A name alone is not enough to link: namesakes follow the same shops. A name that fits (full name,
 * or initial and surname that the handle spells too) counts when at least two independent kinds of
 * context back it: timing after the customer's mail, escalation wording while their mail was
 * unanswered, the same product, a fitting claim about their mail, a handle spelled like the address.
 */
export function isCorroborated(ev: Evidence[]): boolean {
  const name = ev.find((e) => e.kind === 'name');
  const handleName = ev.find((e) => e.kind === 'handle-name');
  const nameOk = !!name && (name.weight >= 3.5 || (name.weight >= 2.2 && !!handleName && handleName.weight >= 1.5));
  if (!nameOk) return false;
  const ctx = ev.filter(
    (e) =>
      (e.kind === 'timing' && e.weight >= 0.8) ||
      (e.kind === 'escalation' && e.weight >= 1) ||
      (e.kind === 'topic' && e.weight >= 0.9) ||
      (e.kind === 'claim' && e.weight >= 0.5) ||
      (e.kind === 'handle-local' && e.weight >= 1.2),
  );
  const sum = ctx.reduce((s, e) => s + e.weight, 0);
  return new Set(ctx.map((e) => e.kind)).size >= 2 && sum >= 2;
}

/**
 * The candidates that count against the best one: those worth suggesting, at most five (what a
 * decision keeps, so a build deciding again from stored decisions sees the same).
 */
function contenders(sorted: PairScore[]): PairScore[] {
  return sorted.filter((s) => s.total >= SUGGEST_TOTAL).slice(0, 5);
}

/** Distinct kinds of evidence that speak for a pair (one piece alone never links on the sum). */
function kindsFor(p: PairScore): number {
  return new Set(p.evidence.filter((e) => e.weight >= 0.5).map((e) => e.kind)).size;
}

/**
 * The chance that the best of these candidates is the person rather than another candidate or a
 * stranger: exp(best) / (exp(stranger) + sum of exp(candidate)), totals being log likelihood ratios.
 */
export function posterior(sorted: PairScore[], strangerLogOdds: number): number {
  const top = sorted[0];
  if (!top) return 0;
  let z = Math.exp(strangerLogOdds - top.total);
  for (const s of sorted) z += Math.exp(s.total - top.total);
  return 1 / z;
}

/** Link when strong (or corroborated) and clear of the runner-up; suggest when weak; nothing otherwise. */
export function decide(scores: PairScore[], opts: { maxSuggestions?: number; blockAuto?: Set<number>; strangerLogOdds?: number } = {}): Decision {
  const sorted = [...scores].sort((a, b) => b.total - a.total || a.customerId - b.customerId);
  const best = sorted[0];
  const second = sorted[1];
  let link: PairScore | null = null;
  const margin = !second ? Infinity : best!.total - second.total;
  if (
    best &&
    !best.conflict &&
    !opts.blockAuto?.has(best.customerId) &&
    (((best.strong && best.total >= AUTO_LINK_TOTAL) || (best.corroborated && best.total >= AUTO_LINK_CORROBORATED)) && margin >= AUTO_LINK_MARGIN ||
      (margin >= AUTO_LINK_MARGIN_POSTERIOR && kindsFor(best) >= 2 && posterior(contenders(sorted), opts.strangerLogOdds ?? -BIAS) >= LINK_POSTERIOR))
  ) {
    link = best;
  }
  const suggestions = sorted.filter((s) => s !== link && s.total >= SUGGEST_TOTAL).slice(0, opts.maxSuggestions ?? 5);
  return { link, suggestions };
}
