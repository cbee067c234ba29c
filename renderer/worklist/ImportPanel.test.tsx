import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportReport, Job } from '../../main/api/index.js';
import { FakeClient } from '../testing/fakeClient.js';
import { job } from '../testing/fixtures.js';
import { renderWithProviders } from '../testing/renderWithProviders.js';
import { ImportPanel } from './ImportPanel.js';

afterEach(cleanup);

function report(jobId: string, over: Partial<ImportReport> = {}): ImportReport {
  return { jobId, state: 'done', startedAt: 'a', finishedAt: 'b', roots: [], imported: 0, updated: 0, skipped: 0, skippedReasons: [], warnings: [], failed: [], failedCount: 0, ...over };
}

const typo = '/data/nih-typo';
const ended = job({ id: 'imp-1', state: 'done', failed: 1, finishedAt: '2024-01-01T00:00:01Z', message: '0 imported, 0 updated, 0 skipped, 1 failed' });

async function typeAndStart(value: string) {
  fireEvent.change(screen.getByLabelText('Paths on the workstation (one per line)'), { target: { value } });
  fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
}

describe('ImportPanel: jobs never hang', () => {
  it('an import that ends before its start call returns shows its end, the failed path and the reason; Start works again', async () => {
    // The core ends the job (and says so) before answering import:start with the job as it was when started.
    let client: FakeClient;
    client = new FakeClient({
      'import:start': () => {
        client.emit('jobs:onDidFinish', ended);
        return job({ id: 'imp-1' });
      },
      'import:report': ({ jobId }) => report(jobId, { failed: [{ path: typo, reason: 'no such file or folder' }], failedCount: 1 }),
      'jobs:list': () => [],
    });
    renderWithProviders(<ImportPanel />, client);
    await typeAndStart(typo);
    await waitFor(() => expect(screen.getByTestId('import-status').textContent).toBe('Done: 1 files, 1 failed — 0 imported, 0 updated, 0 skipped'));
    expect(within(screen.getByTestId('import-failures')).getByText('no such file or folder')).toBeTruthy();
    expect(within(screen.getByTestId('import-failures')).getByText(typo)).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByRole('button', { name: 'Start import' }).hasAttribute('disabled')).toBe(false);
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('an end whose event never reached the page is found by asking jobs:get once', async () => {
    const client = new FakeClient({
      'import:start': () => job({ id: 'imp-1' }),
      'jobs:get': () => ended,
      'import:report': ({ jobId }) => report(jobId, { skipped: 7 }),
      'jobs:list': () => [],
    });
    renderWithProviders(<ImportPanel />, client);
    await typeAndStart('/data/already-indexed');
    await waitFor(() => expect(screen.getByTestId('import-status').textContent).toBe('Done: 7 files, 0 failed — 0 imported, 0 updated, 7 skipped'));
    expect(client.callsOf('jobs:get')).toEqual([{ jobId: 'imp-1' }]);
  });

  it('after a reload, re-attaches to the running import; Cancel stops it and the end is shown', async () => {
    let state: Job = job({ id: 'imp-9', done: 3, total: 40 });
    const client = new FakeClient({
      'jobs:list': () => [job({ id: 'ai-2', kind: 'analysis' }), state],
      'jobs:get': () => state,
      'jobs:cancel': () => {
        state = { ...state, state: 'cancelled', done: 4, finishedAt: 'z' };
        return { ok: true as const };
      },
      'import:report': ({ jobId }) => report(jobId, { state: 'cancelled', imported: 4 }),
    });
    let running = 0;
    renderWithProviders(<ImportPanel onRunning={() => running++} />, client);
    await waitFor(() => expect(screen.getByTestId('import-status').textContent).toBe('3 of 40 files (0 failed)'));
    expect(running).toBe(1);
    act(() => client.emit('jobs:onDidProgress', job({ id: 'imp-9', done: 4, total: 40 })));
    expect(screen.getByRole('progressbar', { name: 'Import progress' }).getAttribute('aria-valuenow')).toBe('10');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.getByTestId('import-status').textContent).toMatch(/^Cancelled after 4 files \(0 failed\) — 4 imported/));
    expect(client.callsOf('jobs:cancel')).toEqual([{ jobId: 'imp-9' }]);
  });

  it('shows why an import could not start', async () => {
    const client = new FakeClient({ 'jobs:list': () => [] });
    renderWithProviders(<ImportPanel />, client);
    fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
    expect(screen.getByText('Enter at least one path.')).toBeTruthy();
    await typeAndStart('/x');
    expect(await screen.findByText('no fake for import:start')).toBeTruthy();
  });
});
