// Settings: the top bar's Settings button opens a dialog of tabs (Accounts, Connect X, Privacy…).
import type { Locator, Page } from '@playwright/test';

export class SettingsPage {
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Settings' });
  }

  async open(): Promise<void> {
    await this.page.getByRole('button', { name: 'Settings', exact: true }).click();
  }

  tab(name: string | RegExp): Locator {
    return this.dialog.getByRole('tab', { name });
  }

  async openTab(name: string | RegExp): Promise<void> {
    await this.open();
    await this.tab(name).click();
  }
}
