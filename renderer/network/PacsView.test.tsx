import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Job, NetworkSettings, ReceiverStatus, RemoteStudy } from '../../main/api/index.js';
import { FakeClient } from '../testing/fakeClient.js';
import { renderWithProviders } from '../testing/renderWithProviders.js';
import { PacsView } from './PacsView.js';

afterEach(cleanup);

const settings: NetworkSettings = {
  receiver: { enabled: true, aeTitle: 'CXRWS', port: 11112, bind: '0.0.0.0', acceptAnyCaller: false, checkCalledAeTitle: true, extraStorageClasses: [] },
  nodes: [{ kind: 'dimse', name: 'pacs', aeTitle: 'ORTHANC', host: 'pacs.local', port: 4242, retrieveMethod: 'move' }],
  sendOnSign: { enabled: false, node: null, secondaryCapture: false },
};
const study = (uid: string, localStudyId: number | null): RemoteStudy => ({
  studyInstanceUid: uid,
  patientId: 'P7',
  patientName: 'Doe, Jane',
  patientBirthDate: null,
  patientSex: 'F',
  studyDate: '2024-05-01',
  studyTime: null,
  accessionNumber: 'A1',
  description: `Chest ${uid}`,
  modalities: ['CR'],
  seriesCount: 1,
  instanceCount: 2,
  localStudyId,
});
const status: ReceiverStatus = {
  state: 'listening',
  aeTitle: 'CXRWS',
  port: 11112,
  bind: '0.0.0.0',
  error: null,
  since: '2026-01-01T00:00:00Z',
  counts: { associations: 1, rejectedAssociations: 0, stored: 3, duplicates: 0, quarantined: 0, indexed: 3, pendingIndex: 0 },
  recent: [],
};
const job = (patch: Partial<Job>): Job => ({ id: 'j1', kind: 'retrieve', state: 'running', done: 0, total: 2, failed: 0, rate: 0, etaSeconds: null, startedAt: '', finishedAt: null, message: null, ...patch });

describe('PacsView', () => {
  it('queries a node, retrieves a study with progress, opens what is already here, and shows what arrived', async () => {
    const client = new FakeClient({
      'network:settings': () => settings,
      'network:find': () => ({ node: 'pacs', studies: [study('1.2.1', null), study('1.2.2', 42)], truncated: false }),
      'network:retrieve': () => job({}),
      'network:receiverStatus': () => status,
      'network:quarantine': () => [],
    });
    const open = vi.fn();
    renderWithProviders(<PacsView onOpenStudy={open} />, client);
    expect(await screen.findByText('Listening as CXRWS on 0.0.0.0:11112')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Patient ID'), { target: { value: 'P7' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('2 studies on pacs')).toBeTruthy();
    expect(client.callsOf('network:find')[0]).toEqual({ node: 'pacs', patientId: 'P7' });

    const localRow = screen.getByText('Chest 1.2.2').closest('tr')!;
    fireEvent.click(within(localRow).getByRole('button', { name: 'Open' }));
    expect(open).toHaveBeenCalledWith(42);

    const remoteRow = screen.getByText('Chest 1.2.1').closest('tr')!;
    fireEvent.click(within(remoteRow).getByRole('button', { name: 'Retrieve' }));
    await waitFor(() => expect(client.callsOf('network:retrieve')).toEqual([{ node: 'pacs', studyInstanceUid: '1.2.1' }]));
    client.emit('jobs:onDidProgress', job({ done: 1 }));
    expect(await within(remoteRow).findByRole('progressbar', { name: 'Retrieve' })).toBeTruthy();
    fireEvent.click(within(remoteRow).getByRole('button', { name: 'Cancel' }));
    expect(client.callsOf('jobs:cancel')).toEqual([{ jobId: 'j1' }]);
    client.emit('jobs:onDidFinish', job({ state: 'done', done: 2, finishedAt: '2026-01-01T00:00:01Z' }));
    await waitFor(() => expect(client.callsOf('network:find')).toHaveLength(2));

    client.emit('network:onDidReceive', { at: '2026-01-01T10:00:00Z', kind: 'quarantined', callingAeTitle: 'XRAY1', peer: '10.0.0.5:4000', sopInstanceUid: '1.2.9', studyInstanceUid: null, studyId: null, detail: 'malformed: no Study Instance UID' });
    expect(await screen.findByText('Quarantined')).toBeTruthy();
    expect(screen.getByText(/malformed: no Study Instance UID/)).toBeTruthy();
  });

  it('says how to add a node when none is configured', async () => {
    const client = new FakeClient({ 'network:settings': () => ({ ...settings, nodes: [] }), 'network:receiverStatus': () => ({ ...status, state: 'stopped' }), 'network:quarantine': () => [] });
    renderWithProviders(<PacsView onOpenStudy={() => undefined} />, client);
    expect(await screen.findByText(/No DICOM node is configured yet/)).toBeTruthy();
    expect(await screen.findByText('Receiver off')).toBeTruthy();
  });
});
