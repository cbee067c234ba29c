import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverEvent } from '../../../main/api/network.js';
import { runCli } from '../../../main/cli/main.js';
import { echoscu, storescu } from '../../helpers/dcmtk.js';
import { run, waitFor } from '../../helpers/processes.js';
import { systemTool } from '../../helpers/systemTools.js';
import { hasShared, sharedPath } from '../../helpers/shared.js';
import { tempCore, type TempCore } from '../../helpers/tempCore.js';

const tools = [systemTool('storescu', 'dcmtk'), systemTool('echoscu', 'dcmtk'), systemTool('dcmodify', 'dcmtk')];
const skip = !hasShared || tools.some((t) => t.skip);
const CXR = hasShared ? readdirSync(sharedPath('data', 'dicom', 'cxr')).filter((f) => f.endsWith('.dcm')).map((f) => sharedPath('data', 'dicom', 'cxr', f)) : [];

async function cxr(dataDir: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--data-dir', dataDir, ...argv], { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe.skipIf(skip)('DICOM receiver (Storage and Verification SCP) against dcmtk', () => {
  let t: TempCore;
  let port = 0;
  const events: ReceiverEvent[] = [];
  const peer = () => ({ port, aeTitle: 'CXRWS' });
  const received = () => join(t.dataDir, 'dicom-node', 'received');
  const instanceCount = () => t.db().statement('SELECT count(*) FROM instances').pluck().get() as number;

  beforeAll(async () => {
    for (const tool of tools) tool.require();
    t = tempCore();
    t.core.subscribe('network:onDidReceive', (e) => events.push(e));
    await t.call('network:saveNode', { node: { kind: 'dimse', name: 'xray-room-1', aeTitle: 'MODALITY', host: '127.0.0.1', port: 104 } });
    const s = await t.call('network:receiverStart', { aeTitle: 'CXRWS', port: 0, bind: '127.0.0.1' });
    expect(s.state, s.error ?? '').toBe('listening');
    port = s.port;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers C-ECHO from a configured node (echoscu)', async () => {
    const r = await echoscu('MODALITY', peer());
    expect(r.code, r.output).toBe(0);
  });

  it('keeps serving others while a peer sends garbage or connects and says nothing', async () => {
    const idle = createConnection({ port, host: '127.0.0.1' });
    const junk = createConnection({ port, host: '127.0.0.1' }, () => junk.end(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(50))));
    junk.on('error', () => undefined);
    idle.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 300));
    try {
      const r = await echoscu('MODALITY', peer());
      expect(r.code, r.output).toBe(0);
    } finally {
      idle.destroy();
      junk.destroy();
    }
  });

  it('rejects an association from an unknown calling AE title, and says so', async () => {
    const r = await echoscu('STRANGER', peer());
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/Calling AE Title Not Recognized/i);
    const status = await t.call('network:receiverStatus', {});
    expect(status.counts.rejectedAssociations).toBeGreaterThanOrEqual(1);
    expect(status.recent.find((e) => e.kind === 'association-rejected')?.detail).toMatch(/"STRANGER" is not a configured node/);
  });

  it('indexes the real chest DICOMs storescu sends (compressed ones as sent), and a second send duplicates nothing', async () => {
    const r = await storescu('MODALITY', peer(), CXR);
    expect(r.code, r.output).toBe(0);
    await waitFor('the 4 objects to be indexed', () => instanceCount() === 4, 60_000);
    const list = await t.call('studies:list', { limit: 50 });
    expect(list.total).toBe(4);
    // Stored exactly as sent: the JPEG 2000 and JPEG baseline objects keep their transfer syntax.
    const syntaxes = t.db().statement('SELECT transfer_syntax_uid FROM instances ORDER BY transfer_syntax_uid').pluck().all();
    expect(syntaxes).toEqual(expect.arrayContaining(['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.91']));
    const files = readdirSync(received(), { recursive: true }).filter((f) => String(f).endsWith('.dcm'));
    expect(files).toHaveLength(4);
    // Analysed in the import's own pass (a pack is installed, so the site's default is on), without the receiver
    // asking: the same pipeline and rules as analysis:start, one audit entry per image.
    const analysed = () => t.db().statement('SELECT count(DISTINCT instance_id) FROM analyses').pluck().get() as number;
    await waitFor('the 4 objects to be analysed', () => analysed() === 4, 60_000);
    expect((await t.call('audit:list', { action: 'analyse', limit: 10 })).items).toHaveLength(4);

    const again = await storescu('MODALITY', peer(), CXR);
    expect(again.code, again.output).toBe(0);
    await waitFor('the duplicates to be reported', () => events.filter((e) => e.kind === 'duplicate').length === 4, 30_000);
    const status = await t.call('network:receiverStatus', {});
    await waitFor('the index to settle', async () => (await t.call('network:receiverStatus', {})).counts.pendingIndex === 0, 30_000);
    expect(instanceCount()).toBe(4);
    expect(readdirSync(received(), { recursive: true }).filter((f) => String(f).endsWith('.dcm'))).toHaveLength(4);
    expect(status.counts.stored).toBe(4);
    expect(status.counts.duplicates).toBe(4);
    expect(readdirSync(join(t.dataDir, 'dicom-node', 'pending'))).toEqual([]);
  });

  it('answers a malformed object with a failure status and quarantines it with the reason, named by the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cxr-malformed-'));
    try {
      const bad = join(dir, 'no-study-uid.dcm');
      writeFileSync(bad, readFileSync(CXR.find((f) => f.includes('jpegbaseline'))!));
      const mod = await run('dcmodify', ['-nb', '-ea', '(0020,000d)', '-ma', '(0008,0018)=1.2.826.0.1.3680043.10.99.1', bad]);
      expect(mod.code, mod.output).toBe(0);
      const r = await storescu('MODALITY', peer(), [bad], true);
      expect(r.output).toMatch(/Received Store Response \(Error: CannotUnderstand\)/);
      const q = await t.call('network:quarantine', { limit: 10 });
      expect(q[0]?.reason).toMatch(/no Study Instance UID/);
      expect(q[0]?.callingAeTitle).toBe('MODALITY');
      expect(existsSync(q[0]!.file)).toBe(true);
      const cli = await cxr(t.dataDir, 'dicom', 'quarantine');
      expect(cli.out).toContain('1.2.826.0.1.3680043.10.99.1');
      expect(cli.out).toMatch(/no Study Instance UID/);
      expect(instanceCount()).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves nothing half stored when an association is cut in the middle of an object', async () => {
    // A relay between storescu and the receiver that cuts both connections after 300 kB of a 1 MB object.
    const big = CXR.find((f) => f.includes('nih_google'))!;
    const dir = mkdtempSync(join(tmpdir(), 'cxr-abort-'));
    const copy = join(dir, 'copy.dcm');
    writeFileSync(copy, readFileSync(big));
    await run('dcmodify', ['-nb', '-ma', '(0008,0018)=1.2.826.0.1.3680043.10.99.2', copy]);
    let relayed = 0;
    const relay: Server = createServer((client) => {
      const upstream = createConnection({ port, host: '127.0.0.1' });
      upstream.pipe(client);
      client.on('data', (d) => {
        relayed += d.length;
        upstream.write(d);
        if (relayed > 300_000) {
          client.destroy();
          upstream.destroy();
        }
      });
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    try {
      const relayPort = (relay.address() as { port: number }).port;
      const r = await storescu('MODALITY', { port: relayPort, aeTitle: 'CXRWS' }, [copy]);
      expect(r.code).not.toBe(0);
      await waitFor('the partial file to be removed', () => readdirSync(join(t.dataDir, 'dicom-node', 'partial')).length === 0, 10_000);
      const stored = readdirSync(received(), { recursive: true }).map(String);
      expect(stored.some((f) => f.includes('1.2.826.0.1.3680043.10.99.2'))).toBe(false);
      expect(instanceCount()).toBe(4);
    } finally {
      relay.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
