/**
 * Cohort export formats: CSV (one row per image) and COCO-style JSON with boxes. Pure functions over plain rows so
 * they are tested without a database; the service gathers the rows and writes the files.
 */
import { toCsv } from '../platform/csv.js';

export interface BoxSpec {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface CohortExportRow {
  instanceId: number;
  studyId: number;
  patientId: string;
  studyDate: string | null;
  sex: string | null;
  ageYears: number | null;
  viewPosition: string;
  filePath: string;
  thumbnail: string;
  width: number;
  height: number;
  referenceFindings: { label: string; box: BoxSpec | null }[];
  /** AI probabilities by label (empty when not analysed or withheld by the quality gate). */
  probabilities: Record<string, number>;
  /** Validated operating points only: a label missing here is not calibrated, and its `ai_` column stays empty. */
  thresholds: Record<string, number>;
  /** CAM boxes per label from the analysis (image pixels). */
  aiBoxes: Record<string, BoxSpec[]>;
  /** The reader's measurements (main/api/annotations.ts) as boxes, with who drew them and when. */
  readerBoxes: { label: string; box: BoxSpec; by?: string; at?: string }[];
}

/**
 * CSV: fixed columns, then `p_<label>` and `ai_<label>` (0/1 at a validated operating point, empty when the label is not
 * calibrated) per label, then `ref_<label>` (0/1).
 */
export function cohortCsv(rows: readonly CohortExportRow[], labels: readonly string[]): string {
  const header = [
    'instance_id',
    'study_id',
    'patient_id',
    'study_date',
    'sex',
    'age',
    'view',
    'file_path',
    'thumbnail',
    'reference_labels',
    ...labels.map((l) => `p_${l}`),
    ...labels.map((l) => `ai_${l}`),
    ...labels.map((l) => `ref_${l}`),
  ];
  const lines: Array<Array<string | number | null>> = [header];
  for (const r of rows) {
    const refs = new Set(r.referenceFindings.map((f) => f.label.toLowerCase()));
    const p = (l: string) => r.probabilities[l];
    lines.push(
      [
        r.instanceId,
        r.studyId,
        r.patientId,
        r.studyDate,
        r.sex,
        r.ageYears,
        r.viewPosition,
        r.filePath,
        r.thumbnail,
        [...new Set(r.referenceFindings.map((f) => f.label))].join('|'),
        ...labels.map((l) => (p(l) === undefined ? null : Number(p(l)!.toFixed(6)))),
        ...labels.map((l) => (p(l) === undefined || r.thresholds[l] === undefined ? null : p(l)! >= r.thresholds[l]! ? 1 : 0)),
        ...labels.map((l) => (refs.has(l.toLowerCase()) ? 1 : 0)),
      ],
    );
  }
  return toCsv(lines);
}

export interface CocoDocument {
  info: { description: string; version: string; date_created: string; query: string; pack: string | null };
  images: { id: number; file_name: string; width: number; height: number; study_id: number; patient_id: string; thumbnail: string }[];
  categories: { id: number; name: string; supercategory: string }[];
  annotations: {
    id: number;
    image_id: number;
    category_id: number;
    bbox: [number, number, number, number];
    area: number;
    iscrowd: 0;
    /** ai-cam: box around the CAM's hot region of a positive finding; reference: expert box; reader: measurement. */
    source: 'ai-cam' | 'reference' | 'reader';
    /** The AI probability for ai-cam boxes. */
    score?: number;
    /** Reader measurements: who measured, and when. */
    reader?: string;
    measured_at?: string;
  }[];
}

/**
 * COCO-style JSON: images, one category per label, annotations for AI CAM boxes of positive findings, reference
 * boxes and reader boxes. Labels outside the pack's list (a reference label the pack lacks) get their own category.
 */
export function cohortCoco(
  rows: readonly CohortExportRow[],
  labels: readonly string[],
  meta: { query: string; pack: string | null; createdAt: string },
): CocoDocument {
  const categories: CocoDocument['categories'] = [];
  const categoryId = new Map<string, number>();
  const category = (label: string, supercategory: 'finding' | 'measurement' = 'finding') => {
    const key = label.toLowerCase();
    let id = categoryId.get(key);
    if (id === undefined) {
      id = categories.length + 1;
      categoryId.set(key, id);
      categories.push({ id, name: label, supercategory });
    }
    return id;
  };
  for (const label of labels) category(label);
  const annotations: CocoDocument['annotations'] = [];
  const add = (
    imageId: number,
    label: string,
    box: BoxSpec,
    source: CocoDocument['annotations'][number]['source'],
    score?: number,
    reader?: { by?: string; at?: string },
  ) => {
    const bbox: [number, number, number, number] = [round(box.x), round(box.y), round(box.w), round(box.h)];
    annotations.push({
      id: annotations.length + 1,
      image_id: imageId,
      category_id: category(label),
      bbox,
      area: round(box.w * box.h),
      iscrowd: 0,
      source,
      ...(score === undefined ? {} : { score: Number(score.toFixed(6)) }),
      ...(reader?.by ? { reader: reader.by } : {}),
      ...(reader?.at ? { measured_at: reader.at } : {}),
    });
  };
  for (const r of rows) {
    for (const label of labels) {
      const p = r.probabilities[label];
      const t = r.thresholds[label];
      if (p === undefined || t === undefined || p < t) continue;
      for (const box of r.aiBoxes[label] ?? []) add(r.instanceId, label, box, 'ai-cam', p);
    }
    for (const f of r.referenceFindings) if (f.box) add(r.instanceId, f.label, f.box, 'reference');
    for (const f of r.readerBoxes) {
      category(f.label, 'measurement');
      add(r.instanceId, f.label, f.box, 'reader', undefined, f);
    }
  }
  return {
    info: { description: 'Cohort export of the CXR workstation', version: '1.0', date_created: meta.createdAt, query: meta.query, pack: meta.pack },
    images: rows.map((r) => ({
      id: r.instanceId,
      file_name: r.filePath,
      width: r.width,
      height: r.height,
      study_id: r.studyId,
      patient_id: r.patientId,
      thumbnail: r.thumbnail,
    })),
    categories,
    annotations,
  };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Boxes per label from an analysis' stored localisation JSON ({label: {boxes: [...]}}); anything else gives none. */
export function boxesFromLocalisations(localisations: Readonly<Record<string, { boxes: BoxSpec[] }>>): Record<string, BoxSpec[]> {
  const out: Record<string, BoxSpec[]> = {};
  for (const [label, loc] of Object.entries(localisations)) out[label] = loc.boxes;
  return out;
}
