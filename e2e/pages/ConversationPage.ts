// The reading pane: a region named "Conversation: <title>" with the title as its heading, the
// escalation note, and the messages.
import type { Locator, Page } from '@playwright/test';

export class ConversationPage {
  readonly pane: Locator;
  readonly title: Locator;
  readonly escalation: Locator;
  readonly messages: Locator;

  constructor(readonly page: Page) {
    this.pane = page.getByRole('region', { name: /^Conversation: / });
    this.title = this.pane.getByRole('heading', { level: 2 });
    // The escalation and the response goal are both notes without a name: the test id tells them apart.
    this.escalation = this.pane.getByRole('note').and(page.getByTestId('escalation'));
    // Email messages are articles and chat messages plain rows: one test id names both.
    this.messages = this.pane.getByTestId('message');
  }
}
