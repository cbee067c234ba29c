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
    offeredProviders: ['cpu'],
    providers: { inUse: null, loaded: [], failed: [] },
    modelsDirs: ['/repo/models', '/home/u/.cxr/models'],
    ...over,
  };
  const client = new FakeClient({
    'models:list': () => list,
    'models:setSettings': (input) => {
      list = { ...list, activePackId: input.activePackId ?? list.activePackId, provider: input.provider ?? list.provider };
      return { activePackId: list.activePackId, provider: list.provider };
    },
    'calibration:get': ({ packId }) =>
      packId === 'tiny'
        ? {
            id: 1,
            packId: 'tiny',
            packVersion: '1.0',
            method: 'youden',
            targetSensitivity: null,
            source: 'labels.csv',
            imageCount: 80,
            createdAt: '2024-01-01',
            labels: [{ label: 'Effusion', threshold: 0.271, method: 'youden', sensitivity: 0.8, specificity: 0.7, auc: 0.8, positives: 10, negatives: 70 }],
          }
        : null,
  });
  const view = renderWithProviders(<SettingsDialog open onClose={() => undefined} />, client);
  return { client, ...view };
}

describe('SettingsDialog', () => {
  it('shows the models directories read-only, broken packs, and the thresholds in force with their source', async () => {
    setup();
    const dirs = (await screen.findByLabelText('Models directories')) as HTMLTextAreaElement;
    expect(dirs.value).toBe('/repo/models\n/home/u/.cxr/models');
    expect(dirs.readOnly).toBe(true);
    expect(screen.getByText('/models/bad: manifest.json: labels missing')).toBeTruthy();
    const effusion = (await screen.findByText('Effusion')).closest('tr')!;
    expect(within(effusion).getByText('0.271')).toBeTruthy();
    expect(within(effusion).getByText('site calibration')).toBeTruthy();
    const nodule = screen.getByText('Nodule').closest('tr')!;
    expect(within(nodule).getByText('0.300')).toBeTruthy();
    expect(within(nodule).getByText('model pack')).toBeTruthy();
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
