import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { StudyDetail } from '../api/studies.js';
import { parseDicom } from '../dicom/index.js';
import { hasShared, sharedPath } from '../../test/helpers/shared.js';
import { systemTool } from '../../test/helpers/systemTools.js';
import { renderAiCapture, SECONDARY_CAPTURE, type AiCaptureInput } from './secondaryCapture.js';

const dcmjs = createRequire(import.meta.url)('dcmjs') as { data: { DicomMessage: { readFile(b: ArrayBuffer): { dict: unknown } }; DicomMetaDictionary: { naturalizeDataset(d: unknown): Record<string, unknown> } } };

const dciodvfy = systemTool('dciodvfy', 'dicom3tools');

async function heatmap(): Promise<Buffer> {
  const w = 32;
  const rgba = Buffer.alloc(w * w * 4);
  for (let i = 0; i < w * w; i++) rgba.set([255, 0, 0, 180], i * 4);
  return sharp(rgba, { raw: { width: w, height: w, channels: 4 } }).png().toBuffer();
}

const study = {
  id: 1,
  studyInstanceUid: '1.3.6.1.4.1.5962.1.2.9.20040826185059.5457',
  patientRowId: 1,
  patientId: '9RG1',
  patientName: 'CompressedSamples, RG1',
  sex: 'F',
  ageYears: 64,
  date: '2004-08-26',
  description: 'THORAX',
  accessionNumber: 'A1',
  modalities: ['CR'],
  institution: '',
  status: 'final',
  aiStatus: 'done',
  maxProbability: 0.8,
  imageCount: 1,
  thumbnail: null,
  importedAt: '2026-01-01T00:00:00Z',
  birthDate: '1940-03-05',
  referringPhysician: '',
  series: [],
  identityConflicts: [],
  topFinding: null,
  calledCount: 0,
  triageScore: null,
} as StudyDetail;

describe.skipIf(!hasShared)('AI key image as DICOM Secondary Capture', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-sc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const input = async (): Promise<AiCaptureInput> => ({
    study,
    source: { filePath: sharedPath('data', 'dicom', 'cxr', 'nema_wg04_RG1_J2KI_CR_chest_MONO1_1841x1955.dcm'), format: 'dicom', sopClassUid: '1.2.840.10008.5.1.4.1.1.1', sopInstanceUid: '1.3.6.1.4.1.5962.1.1.9.1.3.20040826185059.5457' },
    finding: { instanceId: 1, label: 'Effusion', probability: 0.81, threshold: 0.4, text: 'x', decision: 'accepted', location: null, modelPack: 'cxr14-tiny-test', modelVersion: '1.0.0', thresholdVersion: 'pack' },
    heatmapPng: await heatmap(),
    report: { id: 7, signedBy: 'Dr Test', signedAt: '2026-01-01T10:00:00Z' },
    now: new Date('2026-01-02T10:00:00Z'),
  });

  it('is in the original study, labelled as AI output in its header and burned into its pixels', async () => {
    const bytes = await renderAiCapture(await input());
    const parsed = parseDicom(bytes, 'sc');
    expect(parsed.meta).toMatchObject({ sopClassUid: SECONDARY_CAPTURE, studyInstanceUid: study.studyInstanceUid, patientId: '9RG1', photometric: 'RGB', samplesPerPixel: 3 });
    const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).dict);
    expect(ds.ImageType).toEqual(['DERIVED', 'SECONDARY', 'AI']);
    expect(ds.BurnedInAnnotation).toBe('YES');
    expect(String(ds.SeriesDescription)).toMatch(/^AI OUTPUT/);
    expect(String(ds.ImageComments)).toMatch(/NOT A DIAGNOSIS/);
    expect((ds.SourceImageSequence as Array<Record<string, string>>)[0]!.ReferencedSOPInstanceUID).toBe('1.3.6.1.4.1.5962.1.1.9.1.3.20040826185059.5457');
    // The top band carries the label in yellow text on black.
    const frame = await parsed.decodeFrame(0);
    const width = frame.width;
    let yellow = 0;
    for (let y = 0; y < 30; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 3;
        const [r, g, b] = [frame.data[i]!, frame.data[i + 1]!, frame.data[i + 2]!];
        if (r > 200 && g > 160 && b < 80) yellow++;
      }
    }
    expect(yellow).toBeGreaterThan(200);
  });

  it('has stable UIDs, so sending it again does not duplicate it', async () => {
    const a = parseDicom(await renderAiCapture(await input()), 'a').meta;
    const b = parseDicom(await renderAiCapture({ ...(await input()), now: new Date('2027-01-01T00:00:00Z') }), 'b').meta;
    expect(a.sopInstanceUid).toBe(b.sopInstanceUid);
    expect(a.seriesInstanceUid).toBe(b.seriesInstanceUid);
  });

  it.skipIf(dciodvfy.skip)('passes dciodvfy (Secondary Capture Image IOD) without errors', async () => {
    dciodvfy.require();
    const file = join(dir, 'sc.dcm');
    writeFileSync(file, await renderAiCapture(await input()));
    // dciodvfy exits non-zero on warnings too; its "Error" lines are what an IOD violation looks like.
    const report = execFileSync('sh', ['-c', 'dciodvfy "$1" 2>&1 || true', 'sh', file], { encoding: 'utf8' });
    expect(report).toMatch(/SCImage/);
    expect(report.split('\n').filter((l) => l.startsWith('Error'))).toEqual([]);
  });
});
