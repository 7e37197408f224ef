// The demo workspace: a small coffee roaster's support inbox, generated from code with a fixed
// seed. Customers write by email, some also on X; a few give up waiting for an email answer and
// complain in public (escalations), and many X accounts are linked, or suggested, to their email
// selves with the evidence a person would check. Times are relative to `now` so the demo looks
// current whenever it is opened; everything else is the same for the same seed.
import type { SeedConversation, SeedLink, SeedMessage, SeedPerson, SeedWorkspace } from './seed';
import { rng } from '../rng';
import { BIOS, CITIES, COMPLAINTS, DOMAINS, FIRST, LAST, MONTHS, STREETS, TOPICS } from './words';

const H = 3_600_000;
const DAY = 24 * H;

export interface DemoOptions {
  seed?: number;
  now?: number;
  /** Number of customers (default 140: a few hundred messages). */
  customers?: number;
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}

function fill(template: string, v: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_m, k: string) => v[k] ?? `{${k}}`);
}

function ascii(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/ı/g, 'i')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export function generateDemo(opts: DemoOptions = {}): SeedWorkspace {
  const r = rng(opts.seed ?? 20261123);
  const now = opts.now ?? Date.now();
  const nCustomers = opts.customers ?? 140;
  const people: SeedPerson[] = [];
  const conversations: SeedConversation[] = [];
  const links: SeedLink[] = [];
  const usedEmails = new Set<string>();
  const usedHandles = new Set<string>();
  let orderNo = 40_120;
  let xId = 1_700_000_000_000_000_000n;

  for (let n = 0; n < nCustomers; n++) {
    const first = FIRST[n % FIRST.length]!;
    const last = LAST[(n * 7 + Math.floor(n / LAST.length)) % LAST.length]!;
    const key = `c${n}`;
    const domain = pick(r, DOMAINS);
    let email = `${ascii(first)}.${ascii(last)}@${domain}`;
    if (usedEmails.has(email)) email = `${ascii(first)}${ascii(last)}${n}@${domain}`;
    usedEmails.add(email);
    // Who is on which channel: most email only, a third both, some X only.
    const roll = r();
    const channels = roll < 0.55 ? 'email' : roll < 0.88 ? 'both' : 'x';
    const handleBase = r() < 0.5 ? `${ascii(first)}_${ascii(last).slice(0, 6)}` : `${ascii(first)}${ascii(last).slice(0, 1)}${Math.floor(r() * 90 + 10)}`;
    let handle = handleBase.slice(0, 15);
    if (usedHandles.has(handle)) handle = `${handle.slice(0, 12)}${n}`;
    usedHandles.add(handle);
    const xName = r() < 0.5 ? `${first} ${last[0]}.` : r() < 0.5 ? `${first} ${last}` : first;
    const city = pick(r, CITIES);
    const person: SeedPerson = { key, name: `${first} ${last}` };
    if (channels !== 'x') person.email = email;
    if (channels !== 'email') {
      xId += BigInt(Math.floor(r() * 1_000_000_000) + 1);
      person.x = { userId: xId.toString(), handle, name: xName, profile: { description: pick(r, BIOS), location: city } };
    }
    people.push(person);

    const topic = pick(r, TOPICS);
    const order = `#${orderNo++}`;
    const startAgo = Math.floor(r() * 28 * DAY) + 2 * H;
    const v: Record<string, string> = {
      first,
      last,
      order,
      city,
      street: pick(r, STREETS),
      month: MONTHS[(new Date(now).getMonth() + 1 + Math.floor(r() * 3)) % 12]!,
      code: `FH-${Math.floor(r() * 9000 + 1000)}-${Math.floor(r() * 9000 + 1000)}`,
      date: new Date(now - startAgo).toLocaleDateString('en-GB', { day: 'numeric', month: 'long' }),
    };

    // The email thread.
    let emailKey: string | null = null;
    let unansweredSince: number | null = null;
    if (person.email) {
      emailKey = `${key}-mail`;
      const msgs: SeedMessage[] = [];
      let t = now - startAgo;
      msgs.push({ from: key, at: t, text: fill(pick(r, topic.open), v) });
      const fate = r();
      let status: SeedConversation['status'] = 'open';
      if (fate < 0.45) {
        // Answered, maybe a thank-you, mostly done.
        t += Math.floor(r() * 20 * H) + H;
        if (t < now) msgs.push({ from: 'self', at: t, text: fill(pick(r, topic.reply), v) });
        if (r() < 0.4 && t + 6 * H < now) {
          t += Math.floor(r() * 10 * H) + H;
          msgs.push({ from: key, at: Math.min(t, now - H), text: pick(r, ['Thank you, that was quick!', 'Perfect, thanks Sam.', 'Great, much appreciated.']) });
          status = r() < 0.5 ? 'done' : 'open';
        } else status = r() < 0.85 ? 'done' : 'waiting';
      } else if (fate < 0.75) {
        // Unanswered, perhaps with a nudge.
        if (r() < 0.5 && startAgo > 2 * DAY) {
          t += Math.floor(r() * (startAgo - DAY)) + 6 * H;
          msgs.push({ from: key, at: Math.min(t, now - H), text: fill(pick(r, topic.followUp), v) });
        }
        unansweredSince = msgs[0]!.at;
      } else {
        // A back-and-forth that now waits for us again.
        t += Math.floor(r() * 10 * H) + H;
        msgs.push({ from: 'self', at: Math.min(t, now - 3 * H), text: fill(pick(r, topic.reply), v) });
        t += Math.floor(r() * 20 * H) + H;
        msgs.push({ from: key, at: Math.min(t, now - 2 * H), text: fill(pick(r, topic.followUp), v) });
        if (r() < 0.15) status = 'snoozed';
      }
      msgs.sort((a, b) => a.at - b.at);
      conversations.push({
        key: emailKey,
        kind: 'email',
        with: key,
        subject: fill(topic.subject, v),
        messages: msgs,
        status,
        ...(status === 'snoozed' ? { snoozeUntil: now + Math.floor(r() * 3 + 1) * DAY } : {}),
        unread: status === 'open' && r() < 0.5,
        priority: status === 'open' && r() < 0.08 ? 1 : 0,
        tags: r() < 0.2 ? [pick(r, ['billing', 'shipping', 'subscription', 'wholesale'])] : [],
      });
    }

    if (!person.x) continue;
    v.days = String(Math.max(2, Math.round((now - (unansweredSince ?? now - 2 * DAY)) / DAY)));
    // Public posts: escalations when the email went unanswered for a day or more.
    const waited = unansweredSince != null ? now - unansweredSince : 0;
    const escalate = waited > 30 * H && waited < 12 * DAY && r() < 0.85;
    v.issue = fill(topic.issue, v);
    if (escalate || r() < 0.45) {
      const at = escalate ? now - Math.floor(r() * 20 * H) - 20 * 60_000 : now - Math.floor(r() * 20 * DAY) - H;
      const msgs: SeedMessage[] = [{ from: key, at, text: fill(pick(r, escalate ? COMPLAINTS : topic.tweet), v) }];
      const answered = !escalate && r() < 0.5;
      if (answered) msgs.push({ from: 'self', at: at + Math.floor(r() * 5 * H) + 10 * 60_000, text: `@${handle} Sorry about that! Could you DM us your order number so we can look right away?` });
      conversations.push({
        key: `${key}-tweet`,
        kind: 'tweet',
        with: key,
        messages: msgs,
        status: answered && r() < 0.7 ? 'done' : 'open',
        unread: !answered,
        ...(escalate
          ? {
              escalation: {
                reason: `Complained on X after ${v.days} days without an email answer`,
                waitedMs: at - unansweredSince!,
                emailConversation: emailKey!,
              },
            }
          : {}),
      });
    }
    // Direct messages.
    if (r() < 0.4) {
      const at = now - Math.floor(r() * 10 * DAY) - 30 * 60_000;
      const msgs: SeedMessage[] = [{ from: key, at, text: fill(pick(r, topic.dm), v) }];
      if (r() < 0.5) msgs.push({ from: 'self', at: at + Math.floor(r() * 3 * H) + 5 * 60_000, text: `Hi ${first}, thanks for the message! Checking now.` });
      if (r() < 0.3) msgs.push({ from: key, at: msgs[msgs.length - 1]!.at + 40 * 60_000, text: 'Thanks!' });
      conversations.push({ key: `${key}-dm`, kind: 'dm', with: key, messages: msgs.filter((m) => m.at < now), status: r() < 0.3 ? 'done' : 'open' });
    }
    // Links between the X account and the email customer, with the evidence.
    if (person.email) {
      const evidence: string[] = [];
      const sharedOrder = escalate || r() < 0.4;
      if (sharedOrder) evidence.push(`A post from @${handle} names order ${order}, which appears in email from ${email}`);
      if (xName.startsWith(first)) evidence.push(`X display name "${xName}" matches "${first} ${last}"`);
      if (handle.includes(ascii(first))) evidence.push(`Handle @${handle} contains the first name of ${email}`);
      if (escalate) evidence.push(`@${handle} posted ${v.days} days after ${email} wrote without an answer`);
      const score = Math.min(0.99, 0.35 + 0.2 * evidence.length + r() * 0.1);
      const state = score >= 0.85 ? (r() < 0.3 ? 'confirmed' : 'linked') : score >= 0.55 ? 'suggested' : null;
      if (state) links.push({ x: key, email: key, state, score: Math.round(score * 100) / 100, evidence });
    }
  }

  return {
    self: { name: 'Fernhill Coffee Support', email: 'support@fernhill.coffee', x: { userId: '1600000000000000001', handle: 'fernhillcoffee' } },
    people,
    conversations,
    links,
  };
}
