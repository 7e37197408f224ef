// @vitest-environment happy-dom
// Settings → Team on a real core: off until an email account exists; the switch turns team mode on
// in the core's settings, the name is saved when the field is left, an invalid address is refused
// with the core's reason and nothing saved.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderWithCore, startCore, type TestCore } from '../../testing/realCore';
import { TeamSettings } from './TeamSettings';

let tc: TestCore;
beforeEach(() => {
  tc = startCore();
});
afterEach(async () => {
  cleanup();
  await tc?.close();
});

const teamOf = async () => (await tc.core.call('settings.get', {})).team;

describe('Settings → Team', () => {
  it('asks for an email account first', async () => {
    renderWithCore(<TeamSettings />, tc);
    await screen.findByText(/Add an email account first/);
    expect(screen.getByTestId<HTMLInputElement>('team-enabled').disabled).toBe(true);
  });

  it('turns team mode on, saves the name on leaving the field, refuses a bad address', async () => {
    await tc.core.call('accounts.add', {
      channel: 'email',
      account: { name: 'Support', address: 'support@biz.example', imap: { host: '127.0.0.1', port: 9, tls: 'off' }, user: 'support', secret: 'pw' },
      skipCheck: true,
    });
    renderWithCore(<TeamSettings />, tc);
    const toggle = await screen.findByTestId<HTMLInputElement>('team-enabled');
    await waitFor(() => expect(toggle.disabled).toBe(false));
    fireEvent.click(toggle);
    await waitFor(async () => expect((await teamOf()).enabled).toBe(true));
    const name = screen.getByTestId<HTMLInputElement>('team-name');
    fireEvent.change(name, { target: { value: '  Alex   Ng ' } });
    fireEvent.blur(name);
    await waitFor(async () => expect((await teamOf()).name).toBe('Alex Ng'));
    const address = screen.getByTestId<HTMLInputElement>('team-address');
    fireEvent.change(address, { target: { value: 'not an address' } });
    fireEvent.blur(address);
    expect((await screen.findByRole('alert')).textContent).toMatch(/not an email address/);
    expect((await teamOf()).address).toBe('');
  });
});
