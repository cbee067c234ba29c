import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfimages, pdftotext } from '../../test/helpers/systemTools.js';
import type { AnalysisResult } from '../api/analysis.js';
import { dispatch } from '../api/dispatch.js';
import type { OperationInput, OperationName, OperationOutput } from '../api/contract.js';
import { createCore, type Core } from '../createCore.js';
import { AnalysisRepository, type AnalysisRecord } from '../db/analysisRepository.js';
import { openDatabase, type DbHandle } from '../db/connection.js';
import { IndexRepository } from '../db/indexRepository.js';
import { makeImageRecord } from '../db/testFixtures.js';
import { zipEntry } from '../reports/export/docx.js';

const dcmjs = createRequire(import.meta.url)('dcmjs');
const poppler = [pdftotext(), pdfimages()];
const popplerSkip = poppler.some((t) => t.skip);
const requirePoppler = () => poppler.forEach((t) => t.require());

const PACK = { packId: 'site-pack', packVersion: '2.0.0' };
const LABELS = ['Cardiomegaly', 'Effusion', 'Pneumothorax'];

let dir: string;
let core: Core;
let db: DbHandle;
let analyses: AnalysisRepository;

async function call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
  const r = await dispatch(core.api, name, input, { validateOutput: true });
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as OperationOutput<N>;
}

/** A calibration as `cxr calibrate` stores it: thresholds with the evidence behind them. */
function calibrate(thresholds: Record<string, number>): number {
  return analyses.saveCalibration({
    ...PACK,
    method: 'youden',
    targetSensitivity: null,
    source: 'site labels.csv',
    imageCount: 400,
    labels: LABELS.map((label) => ({ label, threshold: thresholds[label]!, validated: true, refusal: null, sensitivity: 0.8, specificity: 0.8, auc: 0.86, aucCi: { low: 0.8, high: 0.91 }, positives: 60, negatives: 340 })),
  });
}

/** An analysis by the site pack of one image that passed the gate, with a flat CAM of `cam`. */
function analysisOf(instanceId: number, probabilities: number[], cam: number): AnalysisRecord {
  return {
    instanceId,
    ...PACK,
    labels: LABELS,
    probabilities: new Float32Array(probabilities),
    logits: null,
    embedding: null,
    cam: new Float32Array(LABELS.length * 49).fill(cam),
    camRows: 7,
    camCols: 7,
    imageWidth: 1024,
    imageHeight: 1024,
    quality: { ok: true, flags: [], stats: {} },
    qualityOk: true,
    localisations: {},
    lungFieldSource: 'image',
    provider: 'cpu',
    inferenceMs: 1,
    totalMs: 2,
  };
}

/** One study with one image and a stored analysis by the site pack. */
function studyWithAnalysis(key: number, probabilities: number[], file?: { path: string; burnedIn?: string }): { studyId: number; instanceId: number; analysisId: number } {
  const index = new IndexRepository(db);
  const rec = makeImageRecord(key, {
    patient: { name: 'Smith, Robert', patientId: `MRN-44${key}-902`, birthDate: '1961-03-09' },
    instance: { thumbnailPath: `thumbnails/${key}.png`, ...(file ? { filePath: file.path } : {}) },
  });
  const out = index.upsertImage(rec);
  const analysisId = analyses.save(analysisOf(out.instanceId, probabilities, 0.5));
  return { studyId: out.studyId, instanceId: out.instanceId, analysisId };
}

/** A DICOM file whose only purpose is its Burned In Annotation value. */
function dicomFile(path: string, burnedIn: 'YES' | 'NO'): void {
  const meta = { MediaStorageSOPClassUID: '1.2.840.10008.5.1.4.1.1.1', MediaStorageSOPInstanceUID: '2.25.1', TransferSyntaxUID: '1.2.840.10008.1.2.1', FileMetaInformationVersion: new Uint8Array([0, 1]).buffer };
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.1', SOPInstanceUID: '2.25.1', Modality: 'CR', BurnedInAnnotation: burnedIn });
  writeFileSync(path, Buffer.from(dict.write()));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxr-signing-'));
  core = createCore({ dataDir: dir, modelsDirs: [] }, { allowMissing: true });
  // The reader the core signs as (a name the de-identification test below must not find in any export).
  await call('reader:set', { name: 'Dr Ana Lefèvre' });
  db = openDatabase(join(dir, 'index.sqlite'));
  analyses = new AnalysisRepository(db);
  mkdirSync(join(dir, 'thumbnails'), { recursive: true });
  const grey = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 90, g: 90, b: 90 } } }).png().toBuffer();
  for (const key of [1, 2, 3, 4]) writeFileSync(join(dir, 'thumbnails', `${key}.png`), grey);
  calibrate({ Cardiomegaly: 0.5, Effusion: 0.5, Pneumothorax: 0.5 });
});
afterAll(async () => {
  db.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('signing', () => {
  it('is refused while Findings or Impression is empty, with a message naming them', async () => {
    const { studyId } = studyWithAnalysis(4, [0.1, 0.1, 0.1]);
    const draft = await call('reports:draft', { studyId, language: 'en' });
    await expect(call('reports:setState', { reportId: draft.id, state: 'final' })).rejects.toThrow(
      `report ${draft.id} cannot be signed: Findings is empty; Impression is empty. Write it and save before signing.`,
    );
    await call('reports:save', { reportId: draft.id, sections: [{ name: 'findings', text: 'Clear lungs.' }, { name: 'impression', text: ' - ' }] });
    await expect(call('reports:setState', { reportId: draft.id, state: 'final' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/Impression is empty/) });
    await call('reports:save', { reportId: draft.id, sections: [{ name: 'impression', text: 'Normal chest.' }] });
    expect((await call('reports:setState', { reportId: draft.id, state: 'final' })).state).toBe('final');
  });
});

describe('what a signed study shows never changes', () => {
  let signed: { studyId: number; instanceId: number; analysisId: number };
  let control: { studyId: number; instanceId: number };
  let reportId: number;
  let firstCalibration: number;
  let before: { en: AnalysisResult; fr: AnalysisResult; control: AnalysisResult; text: string };

  const aiPart = (txt: string) => txt.slice(txt.indexOf('AI DECISION SUPPORT'), txt.indexOf('Electronically signed by'));
  const exportText = async () => (await core.resource((await call('reports:export', { reportId, format: 'txt' })).path))!.body.toString('utf8');
  const findingsOf = (r: AnalysisResult) => (r.status === 'shown' ? r.findings : []);
  const calibrationOf = (r: AnalysisResult) => (r.status === 'shown' ? r.operatingPoints.calibrationId : null);
  const shown = (r: AnalysisResult) => findingsOf(r).map((f) => `${f.label} ${f.positive ? (f.certainty ?? 'called') : '-'} @${f.threshold}`).join(', ');

  beforeAll(async () => {
    // A validated site calibration is in force when the study is read: only then is anything called.
    firstCalibration = calibrate({ Cardiomegaly: 0.5, Effusion: 0.5, Pneumothorax: 0.5 });
    signed = studyWithAnalysis(1, [0.6, 0.3, 0.1]);
    control = studyWithAnalysis(2, [0.6, 0.3, 0.1]);
    await call('analysis:review', { analysisId: signed.analysisId, label: 'Cardiomegaly', decision: 'accepted' });
    const draft = await call('reports:draft', { studyId: signed.studyId, language: 'en', withHeatmap: true });
    reportId = draft.id;
    await call('reports:save', { reportId, sections: [{ name: 'impression', text: 'Possible cardiomegaly.' }] });
    const r = await call('reports:setState', { reportId, state: 'final' });
    expect(r.ai.frozenAt).toBe(r.signedAt);
    before = {
      en: (await call('analysis:get', { instanceId: signed.instanceId, language: 'en' }))!,
      fr: (await call('analysis:get', { instanceId: signed.instanceId, language: 'fr' }))!,
      control: (await call('analysis:get', { instanceId: control.instanceId, language: 'en' }))!,
      text: await exportText(),
    };
    expect(before.en.signed).toEqual({ reportId, signedAt: r.signedAt });
    expect(before.control.signed ?? null).toBeNull();
  });

  it('after a recalibration: the unsigned study changes, the signed one shows, reports and exports what was signed', async () => {
    calibrate({ Cardiomegaly: 0.2, Effusion: 0.25, Pneumothorax: 0.5 });
    const control2 = (await call('analysis:get', { instanceId: control.instanceId, language: 'en' }))!;
    // The recalibration does change what an unsigned study shows: "possible" → "probable" and a new call.
    expect(shown(before.control)).toBe('Cardiomegaly possible @0.5, Effusion - @0.5, Pneumothorax - @0.5');
    expect(shown(control2)).toBe('Cardiomegaly probable @0.2, Effusion possible @0.25, Pneumothorax - @0.5');

    const after = (await call('analysis:get', { instanceId: signed.instanceId, language: 'en' }))!;
    const afterFr = (await call('analysis:get', { instanceId: signed.instanceId, language: 'fr' }))!;
    console.log(`    signed study before recalibration: ${shown(before.en)} (calibration #${calibrationOf(before.en)})`);
    console.log(`    signed study after recalibration:  ${shown(after)} (calibration #${calibrationOf(after)}); unsigned control now: ${shown(control2)}`);
    expect(after).toEqual(before.en);
    expect(afterFr).toEqual(before.fr);
    expect(after.text.sentences).toEqual(before.en.text.sentences);

    const report = await call('reports:get', { reportId });
    expect(report.ai.images[0]!.labels.filter((l) => l.called).map((l) => `${l.label} ${l.certainty}`)).toEqual(['Cardiomegaly possible']);
    expect(report.ai.images[0]!.thresholdVersion).toMatch(new RegExp(`^site calibration #${firstCalibration}:`));
    const text = await exportText();
    expect(aiPart(text)).toBe(aiPart(before.text));
    expect(aiPart(text)).toContain('Findings shown to the reader: Cardiomegaly (possible).');
    expect(aiPart(text)).toContain('Cardiomegaly: AI probability 0.60, threshold 0.50 (site calibration); called (possible)');
  });

  it('refuses a review decision on a signed image (the signed findings never change), and names the report', async () => {
    await expect(call('analysis:review', { analysisId: signed.analysisId, label: 'Cardiomegaly', decision: 'rejected' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(new RegExp(`signed in report ${reportId} .*addendum`)),
    });
    expect(findingsOf((await call('analysis:get', { instanceId: signed.instanceId, language: 'en' }))!)[0]!.review?.decision).toBe('accepted');
    // The unsigned study still takes decisions.
    await call('analysis:review', { analysisId: analyses.latestFor(control.instanceId)!.id, label: 'Cardiomegaly', decision: 'accepted' });
  });

  it('after a forced re-analysis with other numbers: still what was signed, without heatmaps drawn from the new data', async () => {
    const heatmapBefore = findingsOf(before.en)[0]!.heatmap;
    expect(heatmapBefore).not.toBeNull();
    analyses.save(analysisOf(signed.instanceId, [0.95, 0.9, 0.9], 0.9));
    const after = (await call('analysis:get', { instanceId: signed.instanceId, language: 'en' }))!;
    expect(findingsOf(after).map((f) => f.probability)).toEqual(findingsOf(before.en).map((f) => f.probability));
    expect(findingsOf(after).length).toBe(LABELS.length);
    expect(findingsOf(after).every((f) => f.heatmap === null)).toBe(true);
    // Another pack asked for explicitly is that pack's live analysis, not the frozen one.
    expect(await call('analysis:get', { instanceId: signed.instanceId, packId: 'other-pack' })).toBeNull();
  });

  it('is kept by the database: the snapshot rows cannot be changed or deleted', () => {
    expect(() => db.sqlite.prepare('UPDATE report_signed_analyses SET result_json = ? WHERE report_id = ?').run('{}', reportId)).toThrow(/cannot be changed/);
    expect(() => db.sqlite.prepare('DELETE FROM report_signed_analyses WHERE report_id = ?').run(reportId)).toThrow(/cannot be deleted/);
    const languages = db.sqlite.prepare('SELECT language FROM report_signed_analyses WHERE report_id = ? ORDER BY language').pluck().all(reportId);
    expect(languages).toEqual(['en', 'es', 'fr', 'pt']);
  });
});

describe.skipIf(popplerSkip)('de-identified PDF and DOCX and burned-in annotation', () => {
  const exportPdf = async (studyId: number) => {
    requirePoppler();
    const draft = await call('reports:draft', { studyId, language: 'en' });
    const e = await call('reports:export', { reportId: draft.id, format: 'pdf', deidentify: true, includeImages: true });
    const file = join(dir, `${draft.id}.pdf`);
    writeFileSync(file, (await core.resource(e.path))!.body);
    return {
      text: execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' '),
      images: execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim()).length,
    };
  };

  it('leave the key image out when the file says YES (or does not say), keep it when it says NO, and say so', async () => {
    const yes = join(dir, 'burned-yes.dcm');
    const no = join(dir, 'burned-no.dcm');
    dicomFile(yes, 'YES');
    dicomFile(no, 'NO');
    const withText = studyWithAnalysis(3, [0.1, 0.1, 0.1], { path: yes });
    const out = await exportPdf(withText.studyId);
    expect(out.images).toBe(0);
    expect(out.text).toContain('Key image(s) left out (1): burned-in annotation is YES or not stated');
    expect(out.text).not.toContain('Smith');

    db.sqlite.prepare('UPDATE instances SET file_path = ? WHERE id = ?').run(no, withText.instanceId);
    const clean = await exportPdf(withText.studyId);
    expect(clean.images).toBe(1);
    expect(clean.text).toContain('Key image(s) included (1): the file states no burned-in annotation (0028,0301 = NO)');
  });
});

describe.skipIf(popplerSkip)('identifiers typed into the report are gone from every de-identified format', () => {
  it('txt, PDF, DOCX, FHIR (with its presented form) and SR: no name, nickname, MRN in any form, phone, address or e-mail', async () => {
    requirePoppler();
    const { studyId } = studyWithAnalysis(5, [0.1, 0.1, 0.1]);
    const draft = await call('reports:draft', { studyId, language: 'en' });
    const typed =
      'Bob (MRN 445902, also MRN445-902 and 445 902) lives at 42 Elm Street; phone +1 (555) 123-4567, e-mail bob.smith@example.org. Seen 3 March 2024.';
    await call('reports:save', { reportId: draft.id, sections: [{ name: 'findings', text: typed }, { name: 'impression', text: 'Robert Smith: normal chest.' }] });
    const forbidden = ['Bob', 'Robert', 'Smith', '445902', '445-902', '445 902', '123-4567', 'Elm Street', 'example.org', 'Lefèvre', '2024-03-03', '3 March 2024'];
    const texts: Record<string, string> = {};
    for (const format of ['txt', 'pdf', 'docx', 'fhir', 'sr'] as const) {
      const e = await call('reports:export', { reportId: draft.id, format, deidentify: true });
      const body = (await core.resource(e.path))!.body;
      if (format === 'pdf') {
        const file = join(dir, 'scrub.pdf');
        writeFileSync(file, body);
        texts[format] = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
      } else if (format === 'docx') {
        const parts = await Promise.all(['word/document.xml', 'docProps/core.xml', 'word/footer1.xml'].map((n) => zipEntry(body, n)));
        texts[format] = parts.map((p) => p?.toString('utf8') ?? '').join('\n');
      } else if (format === 'fhir') {
        const json = body.toString('utf8');
        const bundle = JSON.parse(json) as { entry: Array<{ resource: { presentedForm?: Array<{ data: string }> } }> };
        const forms = bundle.entry.flatMap((x) => x.resource.presentedForm ?? []).map((f) => Buffer.from(f.data, 'base64').toString('utf8'));
        // The presented form is checked decoded; its base64 could hold any three letters by chance.
        texts[format] = [json.replace(/"data": "[^"]*"/g, '"data": ""'), ...forms].join('\n');
      } else {
        texts[format] = body.toString('utf8');
      }
      for (const word of forbidden) expect(texts[format], `${format} still holds "${word}"`).not.toContain(word);
    }
    expect(texts.txt).toMatch(/Found and cleaned in the typed text: .*identifier\(s\).*phone number\(s\).*address\(es\).*e-mail address\(es\)/s);
    expect(texts.txt).toContain('[phone removed]');
    expect(texts.txt).toContain('[address removed]');
  });
});
