import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startStorescu } from '../../helpers/dcmtk.js';
import { sopInstanceUidOf, writeDicomCopies } from '../../helpers/dicomCopies.js';
import { freePort, startProcess, waitFor, type Started } from '../../helpers/processes.js';
import { systemTool } from '../../helpers/systemTools.js';
import { hasShared, projectRoot, sharedPath } from '../../helpers/shared.js';
import { tempCore } from '../../helpers/tempCore.js';

const tools = [systemTool('storescu', 'dcmtk')];
const skip = !hasShared || tools.some((t) => t.skip);
const ENTRY = join(projectRoot, 'test', 'helpers', 'cxrEntry.ts');

/** The workstation's receiver as its own process (`cxr dicom listen`), as `npm start` runs it. */
function startWorkstation(dataDir: string, port: number): Started {
  return startProcess(process.execPath, ['--import', 'tsx', ENTRY, '--data-dir', dataDir, 'dicom', 'listen', '--aet', 'CXRWS', '--port', String(port), '--bind', '127.0.0.1'], { cwd: projectRoot });
}

/** The files storescu had an answer "success" for, from its verbose log. */
function answeredSuccess(log: string): string[] {
  const out: string[] = [];
  let current: string | null = null;
  for (const line of log.split('\n')) {
    const sending = /^I: Sending file: (.+)$/.exec(line);
    if (sending) current = sending[1]!;
    else if (current && /^I: Received Store Response \(Success\)/.test(line)) out.push(current);
  }
  return out;
}

describe.skipIf(skip)('a workstation killed during a storescu', () => {
  const work = mkdtempSync(join(tmpdir(), 'cxr-crash-'));
  const dataDir = join(work, 'data');
  const started: Started[] = [];
  afterAll(async () => {
    for (const p of started) await p.stop(1_000);
    rmSync(work, { recursive: true, force: true });
  });

  it('indexes after restart every object it had answered "success" for, and keeps no partial file', async () => {
    for (const tool of tools) tool.require();
    const files = writeDicomCopies([sharedPath('data', 'dicom', 'cxr', 'rsna_CR_jpegbaseline_1024.dcm')], join(work, 'copies'), 400, 20);
    const setup = tempCore({ dataDir });
    await setup.call('network:saveNode', { node: { kind: 'dimse', name: 'modality', aeTitle: 'MODALITY', host: '127.0.0.1', port: 104 } });
    await setup.close();
    const port = await freePort();

    const first = startWorkstation(dataDir, port);
    started.push(first);
    await waitFor('the receiver to listen', () => /listening as CXRWS/.test(first.output()), 60_000);
    const sender = startStorescu('MODALITY', { port, aeTitle: 'CXRWS' }, files);
    started.push(sender);
    await waitFor('100 objects answered', () => answeredSuccess(sender.output()).length >= 100, 120_000, 20);
    first.child.kill('SIGKILL');
    await first.exited;
    await sender.exited;
    const answered = answeredSuccess(sender.output());
    expect(answered.length).toBeGreaterThanOrEqual(100);
    expect(answered.length).toBeLessThan(files.length);

    const second = startWorkstation(dataDir, port);
    started.push(second);
    await waitFor('the receiver to listen again', () => /listening as CXRWS/.test(second.output()), 60_000);
    const check = tempCore({ dataDir });
    try {
      const indexed = (uid: string) => (check.db().statement('SELECT count(*) FROM instances WHERE sop_instance_uid = ?').pluck().get(uid) as number) > 0;
      const expected = answered.map(sopInstanceUidOf);
      await waitFor('every answered object to be indexed', () => expected.every(indexed), 180_000, 500);
      expect(expected.filter((u) => !indexed(u))).toEqual([]);
      expect(readdirSync(join(dataDir, 'dicom-node', 'partial'))).toEqual([]);
      await waitFor('the pending markers to clear', () => readdirSync(join(dataDir, 'dicom-node', 'pending')).length === 0, 60_000, 500);
    } finally {
      await check.close();
      await second.stop();
    }
  });
});
