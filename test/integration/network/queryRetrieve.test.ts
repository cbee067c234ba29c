import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/main.js';
import { AnalysisRepository } from '../../../main/db/analysisRepository.js';
import { BASIC_TEXT_SR } from '../../../main/reports/export/dicomSr.js';
import { parseDicom } from '../../../main/dicom/index.js';
import { storescu } from '../../helpers/dcmtk.js';
import { writeDicomCopies } from '../../helpers/dicomCopies.js';
import { orthancTools, startOrthanc, type Orthanc } from '../../helpers/orthanc.js';
import { freePort, waitFor } from '../../helpers/processes.js';
import { systemTool } from '../../helpers/systemTools.js';
import { hasShared, sharedPath } from '../../helpers/shared.js';
import { tempCore, type TempCore } from '../../helpers/tempCore.js';

const tools = [...orthancTools(), systemTool('storescu', 'dcmtk')];
const skip = !hasShared || tools.some((t) => t.skip);
const CXR = hasShared ? readdirSync(sharedPath('data', 'dicom', 'cxr')).filter((f) => f.endsWith('.dcm')).map((f) => sharedPath('data', 'dicom', 'cxr', f)) : [];

const RG1_STUDY = '1.3.6.1.4.1.5962.1.2.9.20040826185059.5457'; // JPEG 2000, patient 9RG1
const RSNA_STUDY = '1.2.276.0.7230010.3.1.2.8323329.6904.1517875201.850818'; // JPEG baseline
const NIH_STUDY = '1.3.6.1.4.1.11129.5.5.112507010803284478207522016832191866964708'; // implicit LE, patient Covid0000
const MONO1_STUDY = '1.2.392.200036.9125.0.199302241758.16';

async function cxr(dataDir: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--data-dir', dataDir, ...argv], { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The reader's own words: a report is signed only with its Findings and Impression written. */
async function writeReader(t: TempCore, reportId: number) {
  await t.call('reports:save', {
    reportId,
    sections: [
      { name: 'findings', text: 'Lungs clear. Heart size normal.' },
      { name: 'impression', text: 'No acute cardiopulmonary abnormality.' },
    ],
  });
}

/** Drafts, writes and signs a report on a local study (no AI), so that there is a signed SR to send. */
async function signedReport(t: TempCore, studyId: number) {
  const draft = await t.call('reports:draft', { studyId });
  await writeReader(t, draft.id);
  return t.call('reports:setState', { reportId: draft.id, state: 'final' });
}

describe.skipIf(skip)('query/retrieve and send against a real PACS (Orthanc), over DIMSE and DICOMweb', () => {
  let orthanc: Orthanc;
  let t: TempCore;
  let receiverPort = 0;
  const localStudy = (uid: string) => t.db().statement('SELECT id FROM studies WHERE study_instance_uid = ?').pluck().get(uid) as number | undefined;

  beforeAll(async () => {
    for (const tool of tools) tool.require();
    receiverPort = await freePort();
    orthanc = await startOrthanc({ modalities: [{ aeTitle: 'MODALITY', port: 104 }, { aeTitle: 'CXRWS', port: receiverPort }], dicomweb: true });
    const load = await storescu('MODALITY', { port: orthanc.dicomPort, aeTitle: orthanc.aeTitle }, CXR);
    expect(load.code, load.output).toBe(0);
    t = tempCore();
    // Retrieved studies are analysed only where a test asks (analysis:start after a calibration): analysed on import,
    // the study signed below would freeze that analysis, and the key-image test would find it instead of its own.
    // test/integration/network/receiver.test.ts covers analysis in the import's pass for received objects.
    await t.call('models:setSettings', { analyseOnImport: false });
    // Who signs and sends is the core's reader, set here as a site sets it (Settings, or cxr reader NAME).
    await t.call('reader:set', { name: 'Dr Test' });
    await t.call('network:updateSettings', { receiver: { aeTitle: 'CXRWS', port: receiverPort, bind: '127.0.0.1' } });
    await t.call('network:saveNode', { node: { kind: 'dimse', name: 'pacs', aeTitle: orthanc.aeTitle, host: '127.0.0.1', port: orthanc.dicomPort } });
    await t.call('network:saveNode', { node: { kind: 'dicomweb', name: 'pacs-web', url: orthanc.dicomWebUrl } });
  });
  afterAll(async () => {
    await t?.close();
    await orthanc?.stop();
  });

  it('tests the connection: C-ECHO and a QIDO-RS request', async () => {
    expect(await t.call('network:echo', { node: 'pacs' })).toMatchObject({ ok: true });
    expect(await t.call('network:echo', { node: 'pacs-web' })).toMatchObject({ ok: true });
    const refused = await t.call('network:saveNode', { node: { kind: 'dimse', name: 'nowhere', aeTitle: 'X', host: '127.0.0.1', port: await freePort() } }).then(() => t.call('network:echo', { node: 'nowhere' }));
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/nowhere .*ECONNREFUSED/);
    await t.call('network:removeNode', { node: 'nowhere' });
  });

  it.each(['pacs', 'pacs-web'])('finds studies on %s by patient ID, name prefix, date range and modality', async (node) => {
    const byId = await t.call('network:find', { node, patientId: '9RG1' });
    expect(byId.studies.map((s) => s.studyInstanceUid)).toEqual([RG1_STUDY]);
    expect(byId.studies[0]).toMatchObject({ patientName: 'CompressedSamples, RG1', studyDate: '2004-08-26', modalities: ['CR'], localStudyId: null });
    const byName = await t.call('network:find', { node, patientName: 'compressedsamples' });
    expect(byName.studies.map((s) => s.studyInstanceUid)).toEqual([RG1_STUDY]);
    const byDate = await t.call('network:find', { node, from: '2004-08-01', to: '2004-08-31' });
    expect(byDate.studies.map((s) => s.studyInstanceUid)).toContain(RG1_STUDY);
    const cr = await t.call('network:find', { node, modality: 'CR' });
    expect(cr.studies.every((s) => s.modalities.includes('CR'))).toBe(true);
    expect(cr.studies.length).toBeGreaterThanOrEqual(2);
  });

  it('retrieves a study by C-MOVE to our receiver and imports it (the receiver is started for the move)', async () => {
    const job = await t.call('network:retrieve', { node: 'pacs', studyInstanceUid: RG1_STUDY, method: 'move' });
    const done = await t.wait(job.id);
    expect(done.state, done.message ?? '').toBe('done');
    expect(done.done).toBe(1);
    const id = localStudy(RG1_STUDY);
    expect(id).toBeDefined();
    const study = await t.call('studies:get', { studyId: id! });
    expect(study.series[0]!.instances[0]!.transferSyntaxUid).toBe('1.2.840.10008.1.2.4.91');
    expect((await t.call('network:receiverStatus', {})).state).toBe('stopped');
    const found = await t.call('network:find', { node: 'pacs', patientId: '9RG1' });
    expect(found.studies[0]!.localStudyId).toBe(id);
  });

  it('retrieves a study by C-GET from the command line and imports it', async () => {
    const r = await cxr(t.dataDir, 'dicom', 'retrieve', 'pacs', RSNA_STUDY, '--method', 'get');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/1 object\(s\) retrieved from pacs, 0 failed/);
    expect(r.out).toMatch(/study indexed as \d+/);
    const id = localStudy(RSNA_STUDY);
    expect(id).toBeDefined();
    const study = await t.call('studies:get', { studyId: id! });
    expect(study.series[0]!.instances[0]!.transferSyntaxUid).toBe('1.2.840.10008.1.2.4.50');
  });

  it('sends the signed report as DICOM SR into the same study on the PACS (C-STORE), audited', async () => {
    const studyId = localStudy(RG1_STUDY)!;
    const report = await signedReport(t, studyId);
    const r = await cxr(t.dataDir, 'dicom', 'send', String(studyId), '--to', 'pacs');
    expect(r.code, r.err + r.out).toBe(0);
    expect(r.out).toMatch(/sent report \(DICOM SR\) [\d.]+ to pacs: 0000/);
    const inPacs = await orthanc.sopClassesInStudy(RG1_STUDY);
    expect(inPacs.map((i) => i.sopClassUid)).toContain(BASIC_TEXT_SR);
    expect(inPacs).toHaveLength(2);
    const audit = await t.call('audit:list', { action: 'send', studyId });
    expect(audit.items[0]).toMatchObject({ actor: 'Dr Test', entityId: String(report.id) });
    expect(audit.items[0]!.detail).toMatchObject({ node: 'pacs', objects: [expect.objectContaining({ ok: true })] });
  });

  it('refuses to send a study without a signed report', async () => {
    const studyId = localStudy(RSNA_STUDY)!;
    await expect(t.call('network:send', { studyId, node: 'pacs' })).rejects.toThrow(/no signed report/);
  });

  it('sends automatically on sign where the site asked for it', async () => {
    await t.call('network:updateSettings', { sendOnSign: { enabled: true, node: 'pacs' } });
    try {
      const studyId = localStudy(RSNA_STUDY)!;
      await signedReport(t, studyId);
      await waitFor('the automatic send to be audited', async () => (await t.call('audit:list', { action: 'send', studyId })).total === 1, 30_000);
      const entry = (await t.call('audit:list', { action: 'send', studyId })).items[0]!;
      expect(entry.detail).toMatchObject({ node: 'pacs', objects: [expect.objectContaining({ kind: 'sr', ok: true })] });
      expect((await orthanc.sopClassesInStudy(RSNA_STUDY)).map((i) => i.sopClassUid)).toContain(BASIC_TEXT_SR);
    } finally {
      await t.call('network:updateSettings', { sendOnSign: { enabled: false } });
    }
  });

  it('does the same through DICOMweb: WADO-RS retrieve and STOW-RS send', async () => {
    const job = await t.call('network:retrieve', { node: 'pacs-web', studyInstanceUid: NIH_STUDY });
    const done = await t.wait(job.id);
    expect(done.state, done.message ?? '').toBe('done');
    const id = localStudy(NIH_STUDY);
    expect(id).toBeDefined();
    await signedReport(t, id!);
    const sent = await t.call('network:send', { studyId: id!, node: 'pacs-web' });
    expect(sent.objects).toEqual([expect.objectContaining({ kind: 'sr', ok: true, studyInstanceUid: NIH_STUDY })]);
    const inPacs = await orthanc.sopClassesInStudy(NIH_STUDY);
    expect(inPacs.map((i) => i.sopClassUid)).toContain(BASIC_TEXT_SR);
  });

  it('sends, with the report, the AI key image as a Secondary Capture labelled as AI output, into the same study', async () => {
    const studyId = localStudy(NIH_STUDY)!;
    await t.call('models:setSettings', { activePackId: 'cxr14-tiny-test', provider: 'cpu' });
    const job = await t.wait((await t.call('analysis:start', { studyId })).id);
    expect(job.state, job.message ?? '').toBe('done');
    const instanceId = (await t.call('studies:get', { studyId })).series[0]!.instances[0]!.id;
    const first = (await t.call('analysis:get', { instanceId }))!;
    expect(first.status).toBe('shown');
    // Only a label with a validated operating point can be called and accepted: give the top one a site calibration.
    const probable = first.status === 'shown' ? [...first.findings].filter((f) => f.heatmap).sort((a, b) => b.probability - a.probability)[0]! : null;
    new AnalysisRepository(t.db()).saveCalibration({
      packId: first.packId,
      packVersion: first.packVersion,
      method: 'youden',
      targetSensitivity: null,
      source: 'test calibration',
      imageCount: 100,
      labels: [{ label: probable!.label, threshold: 0, validated: true, refusal: null, positives: 20, negatives: 80, auc: 0.8, aucCi: { low: 0.7, high: 0.9 } }],
    });
    const analysis = (await t.call('analysis:get', { instanceId }))!;
    if (analysis.status !== 'shown') throw new Error('the analysis was withheld');
    const top = [...analysis.findings].filter((f) => f.heatmap).sort((a, b) => b.probability - a.probability)[0]!;
    await t.call('analysis:review', { analysisId: analysis.analysisId, label: top.label, decision: 'accepted' });
    const draft = await t.call('reports:draft', { studyId, instanceId, withHeatmap: true });
    expect(draft.aiFindings.map((f) => f.label)).toEqual([top.label]);
    await writeReader(t, draft.id);
    await t.call('reports:setState', { reportId: draft.id, state: 'final' });
    const sent = await t.call('network:send', { studyId, node: 'pacs', secondaryCapture: true });
    expect(sent.objects.map((o) => [o.kind, o.ok])).toEqual([
      ['sr', true],
      ['secondary-capture', true],
    ]);
    const capture = sent.objects[1]!;
    expect(capture.studyInstanceUid).toBe(NIH_STUDY);
    const inPacs = await orthanc.sopClassesInStudy(NIH_STUDY);
    expect(inPacs).toContainEqual({ sopInstanceUid: capture.sopInstanceUid, sopClassUid: '1.2.840.10008.5.1.4.1.1.7' });
    const [id] = await orthanc.post<string[]>('/tools/find', { Level: 'Instance', Query: { SOPInstanceUID: capture.sopInstanceUid } });
    const tags = await orthanc.get<Record<string, string>>(`/instances/${id}/simplified-tags`);
    expect(tags).toMatchObject({ ImageType: 'DERIVED\\SECONDARY\\AI', BurnedInAnnotation: 'YES' });
    expect(tags.SeriesDescription).toMatch(/^AI OUTPUT/);
  });

  it('fetches priors for the open patient: only that Patient ID, only studies not yet here', async () => {
    // The MONO1 study has no Patient ID, so it can never be matched as a prior: refused, not guessed.
    const j = await t.call('network:retrieve', { node: 'pacs', studyInstanceUid: MONO1_STUDY, method: 'get' });
    await t.wait(j.id);
    await expect(t.call('network:fetchPriors', { studyId: localStudy(MONO1_STUDY)! })).rejects.toThrow(/no Patient ID/);
    // An earlier study of patient 9RG1 arrives on the PACS: fetch priors retrieves it, once.
    const dir = mkdtempSync(join(tmpdir(), 'cxr-prior-'));
    try {
      const [prior] = writeDicomCopies([CXR.find((f) => f.includes('RG1'))!], dir, 1);
      expect((await storescu('MODALITY', { port: orthanc.dicomPort, aeTitle: orthanc.aeTitle }, [prior!])).code).toBe(0);
      const priorUid = parseDicom(readFileSync(prior!), prior!).meta.studyInstanceUid;
      const priors = await t.call('network:fetchPriors', { studyId: localStudy(RG1_STUDY)! });
      expect(priors.problems).toEqual([]);
      expect(priors.jobs).toHaveLength(1);
      for (const j of priors.jobs) expect((await t.wait(j.id)).state).toBe('done');
      const priorId = localStudy(priorUid);
      expect(priorId).toBeDefined();
      expect((await t.call('studies:get', { studyId: priorId! })).patientId).toBe('9RG1');
      const again = await t.call('network:fetchPriors', { studyId: localStudy(RG1_STUDY)!, node: 'pacs-web' });
      expect(again.jobs).toEqual([]);
      expect(again.alreadyLocal).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
