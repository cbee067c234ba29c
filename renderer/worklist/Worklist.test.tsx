import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WorklistQuery } from '../../main/api/index.js';
import { FakeClient } from '../testing/fakeClient.js';
import { job, study } from '../testing/fixtures.js';
import { renderWithProviders } from '../testing/renderWithProviders.js';
import { Worklist } from './Worklist.js';

afterEach(cleanup);

let rows = [
  study({ id: 1, patientName: 'Alpha^Ann', aiStatus: 'done', maxProbability: 0.87, topFinding: 'Pleural_Thickening', calledCount: 2, triageScore: 1.4, thumbnail: '/files/instances/11/thumbnail.png' }),
  study({ id: 2, patientName: 'Bravo^Bob', aiStatus: 'none' }),
  study({ id: 3, patientName: 'Charlie^Cy', aiStatus: 'failed' }),
  study({ id: 4, patientName: 'Delta^Dee', aiStatus: 'done', maxProbability: 0.83, topFinding: null, calledCount: 0, triageScore: 0.9 }),
];
const initialRows = rows;
afterEach(() => {
  rows = initialRows;
});

function setup() {
  const client = new FakeClient({
    'studies:list': () => ({ total: rows.length, offset: 0, items: rows }),
    'import:start': () => job({ id: 'imp-7', total: 0 }),
    'import:report': ({ jobId }) => ({
      jobId,
      state: 'done',
      startedAt: 'x',
      finishedAt: 'y',
      roots: ['/data/nih'],
      imported: 17,
      updated: 0,
      skipped: 2,
      skippedReasons: [],
      warnings: [],
      failed: [{ path: '/data/dicom/a.dcm', reason: 'truncated file' }],
      failedCount: 1,
    }),
    'analysis:start': () => job({ id: 'ai-1', kind: 'analysis', total: 3 }),
  });
  const onOpen = vi.fn();
  renderWithProviders(<Worklist onOpen={onOpen} debounceMs={0} />, client);
  return { client, onOpen };
}

describe('Worklist', () => {
  it('lists studies with their AI status, labelled as AI output', async () => {
    setup();
    expect(await screen.findByText('Alpha^Ann')).toBeTruthy();
    expect(screen.getByTestId('worklist-count').textContent).toBe('Studies: 4 (showing 1–4)');
    const first = screen.getByText('Alpha^Ann').closest('tr')!;
    // The top called finding by name (not a probability), how many more, labelled as AI output.
    expect(within(first).getByText('Pleural thickening +1').closest('[title]')?.getAttribute('title')).toMatch(/^AI-generated/);
    expect(within(screen.getByText('Delta^Dee').closest('tr')!).getByText('No finding called')).toBeTruthy();
    expect(first.querySelector('img')?.getAttribute('src')).toBe('http://core.test/files/instances/11/thumbnail.png');
    expect(within(screen.getByText('Bravo^Bob').closest('tr')!).getByText('Not analysed')).toBeTruthy();
    expect(within(screen.getByText('Charlie^Cy').closest('tr')!).getByText('Analysis failed')).toBeTruthy();
  });

  it('sends the search text, filters and "most abnormal first" to studies:list', async () => {
    const { client } = setup();
    await screen.findByText('Alpha^Ann');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search patients, IDs, descriptions' }), { target: { value: 'ann ' } });
    await waitFor(() => expect(client.callsOf('studies:list').at(-1)?.text).toBe('ann'));

    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Sort' }));
    fireEvent.click(await screen.findByRole('option', { name: 'Most abnormal first' }));
    await waitFor(() => expect(client.callsOf('studies:list').at(-1)?.sort).toEqual({ field: 'abnormality', dir: 'desc' }));

    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'AI analysed' }));
    fireEvent.click(await screen.findByRole('option', { name: 'Yes' }));
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Finding' }));
    fireEvent.click(await screen.findByRole('option', { name: 'Pleural thickening' }));
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2024-01-02' } });
    await waitFor(() => {
      const q: WorklistQuery | undefined = client.callsOf('studies:list').at(-1);
      expect(q).toMatchObject({ text: 'ann', hasAi: true, finding: 'Pleural_Thickening', dateFrom: '2024-01-02' });
      expect(q?.status).toBeUndefined();
    });
  });

  it('moves with the arrow keys and opens the highlighted study with Enter', async () => {
    const { onOpen } = setup();
    await screen.findByText('Alpha^Ann');
    const grid = screen.getByRole('grid');
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'ArrowUp' });
    expect(screen.getByText('Bravo^Bob').closest('tr')!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(grid, { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 2 }));
    fireEvent.click(screen.getByText('Charlie^Cy'));
    expect(onOpen).toHaveBeenLastCalledWith(expect.objectContaining({ id: 3 }));
  });

  it('starts an import of typed paths and shows its progress from jobs:onDidProgress', async () => {
    const { client } = setup();
    await screen.findByText('Alpha^Ann');
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    fireEvent.change(screen.getByLabelText('Paths on the workstation (one per line)'), {
      target: { value: '/data/nih\n\n  /data/dicom/a.dcm  ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
    await waitFor(() => expect(client.callsOf('import:start')).toEqual([{ paths: ['/data/nih', '/data/dicom/a.dcm'] }]));

    act(() => client.emit('jobs:onDidProgress', job({ id: 'other', done: 99, total: 100 })));
    act(() => client.emit('jobs:onDidProgress', job({ id: 'imp-7', done: 5, total: 20, failed: 1 })));
    const bar = screen.getByRole('progressbar', { name: 'Import progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    expect(screen.getByTestId('import-status').textContent).toContain('5 of 20 files (1 failed)');

    const listsBefore = client.callsOf('studies:list').length;
    act(() => client.emit('jobs:onDidFinish', job({ id: 'imp-7', state: 'done', done: 20, total: 20, failed: 1, finishedAt: 'y' })));
    // The final line comes from the stored report, with every failed file and its reason.
    await waitFor(() => expect(screen.getByTestId('import-status').textContent).toBe('Done: 20 files, 1 failed — 17 imported, 0 updated, 2 skipped'));
    expect(within(screen.getByTestId('import-failures')).getByText('truncated file')).toBeTruthy();
    expect(within(screen.getByTestId('import-failures')).getByText('/data/dicom/a.dcm')).toBeTruthy();
    await waitFor(() => expect(client.callsOf('studies:list').length).toBeGreaterThan(listsBefore));
  });

  it('analyses every image not yet analysed and refreshes the list when the job ends', async () => {
    const { client } = setup();
    await screen.findByText('Alpha^Ann');
    fireEvent.click(screen.getByRole('button', { name: 'Analyse all with AI' }));
    await waitFor(() => expect(client.callsOf('analysis:start')).toEqual([{ all: true }]));
    act(() => client.emit('jobs:onDidProgress', job({ id: 'ai-1', kind: 'analysis', done: 1, total: 3 })));
    expect(screen.getByRole('progressbar', { name: 'AI analysis progress' }).getAttribute('aria-valuenow')).toMatch(/^33(\.|$)/);
    const listsBefore = client.callsOf('studies:list').length;
    act(() => client.emit('jobs:onDidFinish', job({ id: 'ai-1', kind: 'analysis', state: 'done', done: 3, total: 3, finishedAt: 'x' })));
    expect(screen.getByText('Done: 3, 0 failed')).toBeTruthy();
    await waitFor(() => expect(client.callsOf('studies:list').length).toBeGreaterThan(listsBefore));
  });

  it('shows the core’s error instead of an empty list', async () => {
    const client = new FakeClient({
      'studies:list': () => {
        throw new Error('database is locked');
      },
    });
    renderWithProviders(<Worklist onOpen={() => undefined} debounceMs={0} />, client);
    expect(await screen.findByText('database is locked')).toBeTruthy();
  });

  it('says "Studies: 0" with no range when nothing matches', async () => {
    rows = [];
    setup();
    await screen.findByText('No studies match. Import images with the Import button.');
    expect(screen.getByTestId('worklist-count').textContent).toBe('Studies: 0');
  });

  it('the priority view asks for unread studies in triage order; u toggles it from the list', async () => {
    const { client } = setup();
    await screen.findByText('Alpha^Ann');
    fireEvent.click(screen.getByRole('button', { name: 'Unread by priority' }));
    await waitFor(() => expect(client.callsOf('studies:list').at(-1)).toMatchObject({ status: 'unread', sort: { field: 'triage', dir: 'desc' } }));
    fireEvent.keyDown(screen.getByRole('grid'), { key: 'u' });
    await waitFor(() => expect(client.callsOf('studies:list').at(-1)).toMatchObject({ sort: { field: 'date', dir: 'desc' } }));
    expect(client.callsOf('studies:list').at(-1)?.status).toBeUndefined();
  });

  it('refreshes a row’s status when the core says the study changed (a report signed elsewhere)', async () => {
    const { client } = setup();
    await screen.findByText('Alpha^Ann');
    expect(within(screen.getByText('Bravo^Bob').closest('tr')!).getByText('Unread')).toBeTruthy();
    rows = rows.map((r) => (r.id === 2 ? { ...r, status: 'final' as const } : r));
    act(() => client.emit('studies:onDidChange', { studyIds: [2] }));
    await waitFor(() => expect(within(screen.getByText('Bravo^Bob').closest('tr')!).getByText('Final')).toBeTruthy());
  });
});
