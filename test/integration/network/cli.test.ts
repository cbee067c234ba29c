import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/main.js';
import { freePort } from '../../helpers/processes.js';
import { tempCore } from '../../helpers/tempCore.js';

async function cxr(dataDir: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--data-dir', dataDir, ...argv], { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cxr dicom: nodes and settings', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cxr-dicom-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('adds, lists, edits and removes DIMSE and DICOMweb nodes', async () => {
    expect((await cxr(dataDir, 'dicom', 'nodes')).out).toMatch(/no remote nodes/);
    expect((await cxr(dataDir, 'dicom', 'nodes', 'add', 'pacs', '--aet', 'ORTHANC', '--host', 'pacs.local', '--port', '4242')).out).toMatch(/added node pacs: ORTHANC@pacs.local:4242 \(DIMSE, retrieve by C-MOVE\)/);
    expect((await cxr(dataDir, 'dicom', 'nodes', 'add', 'web', '--url', 'http://pacs.local:8042/dicom-web')).code).toBe(0);
    expect((await cxr(dataDir, 'dicom', 'nodes', 'add', 'pacs', '--aet', 'ORTHANC', '--host', 'pacs.local', '--port', '4242', '--get')).out).toMatch(/updated node pacs: .*C-GET/);
    const list = await cxr(dataDir, 'dicom', 'nodes');
    expect(list.out).toMatch(/pacs +ORTHANC@pacs.local:4242 \(DIMSE, retrieve by C-GET\)/);
    expect(list.out).toMatch(/web +http:\/\/pacs.local:8042\/dicom-web \(DICOMweb\)/);
    expect((await cxr(dataDir, 'dicom', 'nodes', 'remove', 'web')).code).toBe(0);
    expect((await cxr(dataDir, 'dicom', 'nodes')).out).not.toMatch(/web/);
  });

  it('configures the receiver and send-on-sign, and refuses bad values with a message', async () => {
    const on = await cxr(dataDir, 'dicom', 'config', '--enable', '--aet', 'READING1', '--port', '11113', '--bind', '127.0.0.1', '--send-on-sign', 'pacs');
    expect(on.out).toMatch(/receiver: enabled, AE title READING1, 127.0.0.1:11113, configured nodes only/);
    expect(on.out).toMatch(/send on sign: to pacs/);
    expect((await cxr(dataDir, 'dicom', 'config', '--send-on-sign', 'nowhere')).err).toMatch(/send on sign needs one of the configured nodes/);
    expect((await cxr(dataDir, 'dicom', 'config', '--aet', 'A\\B')).code).toBe(1);
    expect((await cxr(dataDir, 'dicom', 'config', '--port', '70000')).code).toBe(2);
    expect((await cxr(dataDir, 'dicom', 'nodes', 'add', 'x', '--aet', 'X')).code).toBe(2);
    expect((await cxr(dataDir, 'dicom', 'find', 'nowhere')).err).toMatch(/no DICOM node named "nowhere"/);
    expect((await cxr(dataDir, 'dicom', 'frobnicate')).code).toBe(2);
    // Removing the node sends were going to turns send-on-sign off rather than leaving it pointing nowhere.
    await cxr(dataDir, 'dicom', 'nodes', 'remove', 'pacs');
    expect((await cxr(dataDir, 'dicom', 'config')).out).toMatch(/send on sign: off/);
  });
});

describe('the receiver in the process that hosts it', () => {
  it('starts and stops with the settings there, while other processes only store the settings', async () => {
    const t = tempCore();
    try {
      const port = await freePort();
      await t.call('network:updateSettings', { receiver: { enabled: true, port, bind: '127.0.0.1' } });
      expect((await t.call('network:receiverStatus', {})).state).toBe('stopped'); // not the hosting process (yet)
      expect((await t.call('network:receiverStart', { onlyIfEnabled: true })).state).toBe('listening');
      await t.call('network:updateSettings', { receiver: { enabled: false } });
      expect((await t.call('network:receiverStatus', {})).state).toBe('stopped');
      await t.call('network:updateSettings', { receiver: { enabled: true } });
      const s = await t.call('network:receiverStatus', {});
      expect(s).toMatchObject({ state: 'listening', port, bind: '127.0.0.1', aeTitle: 'CXRWS' });
    } finally {
      await t.close();
    }
  });
});
