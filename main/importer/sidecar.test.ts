import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasShared, sharedPath } from '../../test/helpers/shared.js';
import { addBoxCsv, addLabelCsv, loadSidecarsFor, type SidecarIndex } from './sidecar.js';

describe('sidecar CSVs', () => {
  it('reads a plain CSV with patient data and labels', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidecar-'));
    const csv = join(dir, 'meta.csv');
    writeFileSync(csv, 'file,patient_id,patient_name,age,sex,view,finding_labels,study_date\nimg1.png,P1,"Doe, Jane",61,f,PA,Effusion|Mass,2024-03-01\nimg2.png,P2,,,,AP,No Finding,\n');
    const index: SidecarIndex = new Map();
    expect(addLabelCsv(index, csv)).toBe(2);
    expect(index.get('img1.png')).toMatchObject({
      patientId: 'P1', patientName: 'Doe, Jane', ageYears: 61, sex: 'F', viewPosition: 'PA',
      studyDate: '2024-03-01', labels: ['Effusion', 'Mass'], bodyPart: 'CHEST',
    });
    expect(index.get('img2.png')!.labels).toEqual([]);
  });

  it('finds label and box files in the image folder and its parent', () => {
    const root = mkdtempSync(join(tmpdir(), 'sidecar-'));
    mkdirSync(join(root, 'images'));
    writeFileSync(join(root, 'labels.csv'), 'image,patient_id,age,sex,view,finding_labels\n00000001_000.png,1,57,M,PA,Cardiomegaly\n');
    writeFileSync(join(root, 'bboxes.csv'), 'image,finding,x,y,w,h\n00000001_000.png,Cardiomegaly,10,20,30,40\n');
    const entry = loadSidecarsFor(join(root, 'images')).get('00000001_000.png');
    expect(entry).toMatchObject({ patientId: '1', labels: ['Cardiomegaly'] });
    expect(entry!.boxes).toEqual([{ label: 'Cardiomegaly', source: 'bboxes.csv', box: { x: 10, y: 20, w: 30, h: 40 } }]);
  });
});

describe.skipIf(!hasShared)('the NIH ChestX-ray14 files in ../shared', () => {
  const index = loadSidecarsFor(sharedPath('data', 'nih-cxr14', 'images'));

  it('knows every one of the 200 images, with labels, demographics and original spacing', () => {
    const entry = index.get('00014995_000.png')!;
    expect(entry).toMatchObject({ patientId: '14995', ageYears: 50, sex: 'F', viewPosition: 'PA', labels: ['Cardiomegaly'] });
    // From the official Data_Entry file: original size and detector spacing of the acquisition.
    expect(entry.originalWidth).toBeGreaterThan(1024);
    expect(entry.originalSpacingMm![0]).toBeCloseTo(0.143, 3);
  });

  it('attaches the expert boxes of both box files without duplicates', () => {
    const withBoxes = [...index.values()].filter((e) => e.boxes.length);
    expect(withBoxes.length).toBeGreaterThan(0);
    const e = index.get('00001369_000.png')!;
    expect(e.boxes.filter((b) => b.label === 'Cardiomegaly')).toHaveLength(1);
    expect(e.boxes[0]!.box!.w).toBeCloseTo(553.72, 1);
  });
});

describe('box CSV parsing', () => {
  it('reads the official BBox_List_2017 header with its split "Bbox [x,y,w,h]" column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidecar-'));
    const csv = join(dir, 'BBox_List_2017.csv');
    writeFileSync(csv, 'Image Index,Finding Label,Bbox [x,y,w,h],,,\n00013118_008.png,Atelectasis,225.08,547.01,86.77,79.18\n');
    const index: SidecarIndex = new Map();
    expect(addBoxCsv(index, csv)).toBe(1);
    expect(index.get('00013118_008.png')!.boxes[0]).toEqual({ label: 'Atelectasis', source: 'BBox_List_2017.csv', box: { x: 225.08, y: 547.01, w: 86.77, h: 79.18 } });
  });
});
