// The queue as a person (and assistive technology) finds it: a listbox named after its view
// ("Inbox conversations"), one option per conversation, the selected row aria-selected.
import { expect, type Locator, type Page } from '@playwright/test';

export class QueuePage {
  readonly list: Locator;
  readonly rows: Locator;
  readonly selected: Locator;

  constructor(readonly page: Page) {
    this.list = page.getByRole('listbox', { name: / conversations$/ });
    this.rows = this.list.getByRole('option');
    this.selected = this.list.getByRole('option', { selected: true });
  }

  /** The row of one conversation (by its id in the core). */
  row(conversationId: number): Locator {
    return this.rows.and(this.page.locator(`[data-conversation-id="${conversationId}"]`));
  }

  /** The conversation ids of the rows shown, top to bottom. */
  ids(): Promise<number[]> {
    return this.rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-conversation-id'))));
  }

  async waitForRows(): Promise<void> {
    await expect(this.rows.first()).toBeVisible();
  }

  /** Give the keyboard to the queue (keys then act on its rows). */
  async focus(): Promise<void> {
    await this.list.focus();
  }

  /** Press keys one after another, as typed (j, k, o, g then e…). */
  async keys(...keys: string[]): Promise<void> {
    for (const k of keys) await this.page.keyboard.press(k);
  }

  /** Go to a view by its key sequence: g then the view's letter (i inbox, e escalated, x X…). */
  async goTo(letter: string): Promise<void> {
    await this.keys('g', letter);
  }
}
