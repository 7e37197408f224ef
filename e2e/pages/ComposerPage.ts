// The reply composer under a conversation: its text box (named for what it sends: Reply, Reply to
// all, Public reply, Direct message), Send, the draft state, its error, and the outbox rows.
import type { Locator, Page } from '@playwright/test';

export class ComposerPage {
  readonly composer: Locator;
  readonly text: Locator;
  readonly sendButton: Locator;
  readonly draftState: Locator;
  readonly error: Locator;
  readonly outboxItems: Locator;

  constructor(readonly page: Page) {
    this.composer = page.getByTestId('composer');
    this.text = page.getByRole('textbox', { name: /^(Reply|Reply to all|Public reply|Direct message)$/ });
    this.sendButton = this.composer.getByRole('button', { name: /^Send/ });
    this.draftState = page.getByTestId('draft-state');
    this.error = this.composer.getByRole('alert');
    this.outboxItems = page.getByTestId('outbox-item');
  }

  /** r: open the reply composer of the conversation shown. */
  async open(): Promise<void> {
    await this.page.keyboard.press('r');
  }

  /** Ctrl+Enter in the text box, as a person sends. */
  async send(): Promise<void> {
    await this.text.focus();
    await this.page.keyboard.press('Control+Enter');
  }
}
