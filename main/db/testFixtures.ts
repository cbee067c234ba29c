import type { ImageRecord } from './records.js';

/** Partial overrides per part of an {@link ImageRecord}. */
export interface ImageRecordOverrides {
  patient?: Partial<ImageRecord['patient']>;
  study?: Partial<ImageRecord['study']>;
  series?: Partial<ImageRecord['series']>;
  instance?: Partial<ImageRecord['instance']>;
  referenceFindings?: ImageRecord['referenceFindings'];
}

/**
 * A complete, plausible image record for tests of any domain that needs studies in the index. `key` makes the
 * UIDs and path unique; each override replaces fields of its part.
 */
export function makeImageRecord(key: string | number, o: ImageRecordOverrides = {}): ImageRecord {
  return {
    patient: { patientId: `PAT-${key}`, issuer: '', name: `Doe, Jane ${key}`, sex: 'F', birthDate: '1970-01-01', ...o.patient },
    study: {
      studyInstanceUid: `1.2.826.0.1.${key}`,
      date: '2024-03-01',
      time: '10:00:00',
      description: 'CHEST PA',
      accessionNumber: `ACC-${key}`,
      referringPhysician: 'Dr House',
      institution: 'General Hospital',
      ageYears: 54,
      ...o.study,
    },
    series: {
      seriesInstanceUid: `1.2.826.0.1.${key}.1`,
      modality: 'CR',
      seriesNumber: 1,
      description: 'PA',
      bodyPart: 'CHEST',
      ...o.series,
    },
    instance: {
      sopInstanceUid: `1.2.826.0.1.${key}.1.1`,
      sopClassUid: '1.2.840.10008.5.1.4.1.1.1',
      instanceNumber: 1,
      format: 'dicom',
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      rows: 2048,
      columns: 2048,
      frames: 1,
      bitsStored: 12,
      photometric: 'MONOCHROME2',
      viewPosition: 'PA',
      bodyPart: 'CHEST',
      pixelSpacing: { rowMm: 0.139, colMm: 0.139, source: 'ImagerPixelSpacing' },
      windowCenter: 2048,
      windowWidth: 4096,
      filePath: `/data/images/${key}.dcm`,
      fileSize: 8_000_000,
      fileMtimeMs: 1_700_000_000_000,
      contentHash: `hash-${key}`,
      thumbnailPath: `thumbnails/${key}.png`,
      ...o.instance,
    },
    referenceFindings: o.referenceFindings ?? [],
  };
}
