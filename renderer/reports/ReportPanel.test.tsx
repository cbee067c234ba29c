import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../../main/api/index.js';
import { FakeClient } from '../testing/fakeClient.js';
import { renderWithProviders } from '../testing/renderWithProviders.js';
import { ReportPanel } from './ReportPanel.js';

afterEach(cleanup);

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
  it('drafts, saves only the edited sections, and signs with the reader’s name', async () => {
    let report = draft();
    const client = new FakeClient({
      'reports:search': () => [],
      'reports:draft': () => report,
      'reports:save': ({ sections }) => {
        report = { ...report, updatedAt: 't1', sections: report.sections.map((s) => ({ ...s, text: sections?.find((x) => x.name === s.name)?.text ?? s.text })) };
        return report;
      },
      'reports:setState': ({ state, signedBy }) => (report = { ...report, state, signedBy: signedBy ?? null, signedAt: 't2' }),
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
    expect(sign.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Reader name'), { target: { value: 'Dr Ada' } });
    fireEvent.click(sign);
    await screen.findByText('Final (signed)');
    expect(client.callsOf('reports:setState').at(-1)).toMatchObject({ reportId: 5, state: 'final', signedBy: 'Dr Ada' });
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
});
