// A link decision between an X account and an email customer, wherever it shows (the customer
// panel, the email side's "On X" section): the candidates with their state and evidence, and the
// buttons Confirm, Not the same person / Unlink, Undo.
import type { Locator, Page } from '@playwright/test';

export class LinkPanel {
  readonly candidates: Locator;
  readonly state: Locator;
  readonly evidence: Locator;
  readonly confirmButton: Locator;
  readonly rejectButton: Locator;
  readonly manualAddress: Locator;
  readonly manualLinkButton: Locator;

  /** `scope`: where the panel is (default: the customer panel). */
  constructor(
    readonly page: Page,
    readonly scope: Locator = page.getByRole('complementary', { name: /^Customer: / }),
  ) {
    this.candidates = scope.getByTestId('link-candidate');
    this.state = scope.getByTestId('link-state');
    this.evidence = scope.getByTestId('link-evidence');
    this.confirmButton = scope.getByRole('button', { name: /^Confirm/ });
    this.rejectButton = scope.getByRole('button', { name: /^(Not the same person|Unlink)$/ });
    this.manualAddress = scope.getByRole('textbox', { name: 'Link to the customer with this email address' });
    this.manualLinkButton = scope.getByRole('button', { name: 'Link', exact: true });
  }

  async confirm(): Promise<void> {
    await this.confirmButton.first().click();
  }

  async reject(): Promise<void> {
    await this.rejectButton.first().click();
  }

  async linkByHand(address: string): Promise<void> {
    await this.manualAddress.fill(address);
    await this.manualLinkButton.click();
  }
}
