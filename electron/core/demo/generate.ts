// The demo workspace: a small coffee roaster's support inbox, generated from code with a fixed
// seed. Customers write by email, some also on X; a few give up waiting for an email answer and
// complain in public (escalations), and many X accounts are linked, or suggested, to their email
// selves with the evidence a person would check. Times are relative to `now` so the demo looks
// current whenever it is opened; everything else is the same for the same seed.
import type { SeedConversation, SeedLink, SeedMessage, SeedPerson, SeedWorkspace } from './seed';
import { rng } from '../rng';

const H = 3_600_000;
const DAY = 24 * H;

const FIRST = [
  'Maria',
  'Tom',
  'Priya',
  'Li',
  'Devon',
  'Agnieszka',
  'Jonas',
  'Fatima',
  'Kenji',
  'Sofia',
  'Lukas',
  'Amara',
  'Mateo',
  'Hannah',
  'Oskar',
  'Chloe',
  'Ravi',
  'Elif',
  'Noah',
  'Ingrid',
  'Tariq',
  'Zofia',
  'Marco',
  'Aisha',
  'Ben',
  'Yuki',
  'Clara',
  'Diego',
  'Freya',
  'Omar',
  'Julia',
  'Sven',
  'Nadia',
  'Pedro',
  'Greta',
  'Arjun',
  'Lena',
  'Kwame',
  'Mila',
  'Felix',
  'Rosa',
  'Jakub',
  'Emma',
  'Hugo',
  'Leila',
  'Finn',
  'Anya',
  'Samuel',
  'Ines',
  'Theo',
];
const LAST = [
  'Kowalski',
  'Becker',
  'Raman',
  'Wei',
  'Price',
  'Nowak',
  'Schmidt',
  'Haddad',
  'Tanaka',
  'Rossi',
  'Müller',
  'Okafor',
  'García',
  'Fischer',
  'Lindqvist',
  'Martin',
  'Iyer',
  'Yılmaz',
  'Wright',
  'Berg',
  'Aziz',
  'Wiśniewska',
  'Bianchi',
  'Bello',
  'Carter',
  'Sato',
  'Weber',
  'Fernández',
  'Hansen',
  'Farouk',
  'Lewandowska',
  'Johansson',
  'Petrova',
  'Silva',
  'Vogel',
  'Nair',
  'Krüger',
  'Mensah',
  'Novak',
  'Klein',
  'Moreno',
  'Zieliński',
  'Dubois',
  'Laurent',
  'Rahimi',
  'Murphy',
  'Ivanova',
  'Adeyemi',
  'Costa',
  'Baker',
];
const DOMAINS = ['gmail.com', 'outlook.com', 'proton.me', 'yahoo.com', 'icloud.com', 'posteo.de', 'web.de', 'hey.com', 'fastmail.com'];
const BIOS = [
  'Coffee first, questions later.',
  'UX designer. Cyclist. Pour-over nerd.',
  'Dad of two, sleep of none.',
  'Teaching chemistry, drinking too much espresso.',
  'Developer @ a startup you have not heard of.',
  'Runner, reader, roaster-curious.',
  'Nurse on nights. Coffee is a food group.',
  'Photographer. Opinions are my own.',
  'Baker by day, barista by weekend.',
  'Small business owner. Big coffee drinker.',
];
const CITIES = ['Kraków', 'Berlin', 'Lisbon', 'Leeds', 'Lyon', 'Gdańsk', 'Oslo', 'Porto', 'Vienna', 'Dublin', 'Munich', 'Utrecht'];

interface Topic {
  subject: string;
  /** What the customer calls the problem in a public complaint. */
  issue: string;
  open: string[];
  followUp: string[];
  reply: string[];
  tweet: string[];
  dm: string[];
}

const TOPICS: Topic[] = [
  {
    subject: 'Order {order} has not arrived',
    issue: 'my missing order {order}',
    open: [
      'Hi,\n\nI ordered two bags of the Ethiopia Guji on {date} (order {order}) and the tracking has not moved for five days. Could you check with the courier?\n\nThanks,\n{first}',
      'Hello Fernhill team,\n\nmy order {order} still shows "label created". It was meant to be a birthday present on Saturday. Is it lost?\n\n{first}',
    ],
    followUp: ['Any news on this? The tracking still says the same.', 'Just following up on order {order}. Nothing has arrived yet.'],
    reply: [
      'Hi {first},\n\nsorry for the wait. The courier confirms the parcel was delayed at their depot; it is out for delivery tomorrow. If it does not arrive by Friday we will send a new one right away.\n\nBest,\nSam at Fernhill',
      'Hi {first}, thanks for your patience. I have re-sent order {order} by express, you should get a new tracking link within the hour.\n\nSam',
    ],
    tweet: [
      '@fernhillcoffee ordered {days} days ago ({order}), tracking frozen, two emails and no answer. Is anyone reading support@?',
      '@fernhillcoffee still waiting on order {order}. Emailed on {date}, nothing back. Not great.',
    ],
    dm: ['Hi! Quick one: order {order} has not arrived and I emailed last week. Can you look?', 'Tracking for {order} has not updated in days, could you check?'],
  },
  {
    subject: 'Wrong grind in my subscription',
    issue: 'the wrong grind in my subscription',
    open: [
      'Hi,\n\nmy last subscription bag came as whole beans but my account says espresso grind. I do not have a grinder at the office. Can you swap it?\n\n{first} {last}',
      'Hello,\n\nI changed my grind to filter in settings but the {month} box was ground for espresso again. Subscription {order}.\n\nRegards,\n{first}',
    ],
    followUp: ['Hi again, the next box ships Monday, will it be fixed by then?'],
    reply: ['Hi {first},\n\nyou are right, the change did not reach the roastery in time. A filter-ground bag is on its way today, no need to send the other one back.\n\nSam'],
    tweet: ['@fernhillcoffee third box in a row with the wrong grind. Emailed twice. Love the coffee, hate the silence.'],
    dm: ['Hey, my subscription keeps arriving with the wrong grind, could someone fix the setting?'],
  },
  {
    subject: 'Charged twice for {order}',
    issue: 'being charged twice for {order}',
    open: [
      'Hi,\n\nmy card was charged twice (2 × €24.90) for order {order}. Please refund the duplicate.\n\nThank you,\n{first} {last}',
      'Hello,\n\nmy bank statement shows two payments for the same order {order} on {date}. Can you check?\n\n{first}',
    ],
    followUp: ['Hello? I still see both charges on my account.', 'It has been a few days, could someone confirm the refund?'],
    reply: ['Hi {first},\n\nthe second charge was a pre-authorisation that failed to release. I have refunded it now; banks usually show it within 3 to 5 days.\n\nSorry about that,\nSam'],
    tweet: ['@fernhillcoffee you charged me twice for {order} and nobody answers email. Please sort this out.'],
    dm: ['Hi, I was charged twice for {order}, emailed on {date} but no reply yet.'],
  },
  {
    subject: 'Pause my subscription for {month}',
    issue: 'pausing my subscription',
    open: ['Hi,\n\nwe are travelling in {month}. Could you pause my subscription for that month and restart after?\n\nCheers,\n{first}'],
    followUp: ['Could you confirm the pause went through?'],
    reply: ['Hi {first},\n\ndone: no box in {month}, the next one ships on the first Monday after. Enjoy the trip!\n\nSam'],
    tweet: ['@fernhillcoffee can I pause my subscription from the app, or only by email?'],
    dm: ['Hi, can you pause my subscription for {month}? Thanks!'],
  },
  {
    subject: 'Bag arrived torn',
    issue: 'a torn bag in order {order}',
    open: ['Hi there,\n\nthe Colombia Huila bag in order {order} arrived with a tear along the valve and beans all over the box. Photo attached.\n\n{first}'],
    followUp: ['Is a replacement possible?'],
    reply: ['Hi {first},\n\nso sorry, that should not happen. A fresh bag is on its way, and I have passed the photo to our packing team.\n\nSam'],
    tweet: ['@fernhillcoffee beans everywhere, torn bag, order {order}. Waiting {days} days for an email answer now.'],
    dm: ['Hey, my bag arrived torn (order {order}). What should I do?'],
  },
  {
    subject: 'Wholesale enquiry for our café',
    issue: 'a wholesale account for our café',
    open: ['Hello,\n\nwe are opening a small café in {city} in the spring and are looking for a roaster. Do you do wholesale, and what are your minimums?\n\nBest regards,\n{first} {last}'],
    followUp: ['Would it be possible to get a sample pack?'],
    reply: ['Hi {first},\n\nwe would love to. Our wholesale minimum is 5 kg a week; I have attached the price list and we can send a sample box this week.\n\nSam'],
    tweet: ['@fernhillcoffee do you supply cafés in {city}? Looking for a roaster for our new place.'],
    dm: ['Hi, do you do wholesale? Opening a café in {city}.'],
  },
  {
    subject: 'Gift card code does not work',
    issue: 'a gift card that does not work',
    open: ['Hi,\n\nthe gift card code I received ({code}) says "invalid" at checkout. It was a Christmas present.\n\n{first}'],
    followUp: ['Tried again today, still invalid.'],
    reply: ['Hi {first},\n\nthe code was issued in the old shop system; I have moved it over and it works now. Sorry for the hassle!\n\nSam'],
    tweet: ['@fernhillcoffee my gift card code does not work and support has not replied in {days} days :('],
    dm: ['My gift card code {code} shows invalid, could you help?'],
  },
  {
    subject: 'Change delivery address for {order}',
    issue: 'changing the address for {order}',
    open: ['Hi,\n\nI moved last week. Could you send order {order} to my new address: {street}, {city}?\n\nThanks a lot,\n{first}'],
    followUp: ['Has it shipped yet? I hope it is not going to the old flat.'],
    reply: ['Hi {first},\n\ncaught it just in time: order {order} goes to {street} now.\n\nSam'],
    tweet: ['@fernhillcoffee I asked to change my address days ago and the order shipped to the old one anyway.'],
    dm: ['Can I still change the delivery address for {order}? New one is {street}, {city}.'],
  },
];

const COMPLAINTS = [
  '@fernhillcoffee emailed you {days} days ago about {issue} and still no answer. Is anyone reading support@?',
  '@fernhillcoffee {days} days, two emails about {issue}, zero replies. Not great.',
  '@fernhillcoffee is your support inbox working? Wrote about {issue} {days} days ago, nothing back.',
];

const STREETS = ['12 Harbour St', '4 Mill Lane', 'Karmelicka 18', 'Rua das Flores 22', 'Lindenstraße 7', 'Kongens gate 3', 'Rue Mercière 9'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

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
