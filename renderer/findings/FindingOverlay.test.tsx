import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodePixels, type AnalysisResult, type Finding, type Instance, type StudyDetail } from '../../main/api/index.js';
import { FakeClient } from '../testing/fakeClient.js';
import { study } from '../testing/fixtures.js';
import { renderWithProviders } from '../testing/renderWithProviders.js';
import { ViewerScreen } from '../viewer/ViewerScreen.js';
import { defaultOverlays, emptyOverlays, hasOverlay, toggleAiOverlays, type FindingView } from './findingView.js';
import { findingOverlayLabels } from './FindingOverlay.js';

const ring = (x: number, y: number, s: number) => [x, y, x + s, y, x + s, y + s, x, y + s, x, y];

function finding(over: Partial<Finding> & { label: string }): Finding {
  const threshold = over.threshold ?? 0.5;
  return {
    probability: 0.05,
    operatingPoint: { status: 'validated', threshold, source: 'calibration', provenance: 'site calibration #1' },
    threshold,
    thresholdSource: 'calibration',
    positive: false,
    certainty: null,
    severity: null,
    location: { stated: false, side: null, site: null, reason: 'localisation_not_validated' },
    extent: 0.05,
    organ: 'lung',
    boxes: [{ x: 10, y: 10, w: 20, h: 20 }],
    peak: { x: 20, y: 20 },
    contours: [ring(10, 10, 20)],
    locationText: null,
    sentence: null,
    heatmap: `/files/analyses/1/heatmap/${over.label}.png`,
    review: null,
    ...over,
  };
}

const analysis: AnalysisResult = {
  analysisId: 1,
  instanceId: 20,
  packId: 'demo',
  packVersion: '1',
  provider: 'cpu',
  createdAt: '2026-01-01T00:00:00.000Z',
  inferenceMs: 1,
  totalMs: 2,
  imageSize: { width: 64, height: 64 },
  quality: { ok: true, flags: [] },
  status: 'shown',
  override: null,
  lungFieldSource: 'image',
  operatingPoints: { calibrationId: 1, version: 'site calibration #1: 2 of 2 labels validated' },
  findings: [
    finding({ label: 'Effusion', probability: 0.9, threshold: 0.4, positive: true, certainty: 'probable', sentence: 'Probable pleural effusion.', contours: [ring(5, 40, 15)] }),
    finding({ label: 'Nodule' }),
  ],
  text: {
    language: 'en',
    header: 'AI-generated draft',
    sentences: [{ label: 'Effusion', text: 'Probable pleural effusion.' }],
    details: { title: 'AI details', lines: [{ label: 'Effusion', text: 'Pleural effusion: AI probability 0.90, threshold 0.40 (site calibration); called (probable).' }] },
  },
  aiGenerated: true,
  disclaimer: 'Not a diagnosis.',
};

const instance: Instance = {
  id: 20,
  seriesRowId: 2,
  sopInstanceUid: '1.2.20',
  sopClassUid: '1.2.840.10008.5.1.4.1.1.1',
  instanceNumber: 1,
  format: 'png',
  transferSyntaxUid: null,
  rows: 64,
  columns: 64,
  frames: 1,
  bitsStored: 8,
  photometric: 'MONOCHROME2',
  viewPosition: 'PA',
  bodyPart: 'CHEST',
  pixelSpacingMm: null,
  spacingSource: null,
  windowCenter: 128,
  windowWidth: 256,
  filePath: '/data/20.png',
  contentHash: 'h20',
  thumbnail: '/files/instances/20/thumbnail.png',
  pixels: '/files/instances/20/pixels',
  referenceFindings: [],
};
const detail: StudyDetail = {
  ...study({ id: 2, patientRowId: 7, patientId: 'P7', patientName: 'Doe^Jane', date: '2024-05-01' }),
  birthDate: null,
  referringPhysician: '',
  identityConflicts: [],
  series: [{ id: 2, seriesInstanceUid: '9.2', modality: 'CR', seriesNumber: 1, description: '', bodyPart: 'CHEST', instances: [instance] }],
};

beforeEach(() => {
  const header = { width: 64, height: 64, slope: 1, intercept: 0, window: { center: 128, width: 256 }, min: 0, max: 255, invert: false, spacingMm: null, spacingSource: null };
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(encodePixels(header, new Uint16Array(64 * 64).fill(100)).slice().buffer as ArrayBuffer)),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('AI overlays on the image', () => {
  it('start with the outlines of the called findings only, named on the image; one switch hides them all', async () => {
    const client = new FakeClient({ 'studies:get': () => detail, 'priors:get': () => ({ patientId: 'P7', currentStudyId: 2, pack: null, studies: [], series: [] }), 'analysis:get': () => analysis });
    renderWithProviders(<ViewerScreen studyId={2} onBack={() => undefined} />, client);
    await screen.findByTestId('contour-Effusion', undefined, { timeout: 15_000 });
    expect(screen.queryByTestId('contour-Nodule')).toBeNull();
    expect(screen.queryByTestId('heatmap-Effusion')).toBeNull();
    expect(screen.getByTestId('overlay-label-Effusion').textContent).toBe('Effusion (AI)');
    expect(screen.getByText('AI-generated overlay shown')).toBeTruthy();

    // A box carries the finding's name too.
    fireEvent.click(screen.getByRole('switch', { name: 'Box of Nodule' }));
    expect(await screen.findByTestId('box-Nodule', undefined, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByTestId('overlay-label-Nodule').textContent).toBe('Nodule (AI)');

    const toggle = screen.getByTestId('ai-overlays-toggle');
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(toggle);
    await waitFor(() => expect(screen.queryByTestId('finding-overlay')).toBeNull(), { timeout: 5000 });
    expect(screen.queryByTestId(/^overlay-label-/)).toBeNull();
    expect(screen.getByText('AI overlays hidden')).toBeTruthy();
    // Shown again, the reader's choices are back.
    fireEvent.click(toggle);
    expect(await screen.findByTestId('contour-Effusion', undefined, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByTestId('box-Nodule')).toBeTruthy();
  });

  it('shows the AI details appendix beside the findings text', async () => {
    const client = new FakeClient({ 'studies:get': () => detail, 'priors:get': () => ({ patientId: 'P7', currentStudyId: 2, pack: null, studies: [], series: [] }), 'analysis:get': () => analysis });
    renderWithProviders(<ViewerScreen studyId={2} onBack={() => undefined} />, client);
    const details = await screen.findByTestId('ai-details', undefined, { timeout: 15_000 });
    expect(within(details).getByText('AI details')).toBeTruthy();
    expect(within(details).getByText(/AI probability 0\.90, threshold 0\.40/)).toBeTruthy();
    expect(within(screen.getByTestId('findings-text')).getByText('Probable pleural effusion.')).toBeTruthy();
  });
});

describe('overlay state', () => {
  const views: FindingView[] = [
    { id: 'A', label: 'A', probability: 0.9, threshold: 0.5, positive: true, notCalibrated: null, location: null, text: null, heatmap: null, box: null, contours: [ring(0, 0, 1)], review: { decision: 'pending', editedText: null } },
    { id: 'B', label: 'B', probability: 0.1, threshold: 0.5, positive: false, notCalibrated: null, location: null, text: null, heatmap: null, box: { x: 1, y: 2, w: 3, h: 4 }, contours: [ring(0, 0, 1)], review: { decision: 'pending', editedText: null } },
  ];

  it('defaults to the called findings’ outlines; hiding keeps the choices', () => {
    const o = defaultOverlays(views, { ...emptyOverlays, heatmaps: ['B'], opacity: 0.7 });
    expect(o).toEqual({ visible: true, contours: ['A'], heatmaps: [], boxes: [], opacity: 0.7 });
    const hidden = toggleAiOverlays({ ...o, boxes: ['B'] });
    expect(hidden.visible).toBe(false);
    expect(hasOverlay(hidden, 'A')).toBe(false);
    expect(toggleAiOverlays(hidden)).toMatchObject({ visible: true, contours: ['A'], boxes: ['B'] });
    expect(findingOverlayLabels(views, hidden, (f) => f.label)).toEqual([]);
    expect(findingOverlayLabels(views, { ...o, boxes: ['B'] }, (f) => f.label).map((l) => [l.key, l.x, l.y])).toEqual([
      ['A', 0, 0],
      ['B', 1, 2],
    ]);
  });
});
