// A small support workspace for the UI tests: one escalation (a tweet after three days of
// unanswered email), waiting email threads, a DM, an answered thread and a done one.
import type { SeedWorkspace } from '../electron/core/demo/seed';
import { expect, type Page } from '@playwright/test';
import { ConversationPage, QueuePage } from './pages';

const H = 3_600_000;

export function uiFixture(now: number): SeedWorkspace {
  return {
    self: { name: 'Northwind Support', email: 'support@northwind.test', x: { userId: '1000', handle: 'northwind' } },
    people: [
      {
        key: 'maria',
        name: 'Maria Kowalski',
        email: 'maria.kowalski@example.com',
        x: { userId: '2001', handle: 'mariak_design', name: 'Maria', profile: { description: 'Designer in Kraków. Bikes, coffee, type.', location: 'Kraków' } },
      },
      { key: 'tom', name: 'Tom Becker', email: 'tom.becker@example.org' },
      { key: 'devon', name: 'Devon Price', x: { userId: '2002', handle: 'devonp', name: 'Devon Price' } },
      { key: 'priya', name: 'Priya Raman', email: 'priya@example.net' },
      { key: 'li', name: 'Li Wei', email: 'li.wei@example.com' },
    ],
    conversations: [
      {
        key: 'maria-email',
        kind: 'email',
        with: 'maria',
        subject: 'Order #4411 arrived damaged',
        unread: true,
        messages: [
          {
            from: 'maria',
            at: now - 74 * H,
            text: 'Hello,\n\nmy order #4411 (the Trail 29 frame) arrived today with a cracked rear dropout. The box was crushed on one corner.\nCan you send a replacement or should I return it first?\n\nThanks,\nMaria',
          },
        ],
      },
      {
        key: 'maria-tweet',
        kind: 'tweet',
        with: 'maria',
        unread: true,
        // No order number in the post: with "#4411" the engine links her automatically, and the UI
        // tests need a possible link to confirm from both sides.
        messages: [{ from: 'maria', at: now - 2 * H, text: '@northwind three days and no answer about my damaged frame. Anyone there?' }],
        escalation: { reason: 'Complained on X after 3 days without an email answer', waitedMs: 72 * H, emailConversation: 'maria-email' },
      },
      {
        key: 'tom-invoice',
        kind: 'email',
        with: 'tom',
        subject: 'Invoice for March is missing the VAT number',
        messages: [
          { from: 'tom', at: now - 50 * H, text: 'Hi, the March invoice has no VAT number on it. Could you reissue it?\nTom' },
          { from: 'self', at: now - 40 * H, text: 'Hi Tom, sorry about that. Which company name should be on it?\n\nOn Tue, Tom Becker wrote:\n> Hi, the March invoice has no VAT number on it.' },
          { from: 'tom', at: now - 26 * H, text: 'Becker Logistics GmbH, VAT DE123456789. Thanks!\n\nOn Wed, Northwind Support wrote:\n> Which company name should be on it?' },
        ],
      },
      {
        key: 'devon-dm',
        kind: 'dm',
        with: 'devon',
        messages: [
          { from: 'devon', at: now - 6 * H, text: 'Hey! Can I still change the delivery address for my order?' },
          { from: 'devon', at: now - 5 * H, text: 'It is order #5120, new address is 12 Harbour St.' },
        ],
      },
      {
        key: 'li-answered',
        kind: 'email',
        with: 'li',
        subject: 'Do you ship to Norway?',
        messages: [
          { from: 'li', at: now - 30 * H, text: 'Do you ship to Norway, and how long does it take?' },
          { from: 'self', at: now - 20 * H, text: 'Yes, 5 to 7 working days. Customs fees may apply.' },
        ],
      },
      {
        key: 'priya-done',
        kind: 'email',
        with: 'priya',
        subject: 'Thanks for the quick repair',
        status: 'done',
        messages: [
          {
            from: 'priya',
            at: now - 90 * H,
            text: 'Just wanted to say thanks, the wheel is perfect now.',
            html:
              '<p>Just wanted to say <b>thanks</b>, the wheel is perfect now.</p>' +
              '<p><img src="https://tracker.example/pixel.png" width="40" height="40" alt="logo"></p>' +
              '<script>parent.document.title = "pwned"</script><a href="javascript:alert(1)" onclick="alert(2)">link</a>' +
              '<div class="gmail_quote">On Mon, Northwind Support wrote:<blockquote type="cite">Your wheel is ready for pick-up.</blockquote></div>',
          },
        ],
      },
    ],
    links: [
      {
        x: 'maria',
        email: 'maria',
        state: 'linked',
        score: 0.93,
        evidence: ['Display name "Maria" matches "Maria Kowalski"', 'Both mention the damaged frame'],
      },
    ],
  };
}

/** The inbox order the core must produce: the escalation, then whoever has waited longest. */
export const INBOX_ORDER = ['maria-tweet', 'maria-email', 'tom-invoice', 'devon-dm', 'li-answered'];

/** Open Tom's invoice thread (the third row of INBOX_ORDER) from the inbox with the keyboard: j, j, o. */
export async function openTomInvoice(page: Page): Promise<void> {
  const queue = new QueuePage(page);
  await queue.waitForRows();
  await queue.keys('j', 'j', 'o');
  await expect(new ConversationPage(page).title).toHaveText('Invoice for March is missing the VAT number');
}
