import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { NetworkSettings } from '../../main/api/index.js';
import { FakeClient } from '../testing/fakeClient.js';
import { renderWithProviders } from '../testing/renderWithProviders.js';
import { NetworkSettings as NetworkSettingsSection } from './NetworkSettings.js';

afterEach(cleanup);

const settings: NetworkSettings = {
  receiver: { enabled: true, aeTitle: 'CXRWS', port: 11112, bind: '0.0.0.0', acceptAnyCaller: false, checkCalledAeTitle: true, extraStorageClasses: [] },
  nodes: [{ kind: 'dimse', name: 'pacs', aeTitle: 'ORTHANC', host: 'pacs.local', port: 4242, retrieveMethod: 'move' }],
  sendOnSign: { enabled: false, node: null, secondaryCapture: false },
};
describe('NetworkSettings', () => {
  it('turns the receiver on, adds a node, and tests the connection', async () => {
    let current = { ...settings, receiver: { ...settings.receiver, enabled: false } };
    const client = new FakeClient({
      'network:settings': () => current,
      'network:updateSettings': (input) => (current = { ...current, receiver: { ...current.receiver, ...input.receiver } }),
      'network:saveNode': (input) => (current = { ...current, nodes: [...current.nodes, input.node as NetworkSettings['nodes'][number]] }).nodes,
      'network:echo': ({ node }) => ({ node, ok: false, milliseconds: 0, message: `${node} (X@h:1): Connection error: connect ECONNREFUSED` }),
    });
    renderWithProviders(<NetworkSettingsSection />, client);
    fireEvent.click(await screen.findByRole('switch', { name: /Receive images/ }));
    await waitFor(() => expect(client.callsOf('network:updateSettings')).toEqual([{ receiver: { enabled: true } }]));

    fireEvent.click(screen.getByRole('button', { name: 'Add node' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'web' } });
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Type' }));
    fireEvent.click(await screen.findByRole('option', { name: 'DICOMweb (URL)' }));
    fireEvent.change(screen.getByLabelText('DICOMweb URL'), { target: { value: 'http://pacs.local/dicom-web' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(client.callsOf('network:saveNode')).toEqual([{ node: { kind: 'dicomweb', name: 'web', url: 'http://pacs.local/dicom-web' } }]));
    expect(await screen.findByText('http://pacs.local/dicom-web')).toBeTruthy();

    fireEvent.click(screen.getAllByRole('button', { name: 'Test connection' })[0]!);
    expect(await screen.findByText(/ECONNREFUSED/)).toBeTruthy();
  });
});
