import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reader } from '../../main/api/index.js';
import { FakeClient } from '../testing/fakeClient.js';
import { renderWithProviders } from '../testing/renderWithProviders.js';
import { ReaderSettings } from './ReaderSettings.js';

afterEach(cleanup);

describe('ReaderSettings', () => {
  it('shows who the workstation signs as, sets the reader name through the core, and goes back to the account', async () => {
    let reader: Reader = { name: 'alice', source: 'os-account' };
    const client = new FakeClient({
      'reader:get': () => reader,
      'reader:set': ({ name }) => (reader = name === null ? { name: 'alice', source: 'os-account' } : { name, source: 'setting' }),
    });
    renderWithProviders(<ReaderSettings />, client);
    expect((await screen.findByTestId('reader-current')).textContent).toBe('Acting and signing as alice (the computer account: no reader name is set).');
    fireEvent.change(screen.getByLabelText('Reader name'), { target: { value: '  Dr Ada Lovelace ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save reader' }));
    await waitFor(() => expect(screen.getByTestId('reader-current').textContent).toBe('Acting and signing as Dr Ada Lovelace.'));
    expect(client.callsOf('reader:set')).toEqual([{ name: 'Dr Ada Lovelace' }]);
    fireEvent.click(screen.getByRole('button', { name: 'Use the computer account' }));
    await waitFor(() => expect(screen.getByTestId('reader-current').textContent).toMatch(/^Acting and signing as alice \(/));
    expect(client.callsOf('reader:set').at(-1)).toEqual({ name: null });
  });
});
