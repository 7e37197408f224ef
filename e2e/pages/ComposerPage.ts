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
  /** The hidden file input behind Attach files, the chips of the files attached, the limit line. */
  readonly fileInput: Locator;
  readonly attachments: Locator;
  readonly attachmentLimit: Locator;
  readonly signature: Locator;
  /** The Undo bar while a reply waits its undo seconds, and its button. */
  readonly undoBar: Locator;
  readonly undoButton: Locator;

  constructor(readonly page: Page) {
    this.composer = page.getByTestId('composer');
    this.text = page.getByRole('textbox', { name: /^(Reply|Reply to all|Public reply|Direct message)$/ });
    this.sendButton = this.composer.getByRole('button', { name: /^Send/ });
    this.draftState = page.getByTestId('draft-state');
    this.error = this.composer.getByRole('alert');
    this.outboxItems = page.getByTestId('outbox-item');
    this.fileInput = page.getByTestId('composer-file-input');
    this.attachments = page.getByTestId('composer-attachment');
    this.attachmentLimit = page.getByTestId('composer-attachment-limit');
    this.signature = page.getByTestId('composer-signature');
    this.undoBar = page.getByTestId('undo-send-bar');
    this.undoButton = page.getByRole('button', { name: 'Undo', exact: true });
  }

  /** Paste files into the text box as the clipboard would hand them over (an image copied from another app). */
  async paste(files: { name: string; type: string; base64: string }[]): Promise<void> {
    await this.text.evaluate((el, list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.base64), (ch) => ch.charCodeAt(0))], f.name, { type: f.type }));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, files);
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
