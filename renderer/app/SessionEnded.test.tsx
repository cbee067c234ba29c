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
  it('is told by a 401 on any /files/ path (the token is checked before the path), never in Electron', async () => {
    const client = new FakeClient({});
    vi.stubGlobal('fetch', vi.fn(async () => new Response('missing or wrong token', { status: 401 })));
    expect(await sessionEnded(client)).toBe(true);
    vi.stubGlobal('fetch', vi.fn(async () => new Response('no such resource', { status: 404 })));
    expect(await sessionEnded(client)).toBe(false);
    expect(await sessionEnded(client, { cxr: {} } as unknown as Window)).toBe(false);
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
