import { createRequire } from 'node:module';
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { deidentifyReport, remapUid } from '../deidentify.js';
import { sampleReportDocument } from '../fixtures.js';
import { BASIC_TEXT_SR, renderDicomSr } from './dicomSr.js';

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

  it('is VERIFIED and COMPLETE with the signer as Verifying Observer when final', () => {
    expect(ds.string('x0040a491')).toBe('COMPLETE');
    expect(ds.string('x0040a493')).toBe('VERIFIED');
    expect(ds.string('x0040a496')).toBe('FINAL');
    const obs = ds.elements.x0040a073!.items![0]!.dataSet!;
    expect(utf8(obs, 'x0040a075')).toBe('Dra. Inês Araújo');
    expect(obs.string('x0040a030')).toBe('20240520083100');
    const draft = dicomParser.parseDicom(renderDicomSr(sampleReportDocument({ state: 'draft', signedBy: null, signedAt: null, addenda: [] })));
    expect(draft.string('x0040a493')).toBe('UNVERIFIED');
    expect(draft.string('x0040a491')).toBe('PARTIAL');
    expect(draft.elements.x0040a073).toBeUndefined();
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

  it('holds each section under its LOINC heading, marks AI content and names the AI device, and the addendum', () => {
    expect(ds.string('x0040a040')).toBe('CONTAINER');
    expect(ds.elements.x0040a043!.items![0]!.dataSet!.string('x00080100')).toBe('18748-4');
    const nodes = tree(ds);
    const section = (code: string) => nodes.find((n) => n.type === 'CONTAINER' && n.concept === code)!;
    expect(section('18782-3').children[0]!.text).toContain('Coração de dimensões normais. Señal ñ, façade');
    expect(section('18782-3').children.map((c) => c.concept)).toEqual(['18782-3', 'AI-SECTION']);
    expect(section('19005-8').children.map((c) => c.concept)).toEqual(['19005-8']);
    expect(section('18785-6').children[0]!.text).toContain('Tosse e febre');
    expect(nodes.find((n) => n.concept === 'AI-NOTICE')!.text).toMatch(/^Conteúdo derivado de IA/);
    const ai = section('AI-FINDINGS');
    const ctx = ai.children.filter((c) => c.rel === 'HAS OBS CONTEXT');
    expect(ctx.find((c) => c.concept === '121005')!.ds.elements.x0040a168!.items![0]!.dataSet!.string('x00080100')).toBe('121007');
    expect(ctx.find((c) => c.concept === '121013')!.text).toBe('cxr14-densenet121-demo');
    const findings = ai.children.filter((c) => c.concept === '121071').map((c) => c.text);
    expect(findings).toEqual([
      'Consolidation: Opacidade no lobo inferior direito, compatível com consolidação. (probabilidade 81.2%, limiar 42.0%; accepted)',
      'Effusion: Pequeno derrame pleural à direita. (probabilidade 55.1%, limiar 37.0%; edited)',
    ]);
    expect(section('55107-7').children.find((c) => c.type === 'TEXT')!.text).toBe('Adendo: resultado comunicado ao Dr. Ramírez.');
    // the reader's observation context at the root
    expect(utf8(nodes.find((n) => n.concept === '121008')!.ds, 'x0040a123')).toBe('Dra. Inês Araújo');
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
