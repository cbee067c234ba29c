import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClient } from '../testing/fakeClient.js';
import { renderWithProviders } from '../testing/renderWithProviders.js';
import { emptyOverlays, type FindingDecision, type FindingView, type OverlayState } from './findingView.js';
import { FindingsPanel } from './FindingsPanel.js';

afterEach(cleanup);

function finding(over: Partial<FindingView> & { label: string }): FindingView {
  return {
    id: over.label,
    probability: 0.1,
    threshold: 0.3,
    positive: false,
    notCalibrated: null,
    location: null,
    text: null,
    heatmap: `/files/heatmaps/1/${over.label}.png`,
    box: null,
    review: { decision: 'pending', editedText: null },
    ...over,
  };
}

const findings = [
  finding({ label: 'Nodule', probability: 0.12, threshold: 0.4 }),
  finding({
    label: 'Effusion',
    probability: 0.81,
    threshold: 0.35,
    positive: true,
    location: 'right lower zone',
    text: 'Right pleural effusion.',
    box: { x: 10, y: 20, w: 30, h: 40 },
  }),
  finding({ label: 'Hernia', probability: 0.02, threshold: 0.2, heatmap: null }),
];

/** The panel as the viewer uses it: overlays and decisions kept in state above it. */
function Harness({ onReview }: { onReview: (f: FindingView, d: FindingDecision, text?: string) => void }) {
  const [overlays, setOverlays] = useState<OverlayState>(emptyOverlays);
  const [list, setList] = useState(findings);
  return (
    <>
      <output data-testid="overlays">{JSON.stringify(overlays)}</output>
      <FindingsPanel
        findings={list}
        state="ready"
        overlays={overlays}
        onOverlaysChange={setOverlays}
        onReview={(f, d, text) => {
          onReview(f, d, text);
          setList((l) => l.map((x) => (x.id === f.id ? { ...x, review: { decision: d, editedText: text ?? null } } : x)));
        }}
      />
    </>
  );
}

function overlays(): OverlayState {
  return JSON.parse(screen.getByTestId('overlays').textContent!) as OverlayState;
}

describe('FindingsPanel', () => {
  it('shows each finding with its probability against its threshold, positives first, labelled AI-generated', () => {
    renderWithProviders(<Harness onReview={() => undefined} />, new FakeClient({}));
    expect(screen.getByText('AI-generated')).toBeTruthy();
    expect(screen.getByText(/support the reader; they do not replace/)).toBeTruthy();
    const items = screen.getAllByTestId(/^finding-/).map((el) => el.dataset.testid);
    expect(items).toEqual(['finding-Effusion', 'finding-Nodule', 'finding-Hernia']);
    const effusion = screen.getByTestId('finding-Effusion');
    expect(within(effusion).getByRole('progressbar', { name: 'Effusion: 81% probability' }).getAttribute('aria-valuenow')).toBe('81');
    expect(within(effusion).getByText(/threshold 35%/)).toBeTruthy();
    expect(within(effusion).getByText(/location: right lower zone/)).toBeTruthy();
    expect(within(effusion).getByText('Above threshold')).toBeTruthy();
    expect(within(effusion).getByText('Right pleural effusion.')).toBeTruthy();
    expect(within(screen.getByTestId('finding-Nodule')).queryByText('Above threshold')).toBeNull();
    // The threshold mark sits at the threshold on the bar.
    expect((within(effusion).getByTestId('threshold-mark') as HTMLElement).style.left || getComputedStyle(within(effusion).getByTestId('threshold-mark')).left).toBe('35%');
  });

  it('toggles heatmaps and boxes per finding and sets the opacity', () => {
    renderWithProviders(<Harness onReview={() => undefined} />, new FakeClient({}));
    fireEvent.click(screen.getByRole('switch', { name: 'Heatmap of Effusion' }));
    fireEvent.click(screen.getByRole('switch', { name: 'Heatmap of Nodule' }));
    fireEvent.click(screen.getByRole('switch', { name: 'Box of Effusion' }));
    expect(overlays()).toMatchObject({ heatmaps: ['Effusion', 'Nodule'], boxes: ['Effusion'] });
    fireEvent.click(screen.getByRole('switch', { name: 'Heatmap of Effusion' }));
    expect(overlays().heatmaps).toEqual(['Nodule']);
    // No heatmap or box from the analysis: nothing to toggle.
    expect((screen.getByRole('switch', { name: 'Heatmap of Hernia' }) as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('switch', { name: 'Box of Nodule' }) as HTMLInputElement).disabled).toBe(true);
    fireEvent.keyDown(screen.getByRole('slider', { name: 'Heatmap opacity' }), { key: 'ArrowRight' });
    expect(overlays().opacity).toBeCloseTo(0.55);
  });

  it('records accept, reject and an edited wording', async () => {
    const onReview = vi.fn();
    renderWithProviders(<Harness onReview={onReview} />, new FakeClient({}));
    fireEvent.click(screen.getByRole('button', { name: 'Accept Effusion' }));
    expect(onReview).toHaveBeenLastCalledWith(expect.objectContaining({ label: 'Effusion' }), 'accepted', undefined);
    expect(screen.getByRole('button', { name: 'Accept Effusion' }).getAttribute('aria-pressed')).toBe('true');
    expect(within(screen.getByTestId('finding-Effusion')).getByText('Accepted by the reader')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Reject Nodule' }));
    expect(onReview).toHaveBeenLastCalledWith(expect.objectContaining({ label: 'Nodule' }), 'rejected', undefined);

    fireEvent.click(screen.getByRole('button', { name: 'Edit Effusion' }));
    const box = await screen.findByLabelText('Wording for the report');
    expect((box as HTMLTextAreaElement).value).toBe('Right pleural effusion.');
    fireEvent.change(box, { target: { value: 'Small right pleural effusion.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(onReview).toHaveBeenLastCalledWith(expect.objectContaining({ label: 'Effusion' }), 'edited', 'Small right pleural effusion.');
    expect(await within(screen.getByTestId('finding-Effusion')).findByText('Small right pleural effusion.')).toBeTruthy();
  });

  it('offers to analyse an image that has not been analysed, and says when the analysis failed', () => {
    const onAnalyse = vi.fn();
    const { unmount } = renderWithProviders(
      <FindingsPanel findings={[]} state="none" overlays={emptyOverlays} onOverlaysChange={() => undefined} onReview={() => undefined} onAnalyse={onAnalyse} />,
      new FakeClient({}),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Analyse' }));
    expect(onAnalyse).toHaveBeenCalledOnce();
    unmount();
    renderWithProviders(
      <FindingsPanel findings={[]} state={{ error: 'model pack missing' }} overlays={emptyOverlays} onOverlaysChange={() => undefined} onReview={() => undefined} />,
      new FakeClient({}),
      'fr',
    );
    expect(screen.getByText('model pack missing')).toBeTruthy();
    expect(screen.getByText('Généré par IA')).toBeTruthy();
  });
  it('a label without a validated operating point shows its probability as not calibrated: no threshold mark, no call, no review buttons', () => {
    renderWithProviders(
      <FindingsPanel
        findings={[finding({ label: 'Pneumothorax', probability: 0.91, threshold: null, notCalibrated: 'no site calibration; the pack ships no threshold' })]}
        state="ready"
        overlays={emptyOverlays}
        onOverlaysChange={() => undefined}
        onReview={() => undefined}
      />,
      new FakeClient({}),
    );
    const item = screen.getByTestId('finding-Pneumothorax');
    expect(within(item).getByTestId('not-calibrated')).toBeTruthy();
    expect(within(item).getByText('91%')).toBeTruthy();
    expect(within(item).queryByTestId('threshold-mark')).toBeNull();
    expect(within(item).queryByText('Above threshold')).toBeNull();
    expect(within(item).queryByRole('button', { name: /Accept/ })).toBeNull();
    expect(within(item).getByText(/Not calibrated, never called: no site calibration/)).toBeTruthy();
  });

  it('a withheld image shows one line saying why and an explicit override that asks for a reason', () => {
    const onOverrideGate = vi.fn();
    renderWithProviders(
      <FindingsPanel
        findings={[]}
        state="ready"
        overlays={emptyOverlays}
        onOverlaysChange={() => undefined}
        onReview={() => undefined}
        quality={{ flags: [{ code: 'not_radiograph', message: 'modality is CT: not a projection radiograph' }], withheld: 'AI findings withheld: not a projection radiograph.' }}
        onOverrideGate={onOverrideGate}
      />,
      new FakeClient({}),
    );
    expect(screen.getByTestId('findings-withheld').textContent).toMatch(/AI findings withheld: not a projection radiograph/);
    expect(screen.queryAllByRole('listitem')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Show findings anyway…' }));
    const confirm = screen.getAllByRole('button', { name: 'Show findings anyway…' }).pop()!;
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'PA film; the modality tag is wrong' } });
    fireEvent.click(confirm);
    expect(onOverrideGate).toHaveBeenCalledWith('PA film; the modality tag is wrong');
  });

  it('an overridden gate is marked with who overrode it and why', () => {
    renderWithProviders(
      <FindingsPanel
        findings={findings}
        state="ready"
        overlays={emptyOverlays}
        onOverlaysChange={() => undefined}
        onReview={() => undefined}
        quality={{ flags: [{ code: 'lateral_view', message: 'ViewPosition is LL' }], withheld: null, override: { by: 'Dr Ana', reason: 'tag wrong', at: '2025-01-02T03:04:05Z' } }}
      />,
      new FakeClient({}),
    );
    expect(screen.getByTestId('findings-overridden').textContent).toBe('Quality/view check overridden by Dr Ana (2025-01-02 03:04): tag wrong');
  });

  it('a signed image shows its findings as signed, with the report, and offers no decision', () => {
    renderWithProviders(
      <FindingsPanel
        findings={findings}
        state="ready"
        overlays={emptyOverlays}
        onOverlaysChange={() => undefined}
        onReview={() => undefined}
        signed={{ reportId: 12, signedAt: '2025-01-02T03:04:05Z' }}
      />,
      new FakeClient({}),
    );
    expect(screen.getByTestId('findings-signed').textContent).toMatch(/signed in report #12 .*addendum/);
    expect(screen.queryByRole('button', { name: /^Accept/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Reject/ })).toBeNull();
  });
});
