// @vitest-environment happy-dom
// The queue as the owner sees it, on a real core seeded the way the importers store mail and posts:
// rows in the core's order with their marks, j/k moving the selection, x checking a row, a double
// click opening it, and a change in the core showing without a reload.
import { useEffect } from 'react';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, T0, World } from '../../../electron/core/linking/testing/world';
import { renderWithCore, startCore, type TestCore } from '../testing/realCore';
import { useCommand } from '../commands/registry';
import { press, WindowKeys } from '../testing/keys';
import { useCoreEvent } from '../rpc/core';
import { QueueStore } from '../state/queue';
import { QueuePane, ROW_HEIGHT } from './QueuePane';

// happy-dom lays nothing out: the queue's scroll box gets the height a window would give it (six
// rows), which the virtualizer reads to decide which rows to render.
const VIEWPORT = 6 * ROW_HEIGHT;
const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight')!;
beforeEach(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('queue-scroll') ? VIEWPORT : clientHeight.get!.call(this);
    },
  });
});

let tc: TestCore;
afterEach(async () => {
  cleanup();
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', clientHeight);
  await tc?.close();
});

/**
 * The queue pane with what App.tsx wires around it: the window's key dispatcher (default keymap),
 * j/k moving the store's cursor, Enter opening, and reloads on the core's change events.
 */
function Queue({ store, onOpen }: { store: QueueStore; onOpen: () => void }) {
  useCommand('queue.next', () => store.moveCursor(1));
  useCommand('queue.prev', () => store.moveCursor(-1));
  useCommand('conversation.open', () => {
    if (store.getState().selectedId == null) return false;
    onOpen();
  });
  useCoreEvent('conversations.changed', () => store.invalidateSoon());
  useEffect(() => store.setView('inbox'), [store]);
  return (
    <>
      <WindowKeys />
      <QueuePane store={store} onOpen={onOpen} />
    </>
  );
}

const rows = () => within(screen.getByRole('listbox', { name: 'Inbox conversations' })).getAllByRole('option');
const names = () => rows().map((r) => r.querySelector('.qrow-name')!.textContent);
const selected = () =>
  rows()
    .find((r) => r.getAttribute('aria-selected') === 'true')
    ?.querySelector('.qrow-name')?.textContent;
const key = (k: string) => press(k);

describe('QueuePane on a real core', () => {
  let opened: number[];

  async function seed(): Promise<{ omarDm: number; ana: number; ben: number; omarMail: number }> {
    tc = startCore({ now: () => T0 + 30 * DAY });
    const w = new World(tc.core.db);
    const ana = w.mail({ address: 'ana@example.com', name: 'Ana Lima' }, 'Broken kettle', 'It leaks.', T0 + 10 * DAY);
    const ben = w.mail({ address: 'ben@example.com', name: 'Ben Ode' }, 'Wrong size', 'Sent the wrong size.', T0 + 15 * DAY);
    // Omar emails, then complains in a DM from an account whose bio gives his address: linked and escalated.
    const omar = { id: '5001', handle: 'omar_h', name: 'Omar Haddad', bio: 'omar.haddad@gmail.com' };
    const omarMail = w.mail({ address: 'omar.haddad@gmail.com', name: 'Omar Haddad' }, 'Refund KK-901234', 'Where is my refund?', T0 + 20 * DAY);
    const omarDm = w.post(omar, 'about my refund KK-901234, emailed you twice, nothing', T0 + 22 * DAY, 'dm');
    await tc.core.call('links.refresh', {});
    await tc.core.call('conversations.setPriority', { ids: [ben], priority: 1 });
    return { omarDm, ana, ben, omarMail };
  }

  function renderQueue() {
    opened = [];
    const store = new QueueStore(tc.window.client);
    renderWithCore(<Queue store={store} onOpen={() => opened.push(store.getState().selectedId!)} />, tc);
  }

  it('shows the rows in the core order with their marks: escalated, then starred, then longest waiting', async () => {
    const ids = await seed();
    renderQueue();
    await waitFor(() => expect(screen.getByTestId('queue-total').textContent).toBe('4 conversations'));
    await waitFor(() => expect(names()).toEqual(['Omar Haddad', 'Ben Ode', 'Ana Lima', 'Omar Haddad']));
    const [dm, ben, ana, mail] = rows();
    expect(dm!.id).toBe(`conv-${ids.omarDm}`);
    expect(within(dm!).getByTestId('escalation-mark').textContent).toContain('Escalated');
    expect(within(dm!).getByRole('img', { name: 'Linked to an email customer by Canary' })).toBeTruthy();
    expect(within(dm!).getByTitle('X direct message')).toBeTruthy();
    expect(within(ben!).getByTitle('Starred')).toBeTruthy();
    expect(within(ana!).queryByTitle('Starred')).toBeNull();
    expect(within(ana!).queryByTestId('escalation-mark')).toBeNull();
    expect(within(ana!).getByText('Broken kettle')).toBeTruthy();
    expect(within(ana!).getByTitle('Email')).toBeTruthy();
    expect(mail!.id).toBe(`conv-${ids.omarMail}`);
    // The first row is selected and the list says so to assistive technology.
    expect(selected()).toBe('Omar Haddad');
    expect(screen.getByRole('listbox', { name: 'Inbox conversations' }).getAttribute('aria-activedescendant')).toBe(`conv-${ids.omarDm}`);
  });

  it('j and k move the selection, x checks a row, Enter and a double click open the selected one', async () => {
    const ids = await seed();
    renderQueue();
    await waitFor(() => expect(rows()).toHaveLength(4));
    key('j');
    expect(selected()).toBe('Ben Ode');
    key('j');
    key('j');
    key('j'); // stops at the last row
    expect(rows()[3]!.getAttribute('aria-selected')).toBe('true');
    key('k');
    expect(selected()).toBe('Ana Lima');
    expect(screen.getByRole('listbox', { name: 'Inbox conversations' }).getAttribute('aria-activedescendant')).toBe(`conv-${ids.ana}`);
    key('x');
    expect(rows()[2]!.getAttribute('data-checked')).toBe('true');
    expect(screen.getByText('1 selected')).toBeTruthy();
    key('Enter');
    expect(opened).toEqual([ids.ana]);
    // A click selects; a double click opens.
    fireEvent.click(rows()[1]!, { detail: 1 });
    expect(selected()).toBe('Ben Ode');
    expect(opened).toEqual([ids.ana]);
    fireEvent.click(rows()[0]!, { detail: 2 });
    expect(opened).toEqual([ids.ana, ids.omarDm]);
  });

  it('shows a change made in the core (marked done elsewhere) without a reload, keeping the selection on its row', async () => {
    const ids = await seed();
    renderQueue();
    await waitFor(() => expect(rows()).toHaveLength(4));
    key('j');
    key('j');
    expect(selected()).toBe('Ana Lima');
    await act(() => tc.core.call('conversations.setStatus', { ids: [ids.ben], status: 'done' }));
    await waitFor(() => expect(names()).toEqual(['Omar Haddad', 'Ana Lima', 'Omar Haddad']));
    expect(screen.getByTestId('queue-total').textContent).toBe('3 conversations');
    expect(selected()).toBe('Ana Lima');
  });

  it('says when nothing waits', async () => {
    tc = startCore();
    renderQueue();
    await waitFor(() => expect(screen.getByText('Nothing here')).toBeTruthy());
    expect(screen.getByText('Every conversation is answered, snoozed or done.')).toBeTruthy();
    expect(screen.getByTestId('queue-total').textContent).toBe('0 conversations');
  });
});
