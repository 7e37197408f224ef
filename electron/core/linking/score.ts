// Scoring one (X identity, email customer) pair: every piece of evidence gets a weight in log-odds
// (natural log of how much likelier it is for the same person than for a stranger), rarer evidence
// weighs more, conflicting names weigh against. The sum is squashed to a calibrated 0..1 score.
import { formatName, handleCore, handleVariants, matchHandleToName, type HandleNameMatch } from './names';
import type { CustomerProfile, XFeatures } from './profile';
import { storyOf } from './story';
import { FULL_STRENGTH, shiftSentence } from './feedback';
import { day, humanDuration } from './text';
import { isCorroborated } from './decide';
import { DAY, HANDLE_LEVEL_WEIGHT, cap, checkClaims, compareNames, customerNameLabel, isGuessable, isNameLike, mailWhere, others, round, round3, xWhere } from './score-evidence';
import { WEIGHTS, squash, type DfLookup, type Evidence, type EvidenceKind, type PairScore } from './score-model';

export * from './score-model';
export * from './decide';

export function scorePair(
  x: XFeatures,
  c: CustomerProfile,
  df: DfLookup,
  opts: { customers?: number; /** Log-odds per kind learned from the owner's decisions (feedback.ts). */ shifts?: Partial<Record<EvidenceKind, number>> } = {},
): PairScore {
  const ev: Evidence[] = [];
  const N = Math.max(opts.customers ?? 1000, 10);
  const who = c.primaryEmail || c.label;
  const lasts = [...c.lasts, ...c.weakLasts];
  /** The handle read as this customer's name (steps 6 and 7), worked out once when first asked. */
  let handleName: HandleNameMatch | null | undefined;
  const handleAsName = () => (handleName === undefined ? (handleName = matchHandleToName(x.handle!, c.firsts, lasts)) : handleName);

  // 1. The customer's address written on X.
  for (const e of x.emails) {
    if (c.emails.includes(e.address)) {
      ev.push({ kind: 'email', weight: WEIGHTS.email, strong: true, text: `${e.address} is written in ${xWhere(e.spot)}` });
      break;
    }
  }

  // 2. The X handle in the customer's own mail (signature, "Follow me @…", twitter.com/…).
  if (x.handle) {
    const lower = x.handle.toLowerCase();
    const h = c.handles.find((m) => m.handle === lower);
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
        const m = handleAsName();
        if (m && (m.level === 'full' || m.level === 'initial-last' || m.level === 'first-lastinitial')) {
          e = { kind: 'handle-local', weight: 2.5, text: `handle @${x.handle} carries the same number ${hc.digits} as ${l.address}` };
        }
      }
      if (e && (!best || e.weight > best.weight)) best = e;
    }
    if (best) ev.push(best);
  }

  // 7. Names: display name, and the handle read as a name.
  const nr = compareNames(x, c, df, lasts);
  let nameWeight = 0;
  if (nr.level) {
    nameWeight = nr.weight;
    ev.push({ kind: 'name', weight: round(nr.weight), text: nr.text });
  }
  if (x.handle) {
    const hm = handleAsName();
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
      const spelled =
        hm.level === 'full'
          ? formatName({ first: hm.first, last: hm.last })
          : hm.level === 'initial-last'
            ? `${hm.first![0]!.toUpperCase()}. ${cap(hm.last!)}`
            : hm.level === 'first-lastinitial'
              ? `${cap(hm.first!)} ${hm.last![0]!.toUpperCase()}.`
              : cap(hm.last ?? hm.first ?? '');
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
      const answered = c.outbound.some((o) => o > last.at && o <= t.at);
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

  /** With a story: the weight plain shared words would have had instead (0: none). */
  let plainTopic: number | null = null;
  // 9. Shared topic words (the product or problem), weighted as a likelihood ratio: the same person
  // names their own product about half the time; a stranger names it as often as customers do (d/N).
  if (x.words.length && c.words.length) {
    // The customer's own names are name evidence, not topic.
    const shared = x.words.filter((w) => c.words.includes(w) && !c.firsts.includes(w) && !lasts.includes(w));
    const lrs: { w: string; lr: number }[] = [];
    let story: { w: string; k: number; lr: number; gap: number } | null = null;
    for (const w of shared) {
      const d = Math.max(1, df(`w:${w}`));
      const lr = Math.log((0.5 * N) / d);
      if (lr > 0.3) lrs.push({ w, lr: Math.min(WEIGHTS.topicPerWord, lr) });
      const st = storyOf(x, c, w, df, N);
      if (st && (!story || st.lr > story.lr)) story = st;
    }
    lrs.sort((a, b) => b.lr - a.lr);
    const plain = lrs.length ? Math.min(WEIGHTS.topicMax, lrs[0]!.lr + 0.2 * (lrs.length - 1)) : 0;
    if (story && story.lr > plain) {
      plainTopic = round(plain);
      ev.push({
        kind: 'story',
        weight: round(story.lr),
        text: `a complaint about "${story.w}" came ${humanDuration(story.gap)} after ${who}'s mail about it; ${story.k <= 1 ? 'no other customer' : story.k === 2 ? 'about 1 other customer' : `about ${story.k - 1} other customers`} wrote about "${story.w}" in the two weeks before it`,
      });
    } else if (lrs.length) {
      ev.push({
        kind: 'topic',
        weight: round(plain),
        text: `both mention ${lrs
          .slice(0, 4)
          .map((l) => `"${l.w}"`)
          .join(', ')}; ${others(Math.max(1, df(`w:${lrs[0]!.w}`)))} in their mail`,
      });
    }
  }

  if (opts.shifts) {
    for (const e of ev) {
      const learned = opts.shifts[e.kind];
      if (!learned || Math.abs(learned) < 0.05 || e.weight <= 0) continue;
      // In proportion to how much this piece counts of its kind at full strength: what rejected full
      // names taught must not turn a fitting given name into evidence against.
      const d = round(Math.max(-e.weight, learned * Math.min(1, e.weight / (FULL_STRENGTH[e.kind] ?? e.weight))));
      if (Math.abs(d) < 0.05) continue;
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
  const storyEv = ev.find((e) => e.kind === 'story');
  // Corroboration (an automatic link's) counts the shared words as they would weigh without the story.
  const plainEv = storyEv ? ev.map((e) => (e === storyEv ? { ...e, kind: 'topic' as const, weight: plainTopic ?? 0 } : e)) : ev;
  const scored: PairScore = { customerId: c.customerId, total, score: round3(squash(total)), evidence: ev, strong, conflict, corroborated: isCorroborated(plainEv) };
  if (storyEv && plainTopic !== null) {
    const topicShift = plainTopic > 0 && Math.abs(opts.shifts?.topic ?? 0) >= 0.05 ? opts.shifts!.topic! : 0;
    const excess = round(storyEv.weight - (plainTopic > 0 ? plainTopic + topicShift : 0));
    if (excess > 0) scored.storyExcess = excess;
  }
  return scored;
}
