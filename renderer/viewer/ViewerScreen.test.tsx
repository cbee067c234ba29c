import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodePixels, type Instance, type StudyDetail } from '../../main/api/index.js';
import { FakeClient } from '../testing/fakeClient.js';
import { study } from '../testing/fixtures.js';
import { renderWithProviders } from '../testing/renderWithProviders.js';
import { ViewerScreen } from './ViewerScreen.js';

function instance(id: number, spacing: [number, number] | null): Instance {
  return {
    id,
    seriesRowId: id,
    sopInstanceUid: `1.2.${id}`,
    sopClassUid: '1.2.840.10008.5.1.4.1.1.1',
    instanceNumber: 1,
    format: 'dicom',
    transferSyntaxUid: null,
    rows: 4,
    columns: 4,
    frames: 1,
    bitsStored: 12,
    photometric: 'MONOCHROME2',
    viewPosition: 'PA',
    bodyPart: 'CHEST',
    pixelSpacingMm: spacing,
    spacingSource: spacing ? 'ImagerPixelSpacing' : null,
    windowCenter: 2048,
    windowWidth: 4096,
    filePath: `/data/${id}.dcm`,
    contentHash: `h${id}`,
    thumbnail: `/files/instances/${id}/thumbnail.png`,
    pixels: `/files/instances/${id}/pixels`,
    referenceFindings: [],
  };
}

function detail(id: number, date: string, inst: Instance): StudyDetail {
  return {
    ...study({ id, patientRowId: 7, patientId: 'P7', patientName: 'Doe^Jane', date }),
    birthDate: null,
    referringPhysician: '',
    identityConflicts: [],
    series: [{ id, seriesInstanceUid: `9.${id}`, modality: 'CR', seriesNumber: 1, description: '', bodyPart: 'CHEST', instances: [inst] }],
  };
}

const current = detail(2, '2024-05-01', instance(20, [0.15, 0.15]));
const prior = detail(1, '2023-01-10', instance(10, null));
const older = detail(3, '2019-03-01', instance(30, null));

beforeEach(() => {
  // The pixel resource, in the real wire format.
  const header = { width: 4, height: 4, slope: 1, intercept: 0, window: { center: 2048, width: 4096 }, min: 0, max: 4095, invert: false, spacingMm: null, spacingSource: null };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const spacing = url.includes('/20/') ? ([0.15, 0.15] as [number, number]) : null;
      const body = encodePixels({ ...header, spacingMm: spacing, spacingSource: spacing ? 'ImagerPixelSpacing' : null }, new Uint16Array(16).fill(1000));
      return new Response(body.slice().buffer as ArrayBuffer);
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function setup(props: Partial<Parameters<typeof ViewerScreen>[0]> = {}, shownCurrent: StudyDetail = current) {
  const client = new FakeClient({
    'studies:get': ({ studyId }) => (studyId === 2 ? shownCurrent : studyId === 3 ? older : prior),
    'priors:get': () => ({
      patientId: 'P7',
      currentStudyId: 2,
      pack: null,
      studies: [
        { studyId: 3, date: '2019-03-01', instanceIds: [30], analysed: false, thumbnail: null },
        { studyId: 1, date: '2023-01-10', instanceIds: [10], analysed: false, thumbnail: null },
        { studyId: 2, date: '2024-05-01', instanceIds: [20], analysed: false, thumbnail: null },
      ],
      series: [],
    }),
    'analysis:get': () => null,
  });
  renderWithProviders(<ViewerScreen studyId={2} onBack={() => undefined} {...props} />, client);
  return client;
}

const zoomReadouts = () => screen.getAllByText(/^Zoom \d+ %$/).map((el) => el.textContent);

describe('ViewerScreen', () => {
  it('shows the prior beside the current image, with zoom linked until unlinked', async () => {
    setup();
    await screen.findByText('Spacing 0.150 × 0.150 mm (ImagerPixelSpacing)', undefined, { timeout: 5000 });
    expect(screen.getByText('Doe^Jane · P7 · 2024-05-01 · Chest PA')).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Prior' }, { timeout: 5000 }));
    await screen.findByText('Pixel spacing unknown: ruler in pixels, not mm', undefined, { timeout: 5000 });
    expect(screen.getAllByText('Prior 2023-01-10').length).toBeGreaterThan(0);
    expect(zoomReadouts()).toEqual(['Zoom 100 %', 'Zoom 100 %']);

    fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(zoomReadouts()).toEqual(['Zoom 125 %', 'Zoom 125 %']);

    fireEvent.click(screen.getByRole('button', { name: 'Link zoom/pan' }));
    fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    // Unlinked, the toolbar acts on both independently: each keeps its own zoom from here on.
    fireEvent.wheel(screen.getAllByTestId('viewer-viewport')[0]!, { deltaY: -500, clientX: 0, clientY: 0 });
    const [main, priorZoom] = zoomReadouts();
    expect(priorZoom).toBe('Zoom 156 %');
    expect(main).not.toBe(priorZoom);
  });

  it('says when the files under one patient ID disagree on who the patient is', async () => {
    const conflicted = { ...current, identityConflicts: [{ field: 'birthDate' as const, stored: '1950-01-01', incoming: '1961-03-09', studyId: 2, sourcePath: '/in/b.dcm' }] };
    setup({}, conflicted);
    const banner = await screen.findByTestId('identity-conflicts', undefined, { timeout: 5000 });
    expect(banner.textContent).toBe('Patient ID P7: the files do not agree on the patient — the birth date is “1950-01-01” here but “1961-03-09” in /in/b.dcm');
  });

  it('hides the patient text on request and keeps the window readout', async () => {
    setup();
    const pane = await screen.findByLabelText('Current image', undefined, { timeout: 5000 });
    await within(pane).findByText('Doe^Jane', undefined, { timeout: 5000 });
    fireEvent.click(screen.getByRole('button', { name: 'Patient text' }));
    await waitFor(() => expect(within(pane).queryByText('Doe^Jane')).toBeNull());
    expect(within(pane).getByTestId('wl-readout').textContent).toBe('WL 2048 / WW 4096');
  });

  it('reads from the keyboard: invert, zoom, window presets, text, the shortcut sheet, next study and Esc', async () => {
    const onBack = vi.fn();
    const onNavigateStudy = vi.fn();
    setup({ onBack, onNavigateStudy });
    const pane = await screen.findByLabelText('Current image', undefined, { timeout: 5000 });
    await within(pane).findByText('Doe^Jane', undefined, { timeout: 5000 });
    const key = (k: string, target: Element = document.body) => fireEvent.keyDown(target, { key: k });

    key('i');
    expect(screen.getByRole('button', { name: 'Invert' }).getAttribute('aria-pressed')).toBe('true');
    key('+');
    expect(zoomReadouts()).toEqual(['Zoom 125 %']);
    key('f');
    expect(zoomReadouts()).toEqual(['Zoom 100 %']);
    key('4');
    await waitFor(() => expect(within(pane).getByTestId('wl-readout').textContent).toBe('WL 2048 / WW 2048'));
    key('t');
    await waitFor(() => expect(within(pane).queryByText('Doe^Jane')).toBeNull());
    key('ArrowDown');
    expect(onNavigateStudy).toHaveBeenCalledWith(1);

    // Letters typed in a field are text, not shortcuts.
    const field = document.createElement('input');
    document.body.appendChild(field);
    key('i', field);
    expect(screen.getByRole('button', { name: 'Invert' }).getAttribute('aria-pressed')).toBe('true');
    field.remove();

    key('?');
    const sheet = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(sheet).getByText('Invert grey scale')).toBeTruthy();
    // Esc closes the sheet first; it does not leave the study.
    fireEvent.keyDown(sheet, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(onBack).not.toHaveBeenCalled();
    key('Escape');
    expect(onBack).toHaveBeenCalledOnce();
  });

  it('compares with the prior the reader chooses, under CURRENT/PRIOR banners, with window/level linked on request', async () => {
    const client = setup();
    await screen.findByText('Spacing 0.150 × 0.150 mm (ImagerPixelSpacing)', undefined, { timeout: 5000 });
    fireEvent.click(await screen.findByRole('button', { name: 'Prior' }, { timeout: 5000 }));
    const banners = async () => (await screen.findAllByTestId('pane-banner', undefined, { timeout: 5000 })).map((b) => b.textContent);
    // The latest prior first.
    await waitFor(async () => expect(await banners()).toEqual(['CURRENT · 2024-05-01', 'PRIOR · 2023-01-10']));
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Compared with' }));
    fireEvent.click(await screen.findByRole('option', { name: '2019-03-01' }));
    await waitFor(async () => expect(await banners()).toEqual(['CURRENT · 2024-05-01', 'PRIOR · 2019-03-01']));
    expect(client.callsOf('studies:get').map((c) => c.studyId)).toContain(3);

    const priorPane = () => screen.getAllByTestId('viewer-viewport')[1]!.parentElement!;
    await within(priorPane()).findByTestId('wl-readout', undefined, { timeout: 5000 });
    fireEvent.click(screen.getByRole('button', { name: 'Link W/L' }));
    fireEvent.keyDown(document.body, { key: '4' });
    await waitFor(() => expect(within(priorPane()).getByTestId('wl-readout').textContent).toBe('WL 2048 / WW 2048'));
    expect(within(priorPane()).getByTestId('preset-readout').textContent).toBe('Window: linked to the current image');
    const currentPane = screen.getAllByTestId('viewer-viewport')[0]!.parentElement!;
    expect(within(currentPane).getByTestId('preset-readout').textContent).toBe('Window: high contrast');
  });
});
