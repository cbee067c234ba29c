import type { FindingDecision } from '../api/analysis.js';
import type { DbHandle } from './connection.js';
import { systemClock, type Clock } from './clock.js';
import {
  StoredCalibrationLabelsSchema,
  StoredLabelsSchema,
  StoredLocalisationsSchema,
  StoredQualitySchema,
  type StoredCalibrationLabel,
  type StoredLocalisation,
  type StoredQuality,
} from './analysisColumns.js';
import { parseJsonColumn } from './jsonColumn.js';

/** Float32Array ↔ BLOB (little-endian platform order; both ends are this program). */
export function f32ToBlob(a: Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

export function blobToF32(b: Buffer | Uint8Array): Float32Array {
  // Copy: SQLite's buffer may not be 4-byte aligned.
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer);
}

/** What the analysis pipeline stores for one image and pack version; the JSON columns' shapes are in analysisColumns.ts. */
export interface AnalysisRecord {
  instanceId: number;
  packId: string;
  packVersion: string;
  labels: string[];
  probabilities: Float32Array;
  logits: Float32Array | null;
  embedding: Float32Array | null;
  cam: Float32Array | null;
  camRows: number | null;
  camCols: number | null;
  imageWidth: number;
  imageHeight: number;
  quality: StoredQuality;
  qualityOk: boolean;
  localisations: Record<string, StoredLocalisation>;
  lungFieldSource: string;
  provider: string;
  inferenceMs: number;
  totalMs: number;
}

export interface AnalysisRow extends AnalysisRecord {
  id: number;
  createdAt: string;
}

export interface CalibrationRecord {
  packId: string;
  packVersion: string;
  method: 'youden' | 'sensitivity';
  targetSensitivity: number | null;
  source: string;
  imageCount: number;
  labels: StoredCalibrationLabel[];
}

export interface CalibrationRow extends CalibrationRecord {
  id: number;
  createdAt: string;
}

/** The reader's decision on a finding, as the contract declares it. */
export type ReviewDecision = FindingDecision;

export interface FindingReview {
  label: string;
  decision: ReviewDecision;
  text: string | null;
  reviewedAt: string;
}

interface RawAnalysis {
  id: number;
  instance_id: number;
  pack_id: string;
  pack_version: string;
  labels: string;
  probabilities: Buffer;
  logits: Buffer | null;
  embedding: Buffer | null;
  cam: Buffer | null;
  cam_rows: number | null;
  cam_cols: number | null;
  image_width: number;
  image_height: number;
  quality: string;
  quality_ok: number;
  localisations: string;
  lung_field_source: string;
  provider: string;
  inference_ms: number;
  total_ms: number;
  created_at: string;
}

function toRow(r: RawAnalysis): AnalysisRow {
  return {
    id: r.id,
    instanceId: r.instance_id,
    packId: r.pack_id,
    packVersion: r.pack_version,
    labels: parseJsonColumn(StoredLabelsSchema, r.labels, `labels of analysis ${r.id}`),
    probabilities: blobToF32(r.probabilities),
    logits: r.logits ? blobToF32(r.logits) : null,
    embedding: r.embedding ? blobToF32(r.embedding) : null,
    cam: r.cam ? blobToF32(r.cam) : null,
    camRows: r.cam_rows,
    camCols: r.cam_cols,
    imageWidth: r.image_width,
    imageHeight: r.image_height,
    quality: parseJsonColumn(StoredQualitySchema, r.quality, `quality of analysis ${r.id}`),
    qualityOk: r.quality_ok === 1,
    localisations: parseJsonColumn(StoredLocalisationsSchema, r.localisations, `localisations of analysis ${r.id}`),
    lungFieldSource: r.lung_field_source,
    provider: r.provider,
    inferenceMs: r.inference_ms,
    totalMs: r.total_ms,
    createdAt: r.created_at,
  };
}

/**
 * AI analyses, calibrations and reader reviews. Similar-case search reads `embeddings`; the analysis service
 * writes with `save` and reads with `latestFor`.
 */
export class AnalysisRepository {
  constructor(
    private readonly db: DbHandle,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Stores (or, when forced again, replaces in place) the analysis of one image by one pack version; returns its id. */
  save(rec: AnalysisRecord): number {
    const now = this.clock().toISOString();
    const row = this.db
      .statement(
        `INSERT INTO analyses (instance_id, pack_id, pack_version, labels, probabilities, logits, embedding, cam, cam_rows, cam_cols,
           image_width, image_height, quality, quality_ok, localisations, lung_field_source, provider, inference_ms, total_ms, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (instance_id, pack_id, pack_version) DO UPDATE SET
           labels = excluded.labels, probabilities = excluded.probabilities, logits = excluded.logits, embedding = excluded.embedding,
           cam = excluded.cam, cam_rows = excluded.cam_rows, cam_cols = excluded.cam_cols, image_width = excluded.image_width,
           image_height = excluded.image_height, quality = excluded.quality, quality_ok = excluded.quality_ok,
           localisations = excluded.localisations, lung_field_source = excluded.lung_field_source, provider = excluded.provider,
           inference_ms = excluded.inference_ms, total_ms = excluded.total_ms, created_at = excluded.created_at
         RETURNING id`,
      )
      .get(
        rec.instanceId,
        rec.packId,
        rec.packVersion,
        JSON.stringify(rec.labels),
        f32ToBlob(rec.probabilities),
        rec.logits ? f32ToBlob(rec.logits) : null,
        rec.embedding ? f32ToBlob(rec.embedding) : null,
        rec.cam ? f32ToBlob(rec.cam) : null,
        rec.camRows,
        rec.camCols,
        rec.imageWidth,
        rec.imageHeight,
        JSON.stringify(rec.quality),
        rec.qualityOk ? 1 : 0,
        JSON.stringify(rec.localisations),
        rec.lungFieldSource,
        rec.provider,
        rec.inferenceMs,
        rec.totalMs,
        now,
      ) as { id: number };
    return row.id;
  }

  get(analysisId: number): AnalysisRow | null {
    const r = this.db.statement('SELECT * FROM analyses WHERE id = ?').get(analysisId) as RawAnalysis | undefined;
    return r ? toRow(r) : null;
  }

  /** The newest analysis of an image, by any pack or by the given one (newest version first). */
  latestFor(instanceId: number, packId?: string): AnalysisRow | null {
    const r = (
      packId === undefined
        ? this.db.statement('SELECT * FROM analyses WHERE instance_id = ? ORDER BY created_at DESC, id DESC LIMIT 1').get(instanceId)
        : this.db
            .statement('SELECT * FROM analyses WHERE instance_id = ? AND pack_id = ? ORDER BY created_at DESC, id DESC LIMIT 1')
            .get(instanceId, packId)
    ) as RawAnalysis | undefined;
    return r ? toRow(r) : null;
  }

  has(instanceId: number, packId: string, packVersion: string): boolean {
    return (
      this.db
        .statement('SELECT 1 FROM analyses WHERE instance_id = ? AND pack_id = ? AND pack_version = ?')
        .pluck()
        .get(instanceId, packId, packVersion) !== undefined
    );
  }

  /**
   * Forgets every analysis of an instance (with its reviews and cohort rows, by cascade): called when the image's
   * file changed, since those results describe pixels that are no longer there. Returns how many were removed.
   */
  forgetInstance(instanceId: number): number {
    return this.db.statement('DELETE FROM analyses WHERE instance_id = ?').run(instanceId).changes;
  }

  /** Whether any instance of a study still has an analysis. */
  studyHasAnalyses(studyId: number): boolean {
    return (
      this.db
        .statement(
          `SELECT 1 FROM analyses a JOIN instances i ON i.id = a.instance_id JOIN series s ON s.id = i.series_id
           WHERE s.study_id = ? LIMIT 1`,
        )
        .pluck()
        .get(studyId) !== undefined
    );
  }

  /** Every stored embedding of one pack version, in instance id order (for similar-case search). */
  embeddings(packId: string, packVersion: string): { instanceId: number; embedding: Float32Array }[] {
    const rows = this.db
      .statement(
        'SELECT instance_id, embedding FROM analyses WHERE pack_id = ? AND pack_version = ? AND embedding IS NOT NULL ORDER BY instance_id',
      )
      .all(packId, packVersion) as { instance_id: number; embedding: Buffer }[];
    return rows.map((r) => ({ instanceId: r.instance_id, embedding: blobToF32(r.embedding) }));
  }

  /** The newest analyses by one pack of each image in a study (for the study's AI summary). */
  latestForStudy(studyId: number, packId: string): AnalysisRow[] {
    const rows = this.db
      .statement(
        `SELECT a.* FROM analyses a
         JOIN instances i ON i.id = a.instance_id
         JOIN series se ON se.id = i.series_id
         WHERE se.study_id = ? AND a.pack_id = ?
           AND a.id = (SELECT b.id FROM analyses b WHERE b.instance_id = a.instance_id AND b.pack_id = a.pack_id
                       ORDER BY b.created_at DESC, b.id DESC LIMIT 1)
         ORDER BY a.instance_id`,
      )
      .all(studyId, packId) as RawAnalysis[];
    return rows.map(toRow);
  }

  saveCalibration(rec: CalibrationRecord): number {
    const row = this.db
      .statement(
        `INSERT INTO calibrations (pack_id, pack_version, method, target_sensitivity, source, image_count, labels, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(rec.packId, rec.packVersion, rec.method, rec.targetSensitivity, rec.source, rec.imageCount, JSON.stringify(rec.labels), this.clock().toISOString()) as {
      id: number;
    };
    return row.id;
  }

  /** The calibration in force for a pack version: the newest one. */
  latestCalibration(packId: string, packVersion: string): CalibrationRow | null {
    const r = this.db
      .statement('SELECT * FROM calibrations WHERE pack_id = ? AND pack_version = ? ORDER BY id DESC LIMIT 1')
      .get(packId, packVersion) as
      | { id: number; pack_id: string; pack_version: string; method: 'youden' | 'sensitivity'; target_sensitivity: number | null; source: string; image_count: number; labels: string; created_at: string }
      | undefined;
    if (!r) return null;
    return {
      id: r.id,
      packId: r.pack_id,
      packVersion: r.pack_version,
      method: r.method,
      targetSensitivity: r.target_sensitivity,
      source: r.source,
      imageCount: r.image_count,
      labels: parseJsonColumn(StoredCalibrationLabelsSchema, r.labels, `labels of calibration ${r.id}`),
      createdAt: r.created_at,
    };
  }

  /** Records the reader's decision on one finding; a later decision on the same finding replaces it. */
  setReview(analysisId: number, label: string, decision: ReviewDecision, text: string | null): void {
    this.db
      .statement(
        `INSERT INTO finding_reviews (analysis_id, label, decision, text, reviewed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (analysis_id, label) DO UPDATE SET decision = excluded.decision, text = excluded.text, reviewed_at = excluded.reviewed_at`,
      )
      .run(analysisId, label, decision, text, this.clock().toISOString());
  }

  reviewsFor(analysisId: number): FindingReview[] {
    const rows = this.db
      .statement('SELECT label, decision, text, reviewed_at FROM finding_reviews WHERE analysis_id = ? ORDER BY label')
      .all(analysisId) as { label: string; decision: ReviewDecision; text: string | null; reviewed_at: string }[];
    return rows.map((r) => ({ label: r.label, decision: r.decision, text: r.text, reviewedAt: r.reviewed_at }));
  }
}
