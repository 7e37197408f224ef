// A workspace for the escalation marks (no escalation seeded: the linking engine marks them): Maria's
// complaint on X after her unanswered email, from an account Canary can only suggest for her (her
// work account, whose bio gives her address, is the one linked), so it is a likely escalation; a
// stranger's complaint (a public complaint); Li's thank-you after an answer (no mark).
import type { SeedWorkspace } from '../electron/core/demo/seed';

const H = 3_600_000;

export function escalationFixture(now: number): SeedWorkspace {
  return {
    self: { name: 'Northwind Support', email: 'support@northwind.test', x: { userId: '1000', handle: 'northwind' } },
    people: [
      { key: 'maria', name: 'Maria Kowalski', email: 'maria.kowalski@example.com', x: { userId: '2001', handle: 'mariak_design', name: 'Maria Kowalski' } },
      {
        key: 'maria-work',
        name: 'Maria K (work)',
        x: { userId: '2004', handle: 'maria_at_studio', name: 'Maria K', profile: { description: 'Studio K. Mail: maria.kowalski@example.com' } },
      },
      { key: 'sam', name: 'Sam', x: { userId: '2003', handle: 'samrides', name: 'Sam' } },
      { key: 'li', name: 'Li Wei', email: 'li.wei@example.com', x: { userId: '2005', handle: 'liwei_cycles', name: 'Li Wei' } },
      { key: 'tom', name: 'Tom Becker', email: 'tom.becker@example.org' },
    ],
    conversations: [
      {
        key: 'maria-email',
        kind: 'email',
        with: 'maria',
        subject: 'Order #4411 arrived damaged',
        messages: [{ from: 'maria', at: now - 74 * H, text: 'Hello,\n\nmy Trail 29 frame arrived with a cracked rear dropout. Can you send a replacement?\n\nThanks,\nMaria' }],
      },
      { key: 'maria-work-tweet', kind: 'tweet', with: 'maria-work', messages: [{ from: 'maria-work', at: now - 300 * H, text: '@northwind new studio, new bikes' }] },
      { key: 'maria-tweet', kind: 'tweet', with: 'maria', messages: [{ from: 'maria', at: now - 2 * H, text: '@northwind three days and no answer about my damaged frame. Anyone there?' }] },
      { key: 'sam-tweet', kind: 'tweet', with: 'sam', messages: [{ from: 'sam', at: now - 3 * H, text: '@northwind worst service ever, my order is two weeks late' }] },
      {
        key: 'li-email',
        kind: 'email',
        with: 'li',
        subject: 'Do you ship to Norway?',
        messages: [
          { from: 'li', at: now - 30 * H, text: 'Do you ship to Norway, and how long does it take?' },
          { from: 'self', at: now - 20 * H, text: 'Yes, 5 to 7 working days.' },
        ],
      },
      { key: 'li-tweet', kind: 'tweet', with: 'li', messages: [{ from: 'li', at: now - 4 * H, text: '@northwind thanks for sorting out my order!' }] },
      {
        key: 'tom-invoice',
        kind: 'email',
        with: 'tom',
        subject: 'Invoice for March is missing the VAT number',
        messages: [{ from: 'tom', at: now - 50 * H, text: 'Hi, the March invoice has no VAT number on it. Could you reissue it?\nTom' }],
      },
    ],
  };
}
