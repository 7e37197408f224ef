// @vitest-environment happy-dom
// The link panel on a real core: an X account's suggested customer with the core's evidence and
// score, and the owner's decisions (confirm with the button or l, reject, undo, link by hand)
// changing the core's links, each one remembered for z.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, T0, World } from '../../../electron/core/linking/testing/world';
import { renderWithCore, startCore, type TestCore } from '../testing/realCore';
import { press, WindowKeys } from '../testing/keys';
import { LinkPanel, useXLinks } from './LinkPanel';

let tc: TestCore;
let w: World;
afterEach(async () => {
  cleanup();
  await tc?.close();
});

const NADIA = { id: '7001', handle: 'nadiak', name: 'Nadia Kowalczyk' };

/** Nadia emails; her personal X account, matching on her name only, is a suggestion (escalation-states.test). */
beforeEach(async () => {
  tc = startCore({ now: () => T0 + 200 * DAY });
  w = new World(tc.core.db);
  w.mail({ address: 'nadia.k@gmail.com', name: 'Nadia Kowalczyk' }, 'Broken grinder', 'Hi,\n\nMy grinder arrived broken.\n\nNadia', T0 + 20 * DAY);
  w.mail({ address: 'omar.haddad@gmail.com', name: 'Omar Haddad' }, 'Refund KK-901234', 'Where is my refund?', T0 + 21 * DAY);
  w.post({ id: '7002', handle: 'nadia_at_work', name: 'Nadia K', bio: 'mail: nadia.k@gmail.com' }, 'new week, new coffee', T0 + 5 * DAY);
  w.post(NADIA, 'my grinder arrived broken and nobody answers email', T0 + 22 * DAY);
  await tc.core.call('links.refresh', {});
});

function Panel({ identityId, remember, onNotify }: { identityId: number; remember: (label: string, revert: () => Promise<unknown>) => void; onNotify: (m: string) => void }) {
  const state = useXLinks(identityId);
  return (
    <>
      <WindowKeys />
      <LinkPanel state={state} handle={NADIA.handle} remember={remember} onNotify={onNotify} />
    </>
  );
}

function renderPanel() {
  const notes: string[] = [];
  const undo: { label: string; revert: () => Promise<unknown> }[] = [];
  const identityId = w.identityOf(NADIA.id);
  renderWithCore(<Panel identityId={identityId} remember={(label, revert) => undo.push({ label, revert })} onNotify={(m) => notes.push(m)} />, tc);
  return { notes, undo, identityId };
}

const coreLinks = async (identityId: number) => (await tc.core.call('links.list', { identityId }))[0]!;

describe('LinkPanel on a real core', () => {
  it('shows the suggested customer with the core evidence and score', async () => {
    const { identityId } = renderPanel();
    const card = await screen.findByTestId('link-candidate');
    const truth = (await coreLinks(identityId)).suggestions[0]!;
    expect(truth.evidence.length).toBeGreaterThan(0);
    expect(card.getAttribute('data-state')).toBe('suggested');
    expect(within(card).getByTestId('link-state').textContent).toBe('Possible link');
    expect(within(card).getByText('Nadia Kowalczyk')).toBeTruthy();
    expect(within(card).getByText('nadia.k@gmail.com')).toBeTruthy();
    expect(within(card).getByText(`${Math.round(truth.score * 100)}%`)).toBeTruthy();
    const evidence = within(within(card).getByTestId('link-evidence'))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(evidence).toEqual(truth.evidence);
    expect(within(card).getByRole('button', { name: 'Confirm (L)' })).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Not the same person' })).toBeTruthy();
  });

  it('Confirm makes the link confirmed in the core; its undo puts the suggestion back', async () => {
    const { identityId, notes, undo } = renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Confirm (L)' }));
    await waitFor(() => expect(screen.getByTestId('link-state').textContent).toBe('Linked (confirmed)'));
    const after = await coreLinks(identityId);
    expect(after.linked).toMatchObject({ email: 'nadia.k@gmail.com', state: 'confirmed' });
    expect(screen.queryByRole('button', { name: /^Confirm/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Unlink' })).toBeTruthy();
    expect(notes).toEqual(['Linked @nadiak to Nadia Kowalczyk']);
    expect(undo.map((u) => u.label)).toEqual(['link confirmed']);
    // z runs what the panel remembered: the core has the suggestion again, and so does the panel.
    await undo[0]!.revert();
    await waitFor(() => expect(screen.getByTestId('link-state').textContent).toBe('Possible link'));
    expect((await coreLinks(identityId)).linked).toBeNull();
  });

  it('l confirms the first suggestion, as the button does', async () => {
    const { identityId } = renderPanel();
    await screen.findByRole('button', { name: 'Confirm (L)' });
    press('l');
    await waitFor(async () => expect((await coreLinks(identityId)).linked?.state).toBe('confirmed'));
    await waitFor(() => expect(screen.getByTestId('link-state').textContent).toBe('Linked (confirmed)'));
  });

  it('Not the same person rejects it in the core; the panel offers a link by hand, which links the customer named', async () => {
    const { identityId, notes, undo } = renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Not the same person' }));
    await waitFor(() => expect(screen.getByText(/^No email customer matches @nadiak yet \(1 rejected\)/)).toBeTruthy());
    const rejected = await coreLinks(identityId);
    expect(rejected.suggestions.map((s) => s.email)).not.toContain('nadia.k@gmail.com');
    expect(rejected.rejected.map((s) => s.email)).toEqual(['nadia.k@gmail.com']);
    expect(notes).toEqual(['@nadiak is not Nadia Kowalczyk']);
    expect(undo.map((u) => u.label)).toEqual(['link rejected']);

    // An address nobody wrote from is refused with the reason; a customer's address links.
    const address = screen.getByRole('textbox', { name: 'Link to the customer with this email address' });
    fireEvent.change(address, { target: { value: 'nobody@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Link' }));
    expect((await screen.findByRole('alert')).textContent).toBe('No email from nobody@example.com is stored, so there is no customer to link to.');
    fireEvent.change(address, { target: { value: 'Omar.Haddad@gmail.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Link' }));
    await waitFor(() => expect(screen.getByTestId('link-state').textContent).toBe('Linked (confirmed)'));
    expect(screen.getByText('omar.haddad@gmail.com')).toBeTruthy();
    expect((await coreLinks(identityId)).linked).toMatchObject({ email: 'omar.haddad@gmail.com', state: 'confirmed' });
    expect(notes.at(-1)).toBe('Linked to omar.haddad@gmail.com');
  });

  it('shows a decision made elsewhere (the core confirms it) without a reload', async () => {
    const { identityId } = renderPanel();
    await screen.findByRole('button', { name: 'Confirm (L)' });
    const linkId = (await coreLinks(identityId)).suggestions[0]!.linkId;
    await tc.core.call('links.confirm', { linkId });
    await waitFor(() => expect(screen.getByTestId('link-state').textContent).toBe('Linked (confirmed)'));
  });
});
