import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Report } from '../../main/api/index.js';
import { FakeClient } from '../testing/fakeClient.js';
import { renderWithProviders } from '../testing/renderWithProviders.js';
import { ReportPanel } from './ReportPanel.js';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function draft(): Report {
  return {
    id: 5,
    studyId: 2,
    studyInstanceUid: '1.2.3',
    templateId: 'chest-radiograph.en',
    language: 'en',
    title: 'Chest radiograph report',
    state: 'draft',
    sections: [
      { name: 'findings', title: 'Findings', text: 'Right pleural effusion.', aiDerived: true },
      { name: 'impression', title: 'Impression', text: '', aiDerived: false },
    ],
    fields: {},
    aiFindings: [],
    keyImages: [],
    author: 'reader',
    createdAt: 't0',
    updatedAt: 't0',
    signedBy: null,
    signedAt: null,
    addenda: [],
    ai: { frozenAt: null, imagesInStudy: 1, images: [] },
    aiSection: ['AI decision support', 'Not used: no image of this study was analysed by the AI.'],
  };
}

describe('ReportPanel', () => {
  it('drafts, saves only the edited sections, and signs as the core’s reader (shown, never typed)', async () => {
    let report = draft();
    const client = new FakeClient({
      'reader:get': () => ({ name: 'Dr Ada', source: 'setting' }),
      'reports:search': () => [],
      'reports:draft': () => report,
      'reports:save': ({ sections }) => {
        report = { ...report, updatedAt: 't1', sections: report.sections.map((s) => ({ ...s, text: sections?.find((x) => x.name === s.name)?.text ?? s.text })) };
        return report;
      },
      // The core signs as its reader: the request names no one.
      'reports:setState': ({ state }) => (report = { ...report, state, signedBy: 'Dr Ada', signedAt: 't2' }),
    });
    renderWithProviders(<ReportPanel studyId={2} instanceId={20} />, client);
    fireEvent.click(await screen.findByRole('button', { name: 'Draft report' }));
    await waitFor(() => expect(client.callsOf('reports:draft')).toEqual([{ studyId: 2, instanceId: 20, language: 'en' }]));
    expect(((await screen.findByLabelText('Findings')) as HTMLTextAreaElement).value).toBe('Right pleural effusion.');
    expect(screen.getByText('Contains AI-generated text')).toBeTruthy();
    expect(screen.getByTestId('report-ai-section').textContent).toBe('AI decision supportNot used: no image of this study was analysed by the AI.');

    const save = screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Impression'), { target: { value: 'Effusion.' } });
    fireEvent.click(save);
    await waitFor(() =>
      expect(client.callsOf('reports:save')).toEqual([{ reportId: 5, sections: [{ name: 'impression', text: 'Effusion.' }], expectedUpdatedAt: 't0' }]),
    );

    const sign = screen.getByRole('button', { name: 'Sign' }) as HTMLButtonElement;
    await waitFor(() => expect(save.disabled).toBe(true));
    expect((await screen.findByTestId('report-signing-as')).textContent).toBe('Signing as Dr Ada. Change the reader in Settings → Reader.');
    expect(screen.queryByLabelText('Reader name')).toBeNull();
    fireEvent.click(sign);
    await screen.findByText('Final (signed)');
    expect(client.callsOf('reports:setState').at(-1)).toEqual({ reportId: 5, state: 'final' });
    expect((screen.getByLabelText('Impression') as HTMLTextAreaElement).readOnly).toBe(true);
    expect(screen.queryByRole('button', { name: 'Sign' })).toBeNull();
  });

  it('opens the study’s existing report instead of offering a new draft', async () => {
    const client = new FakeClient({
      'reports:search': () => [{ ...draft(), snippet: '' }],
      'reports:get': () => draft(),
    });
    renderWithProviders(<ReportPanel studyId={2} instanceId={20} />, client);
    await screen.findByLabelText('Findings');
    expect(screen.queryByRole('button', { name: 'Draft report' })).toBeNull();
    expect(client.callsOf('reports:search')).toEqual([{ studyId: 2, text: '', limit: 1 }]);
  });

  it('saves as the reader types (with the updatedAt it had), and says so', async () => {
    let report = draft();
    const client = new FakeClient({
      'reports:search': () => [{ ...report, snippet: '' }],
      'reports:get': () => report,
      'reports:save': ({ sections, expectedUpdatedAt }) => {
        if (expectedUpdatedAt !== report.updatedAt) throw new Error('stale');
        report = { ...report, updatedAt: `${report.updatedAt}+`, sections: report.sections.map((s) => ({ ...s, text: sections?.find((x) => x.name === s.name)?.text ?? s.text })) };
        return report;
      },
    });
    renderWithProviders(<ReportPanel studyId={2} instanceId={20} />, client);
    fireEvent.change(await screen.findByLabelText('Impression'), { target: { value: 'No acute' } });
    expect(screen.getByTestId('report-save-status').textContent).toMatch(/^Unsaved changes/);
    fireEvent.change(screen.getByLabelText('Impression'), { target: { value: 'No acute disease.' } });
    await waitFor(() => expect(screen.getByTestId('report-save-status').textContent).toBe('All changes saved'), { timeout: 4000 });
    // One save for the pause, not one per keystroke.
    expect(client.callsOf('reports:save')).toEqual([{ reportId: 5, sections: [{ name: 'impression', text: 'No acute disease.' }], expectedUpdatedAt: 't0' }]);
  });

  it('saves pending text when the panel goes away (another tab or study) before the pause', async () => {
    const client = new FakeClient({
      'reports:search': () => [{ ...draft(), snippet: '' }],
      'reports:get': () => draft(),
      'reports:save': () => ({ ...draft(), updatedAt: 't1' }),
    });
    const { unmount } = renderWithProviders(<ReportPanel studyId={2} instanceId={20} />, client);
    fireEvent.change(await screen.findByLabelText('Impression'), { target: { value: 'Typed just before leaving.' } });
    unmount();
    await waitFor(() => expect(client.callsOf('reports:save')).toEqual([{ reportId: 5, sections: [{ name: 'impression', text: 'Typed just before leaving.' }], expectedUpdatedAt: 't0' }]));
  });

  it('asks before the page closes with unsaved text', async () => {
    const client = new FakeClient({ 'reports:search': () => [{ ...draft(), snippet: '' }], 'reports:get': () => draft(), 'reports:save': () => ({ ...draft(), updatedAt: 't1' }) });
    renderWithProviders(<ReportPanel studyId={2} instanceId={20} />, client);
    fireEvent.change(await screen.findByLabelText('Impression'), { target: { value: 'Half a sentence' } });
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
  });

  it('on a conflict keeps the reader’s text, and saves it over the stored version when asked', async () => {
    let stored = draft();
    const client = new FakeClient({
      'reports:search': () => [{ ...stored, snippet: '' }],
      'reports:get': () => stored,
      'reports:save': ({ sections, expectedUpdatedAt }) => {
        if (expectedUpdatedAt !== stored.updatedAt) throw Object.assign(new Error(`report 5 was changed at ${stored.updatedAt}`), { code: 'conflict' });
        stored = { ...stored, updatedAt: 't10', sections: stored.sections.map((s) => ({ ...s, text: sections?.find((x) => x.name === s.name)?.text ?? s.text })) };
        return stored;
      },
    });
    renderWithProviders(<ReportPanel studyId={2} instanceId={20} />, client);
    fireEvent.change(await screen.findByLabelText('Impression'), { target: { value: 'My words.' } });
    // Someone else saved the report meanwhile (another window).
    stored = { ...stored, updatedAt: 't9', sections: stored.sections.map((s) => (s.name === 'impression' ? { ...s, text: 'Their words.' } : s)) };
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText(/changed elsewhere/);
    expect((screen.getByLabelText('Impression') as HTMLTextAreaElement).value).toBe('My words.');
    fireEvent.click(screen.getByRole('button', { name: 'Keep my text' }));
    await waitFor(() => expect(screen.getByTestId('report-save-status').textContent).toBe('All changes saved'));
    expect(client.callsOf('reports:save').at(-1)).toMatchObject({ expectedUpdatedAt: 't9', sections: [{ name: 'impression', text: 'My words.' }] });
    expect(stored.sections.find((s) => s.name === 'impression')!.text).toBe('My words.');
  });

  it('shows the signature in local time and adds an addendum to a signed report', async () => {
    let report: Report = { ...draft(), state: 'final', signedBy: 'Dr Ada', signedAt: '2024-05-12T13:03:00.000Z' };
    const client = new FakeClient({
      'reports:search': () => [{ ...report, snippet: '' }],
      'reports:get': () => report,
      'reader:get': () => ({ name: 'Dr Ada', source: 'setting' }),
      'reports:addendum': ({ text }) => (report = { ...report, addenda: [{ id: 1, text, author: 'Dr Ada', createdAt: '2024-05-13T08:00:00.000Z' }] }),
    });
    renderWithProviders(<ReportPanel studyId={2} instanceId={20} />, client);
    const signature = await screen.findByTestId('report-signature');
    expect(signature.textContent).not.toContain('2024-05-12T');
    expect(signature.textContent).toContain(new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date('2024-05-12T13:03:00.000Z')));
    fireEvent.change(screen.getByLabelText('New addendum'), { target: { value: 'Discussed with Dr Martin.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add addendum' }));
    const addenda = screen.getByTestId('report-addenda');
    await within(addenda).findByText('Discussed with Dr Martin.');
    expect(client.callsOf('reports:addendum')).toEqual([{ reportId: 5, text: 'Discussed with Dr Martin.' }]);
    expect(await within(screen.getByTestId('report-addenda')).findByText(/^Addendum by Dr Ada, /)).toBeTruthy();
  });

  it('signs on the reader’s keyboard request (as the core’s reader), then moves on', async () => {
    let report = draft();
    const client = new FakeClient({
      'reader:get': () => ({ name: 'alice', source: 'os-account' }),
      'reports:search': () => [{ ...report, snippet: '' }],
      'reports:get': () => report,
      'reports:save': () => (report = { ...report, updatedAt: 't1' }),
      'reports:setState': ({ state }) => (report = { ...report, state, signedBy: 'alice', signedAt: '2024-01-01T10:00:00Z' }),
    });
    const onSigned = vi.fn();
    const handled = vi.fn();
    renderWithProviders(<ReportPanel studyId={2} instanceId={20} signRequested onSignRequestHandled={handled} onSigned={onSigned} />, client);
    await waitFor(() => expect(onSigned).toHaveBeenCalledOnce());
    expect(handled).toHaveBeenCalledOnce();
    expect(client.callsOf('reports:setState').at(-1)).toEqual({ reportId: 5, state: 'final' });
    expect((await screen.findByTestId('report-signature')).textContent).toContain('Signed by alice');
  });

  it('names the priors shown beside the image in the draft request', async () => {
    const client = new FakeClient({ 'reports:search': () => [], 'reports:draft': () => draft() });
    renderWithProviders(<ReportPanel studyId={2} instanceId={20} comparisonStudyIds={[1]} />, client);
    fireEvent.click(await screen.findByRole('button', { name: 'Draft report' }));
    await waitFor(() => expect(client.callsOf('reports:draft')).toEqual([{ studyId: 2, instanceId: 20, language: 'en', comparisonStudyIds: [1] }]));
  });
});
