import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasShared, sharedPath } from '../../test/helpers/shared.js';
import { describeImage, rasterPatientId } from './describeImage.js';
import type { SidecarEntry } from './sidecar.js';

describe('patient IDs of PNG/JPEG images', () => {
  it('writes an NIH patient number with 8 digits whether or not labels.csv gave it; other IDs stay as given', () => {
    expect(rasterPatientId('13125', '00013125', '00013125_000')).toBe('00013125');
    expect(rasterPatientId(undefined, '00013125', '00013125_000')).toBe('00013125');
    expect(rasterPatientId('00013125', '00013125', '00013125_000')).toBe('00013125');
    expect(rasterPatientId('MRN-7', '00013125', '00013125_000')).toBe('MRN-7');
    expect(rasterPatientId('42', undefined, 'scan')).toBe('42');
    expect(rasterPatientId(undefined, undefined, 'scan')).toBe('scan');
  });

  it.skipIf(!hasShared)('gives the same patient and study to an NIH image imported with and without labels.csv', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cxr-nih-id-'));
    const path = sharedPath('data', 'nih-cxr14', 'images', '00014995_000.png');
    const bytes = new Uint8Array(readFileSync(path));
    const facts = { path, size: bytes.length, mtimeMs: 1 };
    const sidecar: SidecarEntry = { patientId: '14995', labels: [], boxes: [], source: 'labels.csv' };
    const [withCsv, without] = await Promise.all([describeImage(bytes, facts, dataDir, sidecar), describeImage(bytes, facts, dataDir, null)]);
    if (withCsv.kind !== 'image' || without.kind !== 'image') throw new Error('not described');
    expect(withCsv.record.patient.patientId).toBe('00014995');
    expect(without.record.patient.patientId).toBe('00014995');
    expect(withCsv.record.study.studyInstanceUid).toBe(without.record.study.studyInstanceUid);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
