import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClient } from '../testing/fakeClient.js';
import { renderWithProviders } from '../testing/renderWithProviders.js';
import { App } from './App.js';
import { sessionEnded } from './sessionCheck.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('a page whose bridge session has ended', () => {
  it('asks the bridge’s session check with the page’s token; never ended in Electron', async () => {
    sessionStorage.setItem('cxr-token', 'page-token');
    const fetchMock = vi.fn(async () => new Response(null, { status: 401 }));
    vi.stubGlobal('fetch', fetchMock);
    expect(await sessionEnded()).toBe(true);
    expect(fetchMock.mock.calls[0]).toEqual([`${location.origin}/session`, { headers: { 'x-cxr-token': 'page-token' }, cache: 'no-store' }]);
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })));
    expect(await sessionEnded()).toBe(false);
    expect(await sessionEnded({ cxr: {} } as unknown as Window)).toBe(false);
  });

  it('shows what to do instead of an empty worklist that invites a re-import', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('missing or wrong token', { status: 401 })));
    const client = new FakeClient({ 'studies:list': () => ({ total: 0, offset: 0, items: [] }), 'jobs:list': () => [] });
    localStorage.setItem('cxr.firstRunNoticeAccepted', '1');
    renderWithProviders(<App />, client);
    expect(await screen.findByText('This page’s session has ended')).toBeTruthy();
    expect(screen.getByText(/Open the address printed by “npm start”/)).toBeTruthy();
    expect(screen.queryByText(/Import images/)).toBeNull();
  });
});
