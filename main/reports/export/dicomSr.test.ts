import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { dciodvfy, dsrdump } from '../../../test/helpers/systemTools.js';
import { deidentifyReport, remapUid } from '../deidentify.js';
import { sampleReportDocument } from '../fixtures.js';
import type { ReportDocument } from '../model.js';
import { BASIC_TEXT_SR, DEIDENTIFICATION_METHOD, renderDicomSr } from './dicomSr.js';

const dcmjs = createRequire(import.meta.url)('dcmjs');

function utf8(ds: dicomParser.DataSet, tag: string): string {
  const el = ds.elements[tag];
  return el ? new TextDecoder().decode(ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length)).replace(/[\0 ]+$/, '') : '';
}

interface Node {
  rel: string;
  type: string;
  concept: string;
  scheme: string;
  text: string;
  children: Node[];
  ds: dicomParser.DataSet;
}

/** The SR content tree as read by dicom-parser: relationship, value type, concept code, text, children. */
function tree(ds: dicomParser.DataSet): Node[] {
  return (ds.elements.x0040a730?.items ?? []).map((item) => {
    const d = item.dataSet!;
    const concept = d.elements.x0040a043?.items?.[0]?.dataSet;
    return {
      rel: d.string('x0040a010') ?? '',
      type: d.string('x0040a040') ?? '',
      concept: concept?.string('x00080100') ?? '',
      scheme: concept?.string('x00080102') ?? '',
      text: utf8(d, 'x0040a160'),
      children: tree(d),
      ds: d,
    };
  });
}

describe('DICOM Basic Text SR export', () => {
  const doc = sampleReportDocument();
  const bytes = renderDicomSr(doc);
  const ds = dicomParser.parseDicom(bytes);

  it('is a Part 10 file of the Basic Text SR class in UTF-8 with the patient and study of the image', () => {
    expect(new TextDecoder().decode(bytes.subarray(128, 132))).toBe('DICM');
    expect(ds.string('x00020010')).toBe('1.2.840.10008.1.2.1');
    expect(ds.string('x00080016')).toBe(BASIC_TEXT_SR);
    expect(ds.string('x00020002')).toBe(BASIC_TEXT_SR);
    expect(ds.string('x00020003')).toBe(ds.string('x00080018'));
    expect(ds.string('x00080005')).toBe('ISO_IR 192');
    expect(ds.string('x00080060')).toBe('SR');
    expect(utf8(ds, 'x00100010')).toBe('Conceição^João');
    expect(ds.string('x00100020')).toBe('PAT-00042');
    expect(ds.string('x00100030')).toBe('19610309');
    expect(ds.string('x0020000d')).toBe('1.2.826.0.1.3680043.8.498.1001');
    expect(ds.string('x00080020')).toBe('20240520');
    expect(ds.string('x00080050')).toBe('ACC-7781');
    // the SR's own series is new, not the image's
    expect(ds.string('x0020000e')).not.toBe('1.2.826.0.1.3680043.8.498.1001.2');
  });

  it('is VERIFIED and COMPLETE with the signer as Verifying Observer (names in Family^Given form) when final', () => {
    expect(ds.string('x0040a491')).toBe('COMPLETE');
    expect(ds.string('x0040a493')).toBe('VERIFIED');
    expect(ds.string('x0040a496')).toBe('FINAL');
    const obs = ds.elements.x0040a073!.items![0]!.dataSet!;
    expect(utf8(obs, 'x0040a075')).toBe('Araújo^Inês^^Dra.');
    expect(obs.string('x0040a030')).toBe('20240520083100');
    expect(utf8(obs, 'x0040a027')).toBe('Hospital São José');
    expect(utf8(ds, 'x00080090')).toBe('Ramírez^Tomás');
    const draft = dicomParser.parseDicom(renderDicomSr(sampleReportDocument({ state: 'draft', signedBy: null, signedAt: null, addenda: [] })));
    expect(draft.string('x0040a493')).toBe('UNVERIFIED');
    expect(draft.string('x0040a491')).toBe('PARTIAL');
    expect(draft.elements.x0040a073).toBeUndefined();
  });

  it('has the Type 2 sequences a Basic Text SR requires, empty, and no private coding scheme anywhere', () => {
    expect(ds.elements.x00081111?.length).toBe(0); // Referenced Performed Procedure Step Sequence
    expect(ds.elements.x0040a372?.length).toBe(0); // Performed Procedure Code Sequence
    const schemes = new Set<string>();
    const walk = (nodes: Node[]) => nodes.forEach((n) => (schemes.add(n.scheme), walk(n.children)));
    walk(tree(ds));
    expect([...schemes].sort()).toEqual(['DCM', 'LN', 'SCT']);
    expect(new TextDecoder().decode(bytes)).not.toContain('99CXRWS');
  });

  it('lists the key image as evidence and as an IMAGE content item', () => {
    const evidence = ds.elements.x0040a375!.items![0]!.dataSet!;
    expect(evidence.string('x0020000d')).toBe('1.2.826.0.1.3680043.8.498.1001');
    const series = evidence.elements.x00081115!.items![0]!.dataSet!;
    expect(series.string('x0020000e')).toBe('1.2.826.0.1.3680043.8.498.1001.2');
    const sop = series.elements.x00081199!.items![0]!.dataSet!;
    expect(sop.string('x00081150')).toBe('1.2.840.10008.5.1.4.1.1.1');
    expect(sop.string('x00081155')).toBe('1.2.826.0.1.3680043.8.498.1001.2.1');
    const image = tree(ds).find((n) => n.type === 'IMAGE')!;
    expect(image.ds.elements.x00081199!.items![0]!.dataSet!.string('x00081155')).toBe('1.2.826.0.1.3680043.8.498.1001.2.1');
  });

  it('holds each section under its LOINC heading, and the AI part as a CAD summary with the device, the AI section and coded findings', () => {
    expect(ds.string('x0040a040')).toBe('CONTAINER');
    expect(ds.elements.x0040a043!.items![0]!.dataSet!.string('x00080100')).toBe('18748-4');
    const nodes = tree(ds);
    const section = (code: string) => nodes.find((n) => n.type === 'CONTAINER' && n.concept === code)!;
    expect(section('18782-3').children[0]!.text).toContain('Coração de dimensões normais. Señal ñ, façade');
    expect(section('18782-3').children.map((c) => c.text)).toContain('[contém texto gerado por IA]');
    expect(section('19005-8').children.map((c) => c.concept)).toEqual(['19005-8']);
    expect(section('18785-6').children[0]!.text).toContain('Tosse e febre');
    const ai = section('111017');
    const ctx = ai.children.filter((c) => c.rel === 'HAS OBS CONTEXT');
    expect(ctx.find((c) => c.concept === '121005')!.ds.elements.x0040a168!.items![0]!.dataSet!.string('x00080100')).toBe('121007');
    expect(ctx.find((c) => c.concept === '121013')!.text).toBe('cxr14-densenet121-demo');
    const aiSection = ai.children.find((c) => c.concept === '121106')!.text;
    expect(aiSection).toMatch(/^Apoio à decisão por IA\nModelo: ChestX-ray14 DenseNet-121/);
    expect(aiSection).toContain('Not for clinical use.');
    const findings = ai.children.filter((c) => c.concept === '121071');
    const valueOf = (n: Node) => n.ds.elements.x0040a168!.items![0]!.dataSet!;
    expect(findings.map((f) => `${valueOf(f).string('x00080100')} ${valueOf(f).string('x00080102')}`)).toEqual(['95436008 SCT', '60046008 SCT']);
    const mods = (f: Node) => f.children.map((m) => `${m.concept}=${valueOf(m).string('x00080100')}`);
    expect(mods(findings[0]!)).toEqual(['111012=2931005', '272741003=24028007']);
    expect(mods(findings[1]!)).toEqual(['111012=60022001', '272741003=24028007']);
    expect(ai.children.some((c) => c.text.startsWith('Effusion: AI probability 55.1%, threshold 37.0% (calibration #3); reader edited: Pequeno derrame'))).toBe(true);
    expect(section('55107-7').children.find((c) => c.type === 'TEXT')!.text).toBe('Adendo: resultado comunicado ao Dr. Ramírez.');
    // the reader's observation context at the root
    expect(utf8(nodes.find((n) => n.concept === '121008')!.ds, 'x0040a123')).toBe('Araújo^Inês^^Dra.');
  });

  it('names a PNG key image as a file and references no SOP instance that exists nowhere', () => {
    const base = sampleReportDocument();
    const png = renderDicomSr(sampleReportDocument({ images: [{ ...base.images[0]!, format: 'png', fileName: '00014995_000.png' }] }));
    const d = dicomParser.parseDicom(png);
    expect(d.elements.x0040a375).toBeUndefined();
    expect(tree(d).some((n) => n.type === 'IMAGE')).toBe(false);
    expect(tree(d).find((n) => n.text.includes('00014995_000.png'))!.text).toBe('Imagem-chave: PNG file 00014995_000.png, PA: not a DICOM object, so not referenced by UID');
    expect(new TextDecoder().decode(png)).not.toContain(base.images[0]!.sopInstanceUid);
  });

  it('reads back with dcmjs too (a second independent reader)', () => {
    const dict = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const nat = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict);
    expect(nat.SOPClassUID).toBe(BASIC_TEXT_SR);
    expect(nat.ContentSequence.length).toBeGreaterThan(5);
    expect(nat.CurrentRequestedProcedureEvidenceSequence.ReferencedSeriesSequence.ReferencedSOPSequence.ReferencedSOPInstanceUID).toBe('1.2.826.0.1.3680043.8.498.1001.2.1');
  });

  it('de-identified: PS3.15 attributes, remapped UIDs, no names, IDs or original dates', () => {
    const secret = { secret: 'test-secret' };
    const d = dicomParser.parseDicom(renderDicomSr(deidentifyReport(doc, secret)));
    expect(d.string('x00120062')).toBe('YES');
    expect(d.string('x00120063')).toBe(DEIDENTIFICATION_METHOD);
    expect(DEIDENTIFICATION_METHOD.length).toBeLessThanOrEqual(64);
    expect(d.elements.x0040a073!.items![0]!.dataSet!.string('x0040a027')).toBe('REMOVED');
    expect(tree(d).find((n) => n.concept === '121106' && n.text.startsWith('Cópia anonimizada.'))!.text).toContain('Não limpos:');
    expect(d.string('x00280303')).toBe('MODIFIED');
    expect(d.string('x0020000d')).toBe(remapUid(secret, '1.2.826.0.1.3680043.8.498.1001'));
    const sop = d.elements.x0040a375!.items![0]!.dataSet!.elements.x00081115!.items![0]!.dataSet!.elements.x00081199!.items![0]!.dataSet!;
    expect(sop.string('x00081155')).toBe(remapUid(secret, '1.2.826.0.1.3680043.8.498.1001.2.1'));
    expect(sop.string('x00081150')).toBe('1.2.840.10008.5.1.4.1.1.1');
    const all = new TextDecoder().decode(renderDicomSr(deidentifyReport(doc, secret)));
    for (const gone of ['Conceição', 'João', 'PAT-00042', 'ACC-7781', 'Araújo', 'Ramírez', 'São José', '19610309', '20240520', '1.2.826.0.1.3680043.8.498.1001']) {
      expect(all).not.toContain(gone);
    }
  });
});

/**
 * Every SR variant validated by dciodvfy (dicom3tools), the reference DICOM validator: zero errors. The output is
 * printed for the record; the one warning left is "Study ID" (Type 2: the SR does not invent its study's ID).
 */
const validator = dciodvfy();

describe.skipIf(validator.skip)('dciodvfy validates every SR variant with zero errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-sr-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = sampleReportDocument();
  const pngImage = { ...base.images[0]!, format: 'png' as const, fileName: '00014995_000.png', sopClassUid: '1.2.840.10008.5.1.4.1.1.7' };
  const variants: Array<[string, ReportDocument]> = [
    ['plain (draft)', sampleReportDocument({ state: 'draft', signedBy: null, signedAt: null, addenda: [] })],
    ['signed (final, with addendum)', base],
    ['de-identified', deidentifyReport(base, { secret: 's' })],
    ['PNG study', sampleReportDocument({ images: [pngImage] })],
    ['de-identified PNG study', deidentifyReport(sampleReportDocument({ images: [pngImage] }), { secret: 's' })],
  ];
  for (const [name, doc] of variants) {
    it(name, () => {
      validator.require();
      const file = join(dir, `${name.replace(/\W+/g, '-')}.dcm`);
      writeFileSync(file, renderDicomSr(doc));
      // dciodvfy reports on stderr and may exit non-zero on warnings alone: read both streams, judge by the lines.
      const output = execFileSync('sh', ['-c', 'dciodvfy "$1" 2>&1 || true', 'sh', file], { encoding: 'utf8' });
      console.log(`    dciodvfy ${name}: ${output.trim().split('\n').join(' | ')}`);
      expect(output).toContain('BasicTextSR');
      expect(output.split('\n').filter((l) => l.startsWith('Error')), output).toEqual([]);
    });
  }
});

/** dcmtk's dsrdump checks the content tree against the Basic Text SR relationship constraints (dciodvfy does not). */
const treeReader = dsrdump();

describe.skipIf(treeReader.skip)('dsrdump reads every SR variant as a valid Basic Text SR tree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-sr-tree-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = sampleReportDocument();
  for (const [name, doc] of [
    ['signed', base],
    ['de-identified', deidentifyReport(base, { secret: 's' })],
    ['PNG study', sampleReportDocument({ images: [{ ...base.images[0]!, format: 'png' }] })],
  ] as const) {
    it(name, () => {
      treeReader.require();
      const file = join(dir, `${name.replace(/\W+/g, '-')}.dcm`);
      writeFileSync(file, renderDicomSr(doc));
      const output = execFileSync('sh', ['-c', 'dsrdump "$1" 2>&1; echo "exit=$?"', 'sh', file], { encoding: 'utf8' });
      expect(output.split('\n').filter((l) => /^(E|F):/.test(l)), output).toEqual([]);
      expect(output).toContain('Basic Text SR Document');
      expect(output).toContain('exit=0');
    });
  }
});
