import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../api/dispatch.js';
import type { OperationInput, OperationName, OperationOutput } from '../api/contract.js';
import { createCore, type Core } from '../createCore.js';
import { AnalysisRepository } from '../db/analysisRepository.js';
import { openDatabase, type DbHandle } from '../db/connection.js';
import { IndexRepository } from '../db/indexRepository.js';
import { makeImageRecord } from '../db/testFixtures.js';
import { validateFhirBundle } from '../reports/fhir/validate.js';
import { officialFhirR4Errors } from '../../test/helpers/officialFhirSchema.js';
import { pdftotext } from '../../test/helpers/systemTools.js';

const poppler = pdftotext();

let dir: string;
let core: Core;
let db: DbHandle;
let instanceId: number;
let studyId: number;

async function call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
  const r = await dispatch(core.api, name, input, { validateOutput: true });
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as OperationOutput<N>;
}

async function fetchResource(path: string): Promise<Buffer> {
  const res = await core.resource(path);
  if (!res) throw new Error(`no resource at ${path}`);
  return res.body;
}

/** A text element of a dicom-parser dataset decoded as UTF-8 (the SR says ISO_IR 192). */
function utf8(ds: dicomParser.DataSet, tag: string): string {
  const el = ds.elements[tag];
  if (!el) return '';
  return new TextDecoder('utf-8').decode(ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length)).replace(/[\0 ]+$/, '');
}

/** Every TEXT value of an SR content tree, depth first. */
function srTexts(ds: dicomParser.DataSet): string[] {
  const out: string[] = [];
  for (const item of ds.elements.x0040a730?.items ?? []) {
    const child = item.dataSet!;
    if (child.string('x0040a040') === 'TEXT') out.push(utf8(child, 'x0040a160'));
    out.push(...srTexts(child));
  }
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxr-reports-'));
  core = createCore({ dataDir: dir, modelsDirs: [] }, { allowMissing: true });
  // Who acts is the core's reader (the reader.name setting), never a name a client sends.
  await call('reader:set', { name: 'Dr Ana Lefèvre' });
  db = openDatabase(join(dir, 'index.sqlite'));
  const index = new IndexRepository(db);
  const rec = makeImageRecord(1, { patient: { name: 'Conceição, João', patientId: 'PAT-77', birthDate: '1961-03-09', sex: 'M' }, study: { date: '2024-05-20', accessionNumber: 'ACC-9' } });
  const out = index.upsertImage(rec);
  instanceId = out.instanceId;
  studyId = out.studyId;
  mkdirSync(join(dir, 'thumbnails'), { recursive: true });
  const w = 128;
  const grey = Buffer.alloc(w * w);
  for (let i = 0; i < grey.length; i++) grey[i] = (i % w) * 2;
  writeFileSync(join(dir, rec.instance.thumbnailPath), await sharp(grey, { raw: { width: w, height: w, channels: 1 } }).png().toBuffer());

  // A stored analysis as the AI engine writes it: Effusion above its operating point, a CAM hot in the lower right.
  const labels = ['Effusion', 'Pneumonia'];
  const cam = new Float32Array(2 * 7 * 7);
  cam[5 * 7 + 1] = 1;
  const repo = new AnalysisRepository(db);
  const analysisId = repo.save({
    instanceId,
    packId: 'cxr14-tiny-test',
    packVersion: '0.1.0',
    labels,
    probabilities: new Float32Array([0.83, 0.2]),
    logits: null,
    embedding: null,
    cam,
    camRows: 7,
    camCols: 7,
    imageWidth: 2048,
    imageHeight: 2048,
    quality: { ok: true, flags: [], stats: {} },
    qualityOk: true,
    localisations: {
      Effusion: { boxes: [{ x: 200, y: 1400, w: 400, h: 300 }], peak: { x: 300, y: 1500 }, extent: 0.12 },
    },
    lungFieldSource: 'image',
    provider: 'cpu',
    inferenceMs: 1,
    totalMs: 2,
  });
  // Effusion has a validated operating point (a site calibration): only then is it called, reviewable and reported.
  repo.saveCalibration({
    packId: 'cxr14-tiny-test',
    packVersion: '0.1.0',
    method: 'youden',
    targetSensitivity: null,
    source: 'test set',
    imageCount: 100,
    labels: [{ label: 'Effusion', threshold: 0.5, validated: true, refusal: null, positives: 20, negatives: 80, auc: 0.8, aucCi: { low: 0.7, high: 0.9 } }],
  });
  repo.setReview(analysisId, 'Effusion', 'accepted', null);
});
afterAll(async () => {
  db.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('report workflow through the contract', () => {
  let reportId: number;

  it('lists the shipped templates', async () => {
    const list = await call('templates:list', {});
    expect(list.map((t) => t.id)).toEqual(expect.arrayContaining(['chest-radiograph.en', 'chest-radiograph.fr', 'chest-radiograph.es', 'chest-radiograph.pt']));
  });

  it('drafts a French report filled from the study and the accepted AI finding', async () => {
    const r = await call('reports:draft', { studyId, language: 'fr', withHeatmap: true });
    reportId = r.id;
    expect(r).toMatchObject({ state: 'draft', language: 'fr', templateId: 'chest-radiograph.fr', title: 'Compte rendu de radiographie thoracique', keyImages: [{ instanceId, withHeatmap: true }] });
    const byName = Object.fromEntries(r.sections.map((s) => [s.name, s]));
    expect(byName.patient!.text).toContain('Conceição, João (ID PAT-77)');
    expect(byName.technique!.text).toContain('incidence PA (CR)');
    expect(byName.findings!.aiDerived).toBe(true);
    expect(byName.findings!.text.length).toBeGreaterThan(10);
    expect(r.aiFindings).toHaveLength(1);
    expect(r.aiFindings[0]).toMatchObject({ label: 'Effusion', decision: 'accepted', modelPack: 'cxr14-tiny-test', modelVersion: '0.1.0' });
    expect(byName.findings!.text).toBe(r.aiFindings[0]!.text);
    const study = await call('studies:get', { studyId }).catch(() => null);
    if (study) expect(study.status).toBe('in_progress');
  });

  it('saves edits, refuses a stale save, moves to preliminary and signs; a final report is immutable', async () => {
    const before = await call('reports:get', { reportId });
    const saved = await call('reports:save', {
      reportId,
      sections: [{ name: 'impression', text: 'Épanchement pleural droit de faible abondance.' }],
      expectedUpdatedAt: before.updatedAt,
    });
    expect(saved.sections.find((s) => s.name === 'impression')!.text).toBe('Épanchement pleural droit de faible abondance.');
    await expect(call('reports:save', { reportId, sections: [], expectedUpdatedAt: before.updatedAt })).rejects.toMatchObject({ code: 'conflict' });
    await expect(call('reports:save', { reportId, sections: [{ name: 'nope', text: 'x' }] })).rejects.toThrow(/no section "nope"/);
    await expect(call('reports:addendum', { reportId, text: 'too early' })).rejects.toMatchObject({ code: 'conflict' });
    expect((await call('reports:setState', { reportId, state: 'preliminary' })).state).toBe('preliminary');
    // A client that names someone else is not believed: the signature and its audit entry name the core's reader.
    const signed = await call('reports:setState', { reportId, state: 'final', signedBy: 'Mallory', author: 'Mallory' } as OperationInput<'reports:setState'>);
    expect(signed).toMatchObject({ state: 'final', signedBy: 'Dr Ana Lefèvre' });
    expect(signed.signedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await expect(call('reports:save', { reportId, sections: [{ name: 'impression', text: 'changed' }] })).rejects.toThrow(/final .* cannot be changed/);
    await expect(call('reports:setState', { reportId, state: 'preliminary' })).rejects.toMatchObject({ code: 'conflict' });
    // and underneath the repository, the trigger
    expect(() => db.sqlite.prepare("UPDATE reports SET body_text = 'x' WHERE id = ?").run(reportId)).toThrow(/final/);
    const withAddendum = await call('reports:addendum', { reportId, text: 'Résultat communiqué au Dr Martin.' });
    expect(withAddendum.addenda).toHaveLength(1);
  });

  it('finds the report by full text (accents folded) including addenda', async () => {
    expect((await call('reports:search', { text: 'epanchement' })).map((r) => r.id)).toEqual([reportId]);
    const hit = await call('reports:search', { text: 'communiqué martin' });
    expect(hit.map((r) => r.id)).toEqual([reportId]);
    expect(hit[0]!.snippet).toContain('[');
    expect(await call('reports:search', { text: 'absentword' })).toEqual([]);
    expect((await call('reports:search', { text: '', studyId })).map((r) => r.id)).toEqual([reportId]);
  });

  it.skipIf(poppler.skip)('exports a PDF with the key image and heatmap, served under /files/exports/', async () => {
    poppler.require();
    const e = await call('reports:export', { reportId, format: 'pdf' });
    expect(e.path).toMatch(/^\/files\/exports\/\d+\/report-\d+-final-\d{8}T\d{6}Z\.pdf$/);
    const pdf = await fetchResource(e.path);
    expect(pdf.byteLength).toBe(e.bytes);
    const file = join(dir, 'out.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Conceição, João');
    expect(text).toContain('Épanchement pleural droit de faible abondance.');
    expect(text).toContain('Signé électroniquement par Dr Ana Lefèvre');
    expect(text).toContain('Carte de chaleur IA: Effusion');
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim());
    expect(images.length).toBeGreaterThanOrEqual(2);
  });

  it.skipIf(poppler.skip)('exports a de-identified PDF without the name, ID or dates', async () => {
    poppler.require();
    const e = await call('reports:export', { reportId, format: 'pdf', deidentify: true });
    const file = join(dir, 'deid.pdf');
    writeFileSync(file, await fetchResource(e.path));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    expect(text).not.toContain('Conceição');
    expect(text).not.toContain('PAT-77');
    expect(text).not.toContain('2024-05-20');
    expect(text).not.toContain('Lefèvre');
    expect(text).toMatch(/ANON-[0-9A-F]{10}/);
    expect(text).toContain('Copie anonymisée');
    // the secret is created once, owner-only
    expect(statSync(join(dir, 'secrets', 'deidentify.key')).mode & 0o777).toBe(0o600);
  });

  it('exports a DICOM SR that references the image and re-imports with dicom-parser', async () => {
    const study = await call('studies:get', { studyId });
    const inst = study.series[0]!.instances[0]!;
    const e = await call('reports:export', { reportId, format: 'sr' });
    const bytes = await fetchResource(e.path);
    const ds = dicomParser.parseDicom(new Uint8Array(bytes));
    expect(ds.string('x00080016')).toBe('1.2.840.10008.5.1.4.1.1.88.11');
    expect(ds.string('x0020000d')).toBe(study.studyInstanceUid);
    expect(utf8(ds, 'x00100010')).toBe('Conceição^João');
    expect(ds.string('x0040a493')).toBe('VERIFIED');
    expect(utf8(ds.elements.x0040a073!.items![0]!.dataSet!, 'x0040a075')).toBe('Lefèvre^Ana^^Dr');
    const evidence = ds.elements.x0040a375!.items![0]!.dataSet!;
    expect(evidence.string('x0020000d')).toBe(study.studyInstanceUid);
    const series = evidence.elements.x00081115!.items![0]!.dataSet!;
    expect(series.string('x0020000e')).toBe(study.series[0]!.seriesInstanceUid);
    expect(series.elements.x00081199!.items![0]!.dataSet!.string('x00081155')).toBe(inst.sopInstanceUid);
    const texts = srTexts(ds);
    expect(texts).toContain('Épanchement pleural droit de faible abondance.');
    expect(texts.some((t) => t.startsWith('Aide à la décision par IA\nModèle : cxr14-tiny-test'))).toBe(true);
    expect(texts).toContain('Résultat communiqué au Dr Martin.');
    // the IMAGE content item points at the key image
    const imageItem = ds.elements.x0040a730!.items!.map((i) => i.dataSet!).find((d) => d.string('x0040a040') === 'IMAGE')!;
    expect(imageItem.elements.x00081199!.items![0]!.dataSet!.string('x00081155')).toBe(inst.sopInstanceUid);
  });

  it('exports a de-identified SR with remapped UIDs (consistently) and the PS3.15 attributes', async () => {
    const study = await call('studies:get', { studyId });
    const a = dicomParser.parseDicom(new Uint8Array(await fetchResource((await call('reports:export', { reportId, format: 'sr', deidentify: true })).path)));
    expect(a.string('x00120062')).toBe('YES');
    expect(a.string('x0020000d')).not.toBe(study.studyInstanceUid);
    expect(a.string('x0020000d')).toMatch(/^2\.25\.\d+$/);
    expect(utf8(a, 'x00100010')).toBe('ANONYMOUS^');
    expect(a.string('x00100020')).toMatch(/^ANON-/);
    expect(a.string('x00100030') ?? '').toBe('');
    const codes = a.elements.x00120064!.items!.map((i) => i.dataSet!.string('x00080100'));
    expect(codes).toEqual(['113100', '113104', '113107']);
    const again = dicomParser.parseDicom(new Uint8Array(await fetchResource((await call('reports:export', { reportId, format: 'sr', deidentify: true })).path)));
    expect(again.string('x0020000d')).toBe(a.string('x0020000d'));
    const ref = a.elements.x0040a375!.items![0]!.dataSet!.elements.x00081115!.items![0]!.dataSet!.elements.x00081199!.items![0]!.dataSet!;
    expect(ref.string('x00081155')).not.toBe(study.series[0]!.instances[0]!.sopInstanceUid);
    expect(srTexts(a).join('\n')).not.toContain('Lefèvre');
    // the de-identified FHIR export remaps the same UIDs the same way
    const fhir = JSON.parse((await fetchResource((await call('reports:export', { reportId, format: 'fhir', deidentify: true })).path)).toString('utf8'));
    const imaging = fhir.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'ImagingStudy').resource;
    expect(imaging.identifier[0].value).toBe(`urn:oid:${a.string('x0020000d')}`);
    expect(imaging.series[0].instance[0].uid).toBe(ref.string('x00081155'));
    expect(JSON.stringify(fhir)).not.toContain('PAT-77');
  });

  it('exports FHIR R4 that passes the schema, with an Observation per accepted finding marked AI-asserted', async () => {
    const study = await call('studies:get', { studyId });
    const e = await call('reports:export', { reportId, format: 'fhir' });
    expect(e.contentType).toBe('application/fhir+json');
    const bundle = JSON.parse((await fetchResource(e.path)).toString('utf8'));
    expect(validateFhirBundle(bundle)).toEqual({ valid: true, errors: [] });
    expect(officialFhirR4Errors(bundle)).toEqual([]);
    const byType = (t: string) => bundle.entry.filter((x: { resource: { resourceType: string } }) => x.resource.resourceType === t).map((x: { resource: unknown }) => x.resource);
    const [report] = byType('DiagnosticReport');
    expect(report.status).toBe('appended');
    expect(report.conclusion).toBe('Épanchement pleural droit de faible abondance.');
    expect(report.resultsInterpreter).toEqual([{ display: 'Dr Ana Lefèvre' }]);
    const [obs] = byType('Observation');
    expect(obs.code.text).toBe('Effusion');
    expect(obs.meta.security[0].code).toBe('AIAST');
    expect(obs.code.coding[0]).toMatchObject({ system: 'http://snomed.info/sct', code: '60046008' });
    expect(obs.component.find((c: { valueQuantity?: { value: number } }) => c.valueQuantity)!.valueQuantity.value).toBeCloseTo(0.83, 4);
    expect(byType('ImagingStudy')[0].series[0].uid).toBe(study.series[0]!.seriesInstanceUid);
    expect(Buffer.from(report.presentedForm[0].data, 'base64').toString('utf8')).toContain('Résultat communiqué au Dr Martin.');
  });

  it('exports DOCX and text; bad template ids and unknown reports answer clear errors', async () => {
    const docx = await call('reports:export', { reportId, format: 'docx', includeImages: true });
    const bytes = await fetchResource(docx.path);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const txt = (await fetchResource((await call('reports:export', { reportId, format: 'txt' })).path)).toString('utf8');
    expect(txt).toContain('RÉSULTATS [contient du texte généré par IA]');
    await expect(call('reports:get', { reportId: 999 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(call('reports:draft', { studyId, templateId: 'nope.en' })).rejects.toThrow(/no report template "nope.en"/);
    await expect(call('reports:draft', { studyId: 999 })).rejects.toMatchObject({ code: 'not_found' });
    expect(await core.resource('/files/exports/1/..%2F..%2Findex.sqlite')).toBeNull();
    expect(existsSync(join(dir, 'exports', String(reportId)))).toBe(true);
  });

  it('saves a user template and drafts from it', async () => {
    const html = '<html lang="es"><head><title>Tórax breve</title></head><body><section data-section-name="findings"><header>Hallazgos</header><p data-field="ai.findings">Sin hallazgos.</p></section></body></html>';
    await expect(call('templates:save', { templateId: 'breve.es', html: html.replace('<p', '<p onclick="x()"') })).rejects.toMatchObject({ code: 'invalid_input' });
    const saved = await call('templates:save', { templateId: 'breve.es', html });
    expect(saved).toMatchObject({ id: 'breve.es', source: 'user', language: 'es' });
    expect((await call('templates:get', { templateId: 'breve.es' })).html).toBe(html);
    const r = await call('reports:draft', { studyId, templateId: 'breve.es' });
    expect(r.language).toBe('es');
    expect(r.sections).toHaveLength(1);
    expect(r.sections[0]!.aiDerived).toBe(true);
  });

  it('audited every action with the model versions, and exports the log as CSV', async () => {
    const page = await call('audit:list', { studyId, limit: 1000 });
    const actions = page.items.map((e) => e.action);
    for (const a of ['view', 'draft', 'edit', 'preliminary', 'sign', 'addendum', 'export'] as const) expect(actions).toContain(a);
    const sign = page.items.find((e) => e.action === 'sign')!;
    expect(sign).toMatchObject({ actor: 'Dr Ana Lefèvre', entityType: 'report', entityId: String(reportId), modelPack: 'cxr14-tiny-test', modelVersion: '0.1.0' });
    // Exactly which operating points were in force, and where they came from (not a "pack thresholds" the pack never shipped).
    expect(sign.thresholdVersion).toBe('site calibration #1: 1 of 2 labels validated (Effusion 0.500)');
    const exp = page.items.find((e) => e.action === 'export' && e.detail.deidentified === true)!;
    expect(exp.detail.format).toBeDefined();
    expect((await call('audit:list', { action: 'template_save' })).items[0]).toMatchObject({ entityId: 'breve.es', actor: 'Dr Ana Lefèvre' });
    expect(page.items.map((e) => e.actor)).not.toContain('Mallory');
    expect(new Set(page.items.map((e) => e.actor))).toEqual(new Set(['Dr Ana Lefèvre']));
    const csvExport = await call('audit:export', { studyId });
    expect(csvExport.rows).toBe(page.total);
    const csv = (await fetchResource(csvExport.path)).toString('utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(page.total + 1);
    expect(lines[0]!.startsWith('id,at,actor,action')).toBe(true);
    expect(csv).toContain(',sign,report,');
  });
});

describe('the Comparison section says which earlier studies the reader compared with', () => {
  it('lists the compared priors of the same patient, newest first, and refuses another patient’s study', async () => {
    const index = new IndexRepository(db);
    const patient = { name: 'Conceição, João', patientId: 'PAT-77', birthDate: '1961-03-09', sex: 'M' as const };
    const older = index.upsertImage(makeImageRecord('cmp-1', { patient, study: { date: '2021-06-02', description: 'CHEST AP' } })).studyId;
    const prior = index.upsertImage(makeImageRecord('cmp-2', { patient, study: { date: '2023-01-10', description: 'CHEST PA' } })).studyId;
    const stranger = index.upsertImage(makeImageRecord('cmp-3', { patient: { name: 'Other, Ann', patientId: 'PAT-5' } })).studyId;

    const none = await call('reports:draft', { studyId, language: 'en' });
    expect(none.sections.find((s) => s.name === 'comparison')!.text).toBe('None.');

    const compared = await call('reports:draft', { studyId, language: 'en', comparisonStudyIds: [older, prior] });
    expect(compared.sections.find((s) => s.name === 'comparison')!.text).toBe('2023-01-10 (CR, CHEST PA); 2021-06-02 (CR, CHEST AP)');
    expect(compared.fields['study.comparison']).toBe('2023-01-10 (CR, CHEST PA); 2021-06-02 (CR, CHEST AP)');

    await expect(call('reports:draft', { studyId, language: 'en', comparisonStudyIds: [stranger] })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(call('reports:draft', { studyId, language: 'en', comparisonStudyIds: [studyId] })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('the worklist hears of a report moving its study’s status', () => {
  it('announces studies:onDidChange after a draft and a signature, with the new status already stored', async () => {
    const seen: Array<{ ids: number[]; status: string }> = [];
    const off = core.subscribe('studies:onDidChange', (e) => {
      const status = db.sqlite.prepare('SELECT status FROM studies WHERE id = ?').pluck().get(e.studyIds[0]) as string;
      seen.push({ ids: e.studyIds, status });
    });
    const index = new IndexRepository(db);
    const fresh = index.upsertImage(makeImageRecord('status-1', { patient: { name: 'Status, Sam', patientId: 'PAT-S1' } })).studyId;
    const r = await call('reports:draft', { studyId: fresh, language: 'en' });
    // Signing needs Findings and Impression written.
    await call('reports:save', { reportId: r.id, sections: [{ name: 'findings', text: 'Clear lungs.' }, { name: 'impression', text: 'Normal chest.' }] });
    await call('reports:setState', { reportId: r.id, state: 'final' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    off();
    expect(seen).toEqual([
      { ids: [fresh], status: 'in_progress' },
      { ids: [fresh], status: 'final' },
    ]);
  });
});
