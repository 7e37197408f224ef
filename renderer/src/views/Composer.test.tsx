// @vitest-environment happy-dom
// The reply composer on a real core: r opens it, an empty reply cannot be sent, the core's refusal is
// shown with the draft kept, a reply lands in the core's outbox (and goes out over a real SMTP peer),
// and an X reply's length is checked as you type.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, T0, World } from '../../../electron/core/linking/testing/world';
import { freePort } from '../../../electron/core/testing/dovecot';
import { startSmtpPeer, type SmtpPeer } from '../../../electron/core/testing/smtpPeer';
import type { ConversationSummary } from '../../../shared/domain/types';
import { renderWithCore, startCore, type TestCore } from '../testing/realCore';
import { press, WindowKeys } from '../testing/keys';
import { ReplyArea } from './Composer';

let tc: TestCore;
let smtp: SmtpPeer | null = null;
beforeEach(() => localStorage.clear());
afterEach(async () => {
  cleanup();
  await smtp?.close();
  smtp = null;
  await tc?.close();
});

async function summary(id: number): Promise<ConversationSummary> {
  const { items } = await tc.core.call('conversations.list', { filter: { status: 'all' } });
  return items.find((c) => c.id === id)!;
}

function renderReply(c: ConversationSummary) {
  const sent: string[] = [];
  const replied: number[] = [];
  renderWithCore(
    <>
      <WindowKeys />
      <ReplyArea c={c} onSent={(m) => sent.push(m)} onReplied={(id) => replied.push(id)} onCompose={() => {}} />
    </>,
    tc,
  );
  return { sent, replied };
}

describe('the email composer on a real core', () => {
  let ana: number;
  beforeEach(() => {
    tc = startCore({ now: () => T0 + 30 * DAY });
    const w = new World(tc.core.db);
    ana = w.mail({ address: 'ana@example.com', name: 'Ana Lima' }, 'Broken kettle', 'It leaks.', T0 + 10 * DAY);
  });

  it('opens on r, cannot send an empty reply, shows why the core refused and keeps the draft', async () => {
    renderReply(await summary(ana));
    expect(screen.queryByTestId('composer')).toBeNull();
    press('r');
    const box = screen.getByRole('textbox', { name: 'Reply' });
    expect(box.getAttribute('placeholder')).toBe('Write your reply to Ana Lima…');
    const send = screen.getByRole('button', { name: /^Send/ });
    expect(send.hasAttribute('disabled')).toBe(true);
    fireEvent.change(box, { target: { value: '   ' } });
    expect(send.hasAttribute('disabled')).toBe(true);
    fireEvent.change(box, { target: { value: 'Sorry Ana, a new kettle is on its way.' } });
    expect(send.hasAttribute('disabled')).toBe(false);
    // No account can send it yet: the core says so, nothing is queued, the text stays.
    fireEvent.click(send);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('No email account with an SMTP server is set up, so replies cannot be sent. Your draft is kept.');
    expect(screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Reply' }).value).toBe('Sorry Ana, a new kettle is on its way.');
    expect(await tc.core.call('outbox.list', {})).toEqual([]);
  });

  it('queues the reply in the core outbox, which sends it; the composer closes and the outbox row shows it', async () => {
    const port = await freePort();
    smtp = await startSmtpPeer({ user: 'shop', password: 'smtp-pw-1', port });
    await tc.core.call('accounts.add', {
      channel: 'email',
      account: {
        name: 'Shop',
        address: 'support@shop.example',
        imap: { host: '127.0.0.1', port: await freePort(), tls: 'off' },
        smtp: { host: '127.0.0.1', port, tls: 'off' },
        user: 'shop',
        secret: 'smtp-pw-1',
      },
      skipCheck: true,
    });
    await tc.core.call('settings.set', { undoSendSeconds: 0 }); // sent at once (the undo wait is the next test)
    const { sent, replied } = renderReply(await summary(ana));
    press('r');
    fireEvent.change(screen.getByRole('textbox', { name: 'Reply' }), { target: { value: 'Sorry Ana, a new kettle is on its way.' } });
    fireEvent.click(screen.getByRole('button', { name: /^Send/ }));
    await waitFor(() => expect(sent).toEqual(['Reply queued for sending']));
    expect(replied).toEqual([ana]);
    expect(screen.queryByTestId('composer')).toBeNull();
    const [item, ...rest] = await tc.core.call('outbox.list', { conversationId: ana });
    expect(rest).toEqual([]);
    expect(item).toMatchObject({ channel: 'email', subject: 'Re: Broken kettle', to: ['"Ana Lima" <ana@example.com>'] });
    // The sender sends it over SMTP; the row under the conversation follows the outbox to 'sent'.
    await waitFor(() => expect(smtp!.received).toHaveLength(1), { timeout: 10_000 });
    expect(smtp.received[0]!.to).toEqual(['ana@example.com']);
    expect(smtp.received[0]!.raw.toString()).toContain('Sorry Ana, a new kettle is on its way.');
    const row = await screen.findByTestId('outbox-item');
    await waitFor(() => expect(row.getAttribute('data-state')).toBe('sent'), { timeout: 10_000 });
    expect(within(row).getByText('sent')).toBeTruthy();
    expect(within(row).getByText(/^Your reply · /)).toBeTruthy();
  });

  it('undo send: the reply waits its seconds with an Undo button that takes it back and puts the text back in the box', async () => {
    await tc.core.call('accounts.add', {
      channel: 'email',
      account: { name: 'Shop', address: 'support@shop.example', imap: { host: '127.0.0.1', port: 1, tls: 'off' }, smtp: { host: '127.0.0.1', port: 1, tls: 'off' }, user: 'shop', secret: 'pw' },
      skipCheck: true,
    });
    const { sent } = renderReply(await summary(ana));
    press('r');
    fireEvent.change(screen.getByRole('textbox', { name: 'Reply' }), { target: { value: 'Wrong customer!' } });
    fireEvent.click(screen.getByRole('button', { name: /^Send/ }));
    await waitFor(() => expect(sent).toEqual(['Reply queued: sending in 5 s']));
    expect(screen.queryByTestId('composer')).toBeNull();
    const [item] = await tc.core.call('outbox.list', { conversationId: ana });
    expect(item).toMatchObject({ state: 'queued', attempts: 0 });
    expect(item!.nextAttemptAt - item!.createdAt).toBe(5000);
    expect(screen.getByTestId('undo-send-bar').textContent).toMatch(/^Sending your reply in [45] sUndo$/);
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Reply' }).value).toBe('Wrong customer!'));
    expect(screen.queryByTestId('undo-send-bar')).toBeNull();
    expect((await tc.core.call('outbox.list', { conversationId: ana }))[0]).toMatchObject({ id: item!.id, state: 'cancelled' });
    // The box checks spelling.
    expect(screen.getByRole('textbox', { name: 'Reply' }).getAttribute('spellcheck')).toBe('true');
  });

  it('reply all is a choice in the composer (A opens it there)', async () => {
    renderReply(await summary(ana));
    press('a');
    expect(screen.getByRole('textbox', { name: 'Reply to all' })).toBeTruthy();
    fireEvent.click(screen.getByText('Reply (R)'));
    expect(screen.getByRole('textbox', { name: 'Reply' })).toBeTruthy();
  });

  it('keeps the draft when closed, and a window opened later shows it again', async () => {
    const c = await summary(ana);
    renderReply(c);
    press('r');
    fireEvent.change(screen.getByRole('textbox', { name: 'Reply' }), { target: { value: 'Half a thought' } });
    await waitFor(() => expect(screen.getByTestId('draft-state').textContent).toMatch(/^Draft saved /));
    fireEvent.click(screen.getByRole('button', { name: 'Close (keeps the draft)' }));
    expect(screen.queryByTestId('composer')).toBeNull();
    // Another window (or a restart): the draft comes back open, from this window's storage.
    cleanup();
    renderReply(c);
    expect(screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Reply' }).value).toBe('Half a thought');
    // Discard forgets it.
    fireEvent.click(screen.getByRole('button', { name: 'Discard' }));
    cleanup();
    renderReply(c);
    expect(screen.queryByTestId('composer')).toBeNull();
  });
});

describe('the X composer on a real core', () => {
  it('counts what is left as X counts it and will not send a post that is too long', async () => {
    tc = startCore({ now: () => T0 + 30 * DAY });
    const w = new World(tc.core.db);
    const post = w.post({ id: '7001', handle: 'nadiak', name: 'Nadia Kowalczyk' }, 'my grinder arrived broken', T0 + 22 * DAY);
    renderReply(await summary(post));
    press('r');
    const box = screen.getByRole('textbox', { name: 'Public reply' });
    expect(box.getAttribute('placeholder')).toBe('Write to @nadiak…');
    // No files on X, and the composer says so; no signature either.
    expect(screen.getByTestId('composer-no-attachments').textContent).toBe('Replies on X take no attachments here; send files by email.');
    expect(screen.queryByTestId('composer-file-input')).toBeNull();
    expect(screen.queryByTestId('composer-signature')).toBeNull();
    fireEvent.change(box, { target: { value: 'Sorry Nadia, DM us your order number.' } });
    await screen.findByText('243 characters left');
    expect(screen.getByRole('button', { name: /^Send/ }).hasAttribute('disabled')).toBe(false);
    // A URL counts 23 whatever its length.
    fireEvent.change(box, { target: { value: `See https://shop.com/${'x'.repeat(200)}` } });
    await screen.findByText('253 characters left');
    fireEvent.change(box, { target: { value: 'x'.repeat(281) } });
    await screen.findByText('1 character too long: X takes 280 (links count 23 each).');
    expect(screen.getByRole('button', { name: /^Send/ }).hasAttribute('disabled')).toBe(true);
    expect(await tc.core.call('outbox.list', {})).toEqual([]);
  });
});
