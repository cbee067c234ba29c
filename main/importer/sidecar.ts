import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ReferenceFindingRecord } from '../db/records.js';
import { csvRecords } from '../platform/csv.js';

/**
 * What a sidecar CSV says about one non-DICOM image. The NIH ChestX-ray14 files are understood (our labels.csv,
 * the official Data_Entry_2017*.csv(.gz) and the box lists), and so is any CSV whose columns use those names or
 * the plain ones (file, patient_id, patient_name, age, sex, view, finding_labels, study_date, modality).
 */
export interface SidecarEntry {
  patientId?: string;
  patientName?: string;
  ageYears?: number;
  sex?: 'M' | 'F' | 'O';
  viewPosition?: string;
  studyDate?: string;
  modality?: string;
  /** CHEST when the row comes from a chest X-ray label file (it has a finding-labels column). */
  bodyPart?: string;
  /** Original acquisition size and spacing (NIH publishes them for the downsampled PNGs). */
  originalWidth?: number;
  originalHeight?: number;
  originalSpacingMm?: [number, number];
  labels: string[];
  boxes: ReferenceFindingRecord[];
  source: string;
}

export type SidecarIndex = Map<string, SidecarEntry>;

const NORMAL = new Set(['no finding', 'normal', '']);

function pick(rec: Record<string, string>, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = rec[n];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

function readText(path: string): string {
  const raw = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

function entryFor(index: SidecarIndex, file: string, source: string): SidecarEntry {
  let e = index.get(file);
  if (!e) index.set(file, (e = { labels: [], boxes: [], source }));
  return e;
}

/** Adds one label/demographics CSV to the index; earlier files win for fields already set. */
export function addLabelCsv(index: SidecarIndex, path: string): number {
  const source = basename(path);
  let n = 0;
  for (const rec of csvRecords(readText(path))) {
    const file = pick(rec, 'image', 'Image Index', 'file', 'filename', 'path');
    if (!file) continue;
    const e = entryFor(index, basename(file), source);
    e.patientId ??= pick(rec, 'patient_id', 'Patient ID', 'PatientID');
    e.patientName ??= pick(rec, 'patient_name', 'Patient Name', 'PatientName');
    const age = pick(rec, 'age', 'Patient Age', 'age_years');
    if (e.ageYears === undefined && age !== undefined && Number.isFinite(Number.parseFloat(age))) e.ageYears = Number.parseFloat(age);
    const sex = pick(rec, 'sex', 'Patient Gender', 'PatientSex')?.toUpperCase();
    if (e.sex === undefined && (sex === 'M' || sex === 'F' || sex === 'O')) e.sex = sex;
    e.viewPosition ??= pick(rec, 'view', 'View Position', 'ViewPosition');
    e.studyDate ??= pick(rec, 'study_date', 'StudyDate');
    e.modality ??= pick(rec, 'modality', 'Modality');
    const ow = Number(pick(rec, 'OriginalImage[Width'));
    const oh = Number(pick(rec, 'Height]'));
    const sx = Number(pick(rec, 'OriginalImagePixelSpacing[x'));
    const sy = Number(pick(rec, 'y]'));
    if (e.originalWidth === undefined && [ow, oh, sx, sy].every((v) => Number.isFinite(v) && v > 0)) {
      e.originalWidth = ow;
      e.originalHeight = oh;
      e.originalSpacingMm = [sy, sx];
    }
    const labels = pick(rec, 'finding_labels', 'Finding Labels', 'labels');
    if (labels !== undefined) e.bodyPart ??= pick(rec, 'body_part', 'BodyPartExamined') ?? 'CHEST';
    if (labels !== undefined && e.labels.length === 0) {
      e.labels = labels.split('|').map((l) => l.trim()).filter((l) => !NORMAL.has(l.toLowerCase()));
    }
    n++;
  }
  return n;
}

/** Adds expert boxes (NIH BBox_List_2017.csv or our bboxes.csv: image, finding, x, y, w, h). */
export function addBoxCsv(index: SidecarIndex, path: string): number {
  const source = basename(path);
  let n = 0;
  for (const rec of csvRecords(readText(path))) {
    const file = pick(rec, 'image', 'Image Index');
    const label = pick(rec, 'finding', 'Finding Label');
    const x = Number(pick(rec, 'x', 'Bbox [x'));
    const y = Number(pick(rec, 'y'));
    const w = Number(pick(rec, 'w'));
    const h = Number(pick(rec, 'h]', 'h'));
    if (!file || !label || ![x, y, w, h].every(Number.isFinite)) continue;
    const e = entryFor(index, basename(file), source);
    if (e.boxes.some((b) => b.label === label && b.box?.x === x && b.box?.y === y)) continue;
    e.boxes.push({ label, source, box: { x, y, w, h } });
    n++;
  }
  return n;
}

const LABEL_FILES = [/^labels\.csv$/i, /^data_entry_2017.*\.csv(\.gz)?$/i, /^metadata\.csv$/i];
const BOX_FILES = [/^bboxes\.csv$/i, /^bbox_list_2017\.csv$/i];

/**
 * Finds sidecars for images in `dir`: CSVs in the folder itself and its parent (the NIH layout keeps
 * images/ beside the label files). Cached per folder by the caller.
 */
export function loadSidecarsFor(dir: string, explicitCsv?: string): SidecarIndex {
  const index: SidecarIndex = new Map();
  if (explicitCsv) addLabelCsv(index, explicitCsv);
  for (const d of [dir, dirname(dir)]) {
    let names: string[];
    try {
      names = readdirSync(d).sort((a, b) => a.length - b.length); // labels.csv before the big official file
    } catch {
      continue;
    }
    for (const n of names) if (LABEL_FILES.some((re) => re.test(n))) addLabelCsv(index, join(d, n));
    for (const n of names) if (BOX_FILES.some((re) => re.test(n))) addBoxCsv(index, join(d, n));
  }
  return index;
}
