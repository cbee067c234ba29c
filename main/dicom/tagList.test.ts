import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasShared, sharedPath } from '../../test/helpers/shared.js';
import { listTags } from './tagList.js';

describe.skipIf(!hasShared)('DICOM tag list (shared chest DICOMs)', () => {
  it('lists the elements of a JPEG 2000 CR with names, VRs and values, the pixel data by size', () => {
    const path = sharedPath('data', 'dicom', 'cxr', 'nema_wg04_RG1_J2KI_CR_chest_MONO1_1841x1955.dcm');
    const { transferSyntaxUid, rows } = listTags(readFileSync(path), path);
    expect(transferSyntaxUid).toBe('1.2.840.10008.1.2.4.91');
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('PatientOrientation')).toMatchObject({ tag: '(0020,0020)', vr: 'CS', value: 'L\\F', depth: 0 });
    expect(byName.get('Rows')).toMatchObject({ tag: '(0028,0010)', vr: 'US', value: '1955' });
    expect(byName.get('PatientName')?.value).toBe('CompressedSamples^RG1');
    expect(byName.get('PixelData')?.value).toMatch(/^<pixel data: \d+ fragment\(s\)>$/);
    // Sorted by tag.
    expect(rows.filter((r) => r.depth === 0).map((r) => r.tag)).toEqual([...rows.filter((r) => r.depth === 0).map((r) => r.tag)].sort());
  });

  it('reads a file without a meta header (implicit VR) with names from the dictionary', () => {
    const path = sharedPath('data', 'dicom', 'cxr', 'fodicom_CR-MONO1-10-chest_nometa_implicit_440.dcm');
    const { rows } = listTags(readFileSync(path), path);
    expect(rows.find((r) => r.tag === '(0018,5101)')).toMatchObject({ name: 'ViewPosition', vr: 'CS', value: 'PA' });
    expect(rows.find((r) => r.tag === '(0028,0100)')).toMatchObject({ name: 'BitsAllocated', vr: 'US', value: '16' });
  });
});
