import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelList, ModelPack } from '../../main/api/index.js';
import { FakeClient } from '../testing/fakeClient.js';
import { renderWithProviders } from '../testing/renderWithProviders.js';
import { SettingsDialog } from './SettingsDialog.js';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function pack(id: string, active: boolean): ModelPack {
  return {
    id,
    version: '1.0',
    title: `Pack ${id}`,
    dir: `/models/${id}`,
    intendedUse: 'Demonstration only',
    labels: ['Effusion', 'Nodule'],
    input: { width: 224, height: 224, channels: 3 },
    embeddingDim: 64,
    hasCam: true,
    packThresholds: { Effusion: 0.4, Nodule: 0.3 },
    card: null,
    active,
  };
}

function setup(over: Partial<ModelList> = {}) {
  let list: ModelList = {
    packs: [pack('tiny', true), pack('dense', false)],
    broken: [{ dir: '/models/bad', error: 'manifest.json: labels missing' }],
    activePackId: 'tiny',
    provider: 'auto',
    analyseOnImport: true,
    offeredProviders: ['cpu'],
    providers: { inUse: null, loaded: [], failed: [] },
    modelsDirs: ['/repo/models', '/home/u/.cxr/models'],
    ...over,
  };
  const client = new FakeClient({
    'models:list': () => list,
    'models:setSettings': (input) => {
      list = {
        ...list,
        activePackId: input.activePackId ?? list.activePackId,
        provider: input.provider ?? list.provider,
        analyseOnImport: input.analyseOnImport ?? list.analyseOnImport,
      };
      return { activePackId: list.activePackId, provider: list.provider, analyseOnImport: list.analyseOnImport };
    },
    'operatingPoints:get': ({ packId }) => {
      const calibrated = packId === 'tiny';
      return {
        packId: packId ?? 'tiny',
        packVersion: '1.0',
        calibrationId: calibrated ? 1 : null,
        version: calibrated ? 'site calibration #1: 1 of 2 labels validated (Effusion 0.271)' : 'p 1.0 shipped thresholds: 2 of 2 labels validated',
        labels: calibrated
          ? [
              { label: 'Effusion', operatingPoint: { status: 'validated' as const, threshold: 0.271, source: 'calibration' as const, provenance: 'site calibration #1: 14 positives, AUC 0.80 (95% CI 0.68–0.90)' } },
              { label: 'Nodule', operatingPoint: { status: 'not_calibrated' as const, reason: 'site calibration #1 refused it: 4 positive cases in the set (needs at least 10); the pack ships no threshold' } },
            ]
          : [
              { label: 'Effusion', operatingPoint: { status: 'validated' as const, threshold: 0.4, source: 'pack' as const, provenance: 'shipped with dense 1.0' } },
              { label: 'Nodule', operatingPoint: { status: 'validated' as const, threshold: 0.3, source: 'pack' as const, provenance: 'shipped with dense 1.0' } },
            ],
        calibration: calibrated
          ? {
              id: 1,
              packId: 'tiny',
              packVersion: '1.0',
              method: 'youden' as const,
              targetSensitivity: null,
              source: 'labels.csv',
              imageCount: 80,
              createdAt: '2024-01-01',
              labels: [
                { label: 'Effusion', threshold: 0.271, method: 'youden', validated: true, refusal: null, sensitivity: 0.8, sensitivityCi: { low: 0.55, high: 0.93 }, specificity: 0.7, specificityCi: { low: 0.58, high: 0.8 }, auc: 0.8, aucCi: { low: 0.68, high: 0.9 }, positives: 14, negatives: 66 },
                { label: 'Nodule', threshold: null, method: 'youden', validated: false, refusal: '4 positive cases in the set (needs at least 10)', sensitivity: 0.75, sensitivityCi: { low: 0.3, high: 0.95 }, specificity: 0.6, specificityCi: { low: 0.5, high: 0.7 }, auc: 0.7, aucCi: { low: 0.45, high: 0.9 }, positives: 4, negatives: 76 },
              ],
            }
          : null,
      };
    },
  });
  const view = renderWithProviders(<SettingsDialog open onClose={() => undefined} />, client);
  return { client, ...view };
}

describe('SettingsDialog', () => {
  it('shows the models directories read-only, broken packs, and the operating points in force with their evidence and refusals', async () => {
    setup();
    const dirs = (await screen.findByLabelText('Models directories')) as HTMLTextAreaElement;
    expect(dirs.value).toBe('/repo/models\n/home/u/.cxr/models');
    expect(dirs.readOnly).toBe(true);
    expect(screen.getByText('/models/bad: manifest.json: labels missing')).toBeTruthy();
    const effusion = (await screen.findByText('Effusion')).closest('tr')!;
    expect(within(effusion).getByText('0.271')).toBeTruthy();
    expect(within(effusion).getByText('site calibration')).toBeTruthy();
    expect(within(effusion).getByText('14/80')).toBeTruthy();
    expect(within(effusion).getByText('0.80 [0.68–0.90]')).toBeTruthy();
    expect(within(effusion).getByText('0.80 [0.55–0.93]')).toBeTruthy();
    expect(within(effusion).getByText('validated')).toBeTruthy();
    // Refused by the calibration: no threshold, "not calibrated", and why.
    const nodule = screen.getByText('Nodule').closest('tr')!;
    expect(within(nodule).getByText('–', { selector: 'td' })).toBeTruthy();
    expect(within(nodule).getByText('not calibrated')).toBeTruthy();
    expect(within(nodule).getByText(/^refused: site calibration #1 refused it: 4 positive cases/)).toBeTruthy();
    expect(screen.getByText(/called only at a validated operating point/)).toBeTruthy();
    expect(screen.getByTestId('calibration-source').textContent).toBe('Site calibration #1: 80 images from labels.csv');
    expect(screen.getByText(/cannot be changed from here/)).toBeTruthy();
  });

  it('chooses the active pack through models:setSettings and then shows that pack’s thresholds', async () => {
    const { client } = setup();
    fireEvent.mouseDown(await screen.findByRole('combobox', { name: 'Model pack' }));
    fireEvent.click(await screen.findByRole('option', { name: 'Pack dense (dense 1.0)' }));
    await waitFor(() => expect(client.callsOf('models:setSettings')).toEqual([{ activePackId: 'dense' }]));
    await waitFor(() => expect(within(screen.getByText('Effusion').closest('tr')!).getByText('model pack')).toBeTruthy());
    // Providers that never loaded here are not offered at all (see the providers test below).
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Execution provider' }));
    await screen.findByRole('option', { name: 'cpu' });
    expect(screen.queryByRole('option', { name: 'cuda' })).toBeNull();
  });

  it('turns analysis during import off and on through models:setSettings', async () => {
    const { client } = setup();
    const toggle = await screen.findByRole('switch', { name: 'Analyse new images during import' });
    expect((toggle as HTMLInputElement).checked).toBe(true);
    fireEvent.click(toggle);
    await waitFor(() => expect(client.callsOf('models:setSettings')).toEqual([{ analyseOnImport: false }]));
    await waitFor(() => expect((screen.getByRole('switch', { name: 'Analyse new images during import' }) as HTMLInputElement).checked).toBe(false));
  });

  it('switches the whole UI language and remembers it', async () => {
    const { i18n } = setup();
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Language' }));
    fireEvent.click(await screen.findByRole('option', { name: 'Español' }));
    await screen.findByText('Ajustes');
    expect(i18n.language).toBe('es');
    expect(localStorage.getItem('cxr.language')).toBe('es');
    expect(await screen.findByText('Umbrales vigentes')).toBeTruthy();
  });

  it('lists the execution providers that actually loaded, and why the others did not', async () => {
    setup({
      offeredProviders: ['cpu', 'cuda', 'webgpu', 'dml'],
      providers: { inUse: 'cpu', loaded: ['cpu'], failed: [{ provider: 'cuda', reason: 'libcudart.so.12: cannot open shared object file' }] },
    });
    expect(await screen.findByText('The model runs on cpu; loaded in this session: cpu')).toBeTruthy();
    expect(screen.getByTestId('provider-failed').textContent).toBe('cuda did not load: libcudart.so.12: cannot open shared object file');
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Execution provider' }));
    const options = (await screen.findAllByRole('option')).map((o) => o.textContent);
    expect(options).toEqual(['Automatic (best available)', 'cpu']);
  });
});
