import type { DbHandle } from './connection.js';
import { shownAnalysisSql } from './qualityOverrideRepository.js';
import { StoredLabelsSchema, StoredLocalisationsSchema, type StoredLocalisation } from './analysisColumns.js';
import { parseJsonColumn } from './jsonColumn.js';

/**
 * Reads for similar-case search and priors: embeddings of a pack version straight from `analyses` (own SQL, no
 * per-row objects, so 100,000 rows load in one pass), the filters of a search as a set of allowed images, the
 * details shown with each neighbour, and the record of saved approximate-search graphs.
 */

/** A model pack version: analyses and embeddings are only comparable within one. */
export interface PackKey {
  packId: string;
  packVersion: string;
}

/** Filters of a similar-case search; each one given narrows the allowed images. */
export interface CandidateFilters {
  dateFrom?: string;
  dateTo?: string;
  sex?: 'M' | 'F' | 'O';
  /** Age band in years: ageMin ≤ age < ageMax. */
  ageMin?: number;
  ageMax?: number;
  /**
   * Only images where this finding is positive: by the AI (probability at or above its threshold, from
   * cohort_findings, which the caller syncs first) or by a reference label.
   */
  finding?: { label: string; thresholds: Record<string, number>; pack: PackKey };
  // thresholds: only labels with a validated operating point (see main/findings/operatingPoints.ts).
}

/** The AI analysis of one image as search, priors and cohorts read it (not the analyzer's in-memory result). */
export interface StoredAnalysisSummary {
  analysisId: number;
  /** Passed the quality gate, or a reader overrode it: only then may its probabilities be shown or counted. */
  shown: boolean;
  packId: string;
  packVersion: string;
  labels: string[];
  probabilities: number[];
  /** The analysis' localisation JSON (boxes per label), as stored. */
  localisations: Record<string, StoredLocalisation>;
  imageWidth: number;
  imageHeight: number;
}

/** What a neighbour, a prior or a cohort row shows about one image. */
export interface ImageDetail {
  instanceId: number;
  studyId: number;
  patientRowId: number;
  patientId: string;
  studyDate: string | null;
  sex: 'M' | 'F' | 'O' | null;
  ageYears: number | null;
  viewPosition: string;
  modality: string;
  filePath: string;
  width: number;
  height: number;
  referenceFindings: { label: string; box: { x: number; y: number; w: number; h: number } | null }[];
  /** The newest analysis by the requested pack version (or by any pack when none was asked). */
  analysis: StoredAnalysisSummary | null;
  /** Text of the study's report (final before preliminary before draft, newest first); null without one. */
  reportText: string | null;
}

export interface SearchIndexFileRecord extends PackKey {
  path: string;
  fingerprint: string;
  rowCount: number;
  dimensions: number;
  int8Gain: number;
  parameters: unknown;
  builtAt: string;
}

function f32(b: Buffer): Float32Array {
  // SQLite's buffer may not be 4-byte aligned: copy.
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer);
}

const CHUNK = 500;

export class SearchRepository {
  constructor(private readonly db: DbHandle) {}


  /** The pack version of an image's newest analysis, or null when it was never analysed. */
  latestPackOf(instanceId: number, packId?: string): PackKey | null {
    const r = this.db
      .statement(
        `SELECT pack_id, pack_version FROM analyses WHERE instance_id = ? AND (? IS NULL OR pack_id = ?)
         ORDER BY created_at DESC, id DESC LIMIT 1`,
      )
      .get(instanceId, packId ?? null, packId ?? null) as { pack_id: string; pack_version: string } | undefined;
    return r ? { packId: r.pack_id, packVersion: r.pack_version } : null;
  }

  /** The pack version with the newest analysis in the index: the active one when none is named. */
  newestPack(packId?: string): PackKey | null {
    const r = this.db
      .statement('SELECT pack_id, pack_version FROM analyses WHERE (? IS NULL OR pack_id = ?) ORDER BY created_at DESC, id DESC LIMIT 1')
      .get(packId ?? null, packId ?? null) as { pack_id: string; pack_version: string } | undefined;
    return r ? { packId: r.pack_id, packVersion: r.pack_version } : null;
  }

  /** Labels stored with the pack version's newest analysis (the manifest may be gone; the analyses keep them). */
  storedLabels(pack: PackKey): string[] | null {
    const labels = this.db
      .statement('SELECT labels FROM analyses WHERE pack_id = ? AND pack_version = ? ORDER BY id DESC LIMIT 1')
      .pluck()
      .get(pack.packId, pack.packVersion) as string | undefined;
    return labels ? parseJsonColumn(StoredLabelsSchema, labels, `labels of pack ${pack.packId} ${pack.packVersion}`) : null;
  }

  /**
   * Changes whenever an embedding of the pack version is added, removed or redone: count, id sum and newest
   * timestamp of its analyses with an embedding.
   */
  fingerprint(pack: PackKey): string {
    const r = this.db
      .statement(
        `SELECT count(*) AS n, total(id) AS ids, max(created_at) AS newest FROM analyses
         WHERE pack_id = ? AND pack_version = ? AND embedding IS NOT NULL`,
      )
      .get(pack.packId, pack.packVersion) as { n: number; ids: number; newest: string | null };
    return `${r.n}:${r.ids}:${r.newest ?? ''}`;
  }

  /**
   * Every embedding of a pack version as one row-major matrix with its instance ids. Rows of a different length
   * than the first (a corrupt blob) are skipped and counted.
   */
  loadEmbeddings(pack: PackKey): { ids: Int32Array; matrix: Float32Array; dim: number; skipped: number } {
    const n = this.db
      .statement('SELECT count(*) FROM analyses WHERE pack_id = ? AND pack_version = ? AND embedding IS NOT NULL')
      .pluck()
      .get(pack.packId, pack.packVersion) as number;
    const iter = this.db
      .statement('SELECT instance_id, embedding FROM analyses WHERE pack_id = ? AND pack_version = ? AND embedding IS NOT NULL ORDER BY instance_id')
      .iterate(pack.packId, pack.packVersion) as IterableIterator<{ instance_id: number; embedding: Buffer }>;
    let dim = 0;
    let ids = new Int32Array(0);
    let matrix = new Float32Array(0);
    let rows = 0;
    let skipped = 0;
    for (const r of iter) {
      const bytes = r.embedding.byteLength;
      if (dim === 0) {
        if (bytes === 0 || bytes % 4 !== 0) {
          skipped++;
          continue;
        }
        dim = bytes / 4;
        ids = new Int32Array(n);
        matrix = new Float32Array(n * dim);
      }
      if (bytes !== dim * 4) {
        skipped++;
        continue;
      }
      ids[rows] = r.instance_id;
      matrix.set(f32(r.embedding), rows * dim);
      rows++;
    }
    return { ids: ids.subarray(0, rows), matrix: matrix.subarray(0, rows * dim), dim, skipped };
  }

  /** One image's embedding by a pack version, or null. */
  embeddingOf(instanceId: number, pack: PackKey): Float32Array | null {
    const b = this.db
      .statement('SELECT embedding FROM analyses WHERE instance_id = ? AND pack_id = ? AND pack_version = ?')
      .pluck()
      .get(instanceId, pack.packId, pack.packVersion) as Buffer | null | undefined;
    return b ? f32(b) : null;
  }

  /** Images allowed by the filters, or null when no filter is given (everything is allowed). */
  candidateIds(filters: CandidateFilters): Set<number> | null {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filters.dateFrom !== undefined) {
      where.push('st.date >= ?');
      params.push(filters.dateFrom);
    }
    if (filters.dateTo !== undefined) {
      where.push('st.date <= ?');
      params.push(filters.dateTo);
    }
    if (filters.sex !== undefined) {
      where.push('p.sex = ?');
      params.push(filters.sex);
    }
    if (filters.ageMin !== undefined) {
      where.push('st.age_years >= ?');
      params.push(filters.ageMin);
    }
    if (filters.ageMax !== undefined) {
      where.push('st.age_years < ?');
      params.push(filters.ageMax);
    }
    if (filters.finding) {
      // The AI's call counts only at a validated operating point (a threshold in `thresholds`) and only on an image
      // shown (passed the gate or overridden); a reference label always counts.
      const { label, thresholds, pack } = filters.finding;
      const threshold = thresholds[label];
      const shown = shownAnalysisSql('a');
      const ai =
        threshold === undefined
          ? ''
          : `i.id IN (SELECT cf.instance_id FROM cohort_findings cf JOIN analyses a ON a.id = cf.analysis_id
                    WHERE cf.pack_id = ? AND cf.pack_version = ? AND cf.label = ? AND cf.probability >= ? AND ${shown}) OR `;
      where.push(`(${ai}EXISTS (SELECT 1 FROM reference_findings rf WHERE rf.instance_id = i.id AND rf.label = ? COLLATE NOCASE))`);
      if (threshold !== undefined) params.push(pack.packId, pack.packVersion, label, threshold);
      params.push(label);
    }
    if (!where.length) return null;
    const sql = `SELECT i.id FROM instances i JOIN series se ON se.id = i.series_id JOIN studies st ON st.id = se.study_id
                 JOIN patients p ON p.id = st.patient_row_id WHERE ${where.join(' AND ')}`;
    return new Set(this.db.statement(sql).pluck().all(...params) as number[]);
  }

  /** Every image of the same patient as `instanceId` (itself included). */
  samePatientIds(instanceId: number): Set<number> {
    const ids = this.db
      .statement(
        `SELECT i2.id FROM instances i
         JOIN series se ON se.id = i.series_id JOIN studies st ON st.id = se.study_id
         JOIN studies st2 ON st2.patient_row_id = st.patient_row_id
         JOIN series se2 ON se2.study_id = st2.id JOIN instances i2 ON i2.series_id = se2.id
         WHERE i.id = ?`,
      )
      .pluck()
      .all(instanceId) as number[];
    return new Set(ids.length ? ids : [instanceId]);
  }

  /** The study of an image, or null. */
  studyOf(instanceId: number): number | null {
    return (
      (this.db
        .statement('SELECT se.study_id FROM instances i JOIN series se ON se.id = i.series_id WHERE i.id = ?')
        .pluck()
        .get(instanceId) as number | undefined) ?? null
    );
  }

  /** All studies of the study's patient, with their images' ids. */
  patientStudies(studyId: number): { patientRowId: number; patientId: string; studies: { studyId: number; date: string | null; instanceIds: number[] }[] } | null {
    const head = this.db.statement('SELECT patient_row_id, patient_id FROM studies WHERE id = ?').get(studyId) as
      | { patient_row_id: number; patient_id: string }
      | undefined;
    if (!head) return null;
    const rows = this.db
      .statement(
        `SELECT st.id AS study_id, st.date, i.id AS instance_id FROM studies st
         LEFT JOIN series se ON se.study_id = st.id LEFT JOIN instances i ON i.series_id = se.id
         WHERE st.patient_row_id = ? ORDER BY st.date, st.id, i.id`,
      )
      .all(head.patient_row_id) as { study_id: number; date: string | null; instance_id: number | null }[];
    const byStudy = new Map<number, { studyId: number; date: string | null; instanceIds: number[] }>();
    for (const r of rows) {
      let s = byStudy.get(r.study_id);
      if (!s) byStudy.set(r.study_id, (s = { studyId: r.study_id, date: r.date, instanceIds: [] }));
      if (r.instance_id !== null) s.instanceIds.push(r.instance_id);
    }
    return { patientRowId: head.patient_row_id, patientId: head.patient_id, studies: [...byStudy.values()] };
  }

  /** Details of images, keyed by id; ids not in the index are absent from the map. */
  details(ids: readonly number[], pack: PackKey | null): Map<number, ImageDetail> {
    const out = new Map<number, ImageDetail>();
    for (let start = 0; start < ids.length; start += CHUNK) {
      const chunk = ids.slice(start, start + CHUNK);
      const json = JSON.stringify(chunk);
      const rows = this.db
        .statement(
          `SELECT i.id, se.study_id, st.patient_row_id, st.patient_id, st.date, p.sex, st.age_years, i.view_position,
                  se.modality, i.file_path, i.pixel_columns, i.pixel_rows
           FROM json_each(?) j JOIN instances i ON i.id = j.value JOIN series se ON se.id = i.series_id
           JOIN studies st ON st.id = se.study_id JOIN patients p ON p.id = st.patient_row_id`,
        )
        .all(json) as {
        id: number;
        study_id: number;
        patient_row_id: number;
        patient_id: string;
        date: string | null;
        sex: ImageDetail['sex'];
        age_years: number | null;
        view_position: string;
        modality: string;
        file_path: string;
        pixel_columns: number;
        pixel_rows: number;
      }[];
      for (const r of rows) {
        out.set(r.id, {
          instanceId: r.id,
          studyId: r.study_id,
          patientRowId: r.patient_row_id,
          patientId: r.patient_id,
          studyDate: r.date,
          sex: r.sex,
          ageYears: r.age_years,
          viewPosition: r.view_position,
          modality: r.modality,
          filePath: r.file_path,
          width: r.pixel_columns,
          height: r.pixel_rows,
          referenceFindings: [],
          analysis: null,
          reportText: null,
        });
      }
      const refs = this.db
        .statement(
          `SELECT rf.instance_id, rf.label, rf.box_x, rf.box_y, rf.box_w, rf.box_h FROM json_each(?) j
           JOIN reference_findings rf ON rf.instance_id = j.value ORDER BY rf.id`,
        )
        .all(json) as { instance_id: number; label: string; box_x: number | null; box_y: number | null; box_w: number | null; box_h: number | null }[];
      for (const r of refs) {
        const box = r.box_x !== null && r.box_y !== null && r.box_w !== null && r.box_h !== null ? { x: r.box_x, y: r.box_y, w: r.box_w, h: r.box_h } : null;
        out.get(r.instance_id)?.referenceFindings.push({ label: r.label, box });
      }
      const analyses = this.db
        .statement(
          `SELECT a.id, a.instance_id, a.pack_id, a.pack_version, a.labels, a.probabilities, a.localisations, a.image_width, a.image_height,
             ${shownAnalysisSql('a')} AS shown
           FROM json_each(?) j JOIN analyses a ON a.id = (
             SELECT b.id FROM analyses b WHERE b.instance_id = j.value AND (? IS NULL OR (b.pack_id = ? AND b.pack_version = ?))
             ORDER BY b.created_at DESC, b.id DESC LIMIT 1)`,
        )
        .all(json, pack?.packId ?? null, pack?.packId ?? null, pack?.packVersion ?? null) as {
        id: number;
        instance_id: number;
        pack_id: string;
        pack_version: string;
        labels: string;
        probabilities: Buffer;
        localisations: string;
        image_width: number;
        image_height: number;
        shown: number;
      }[];
      for (const a of analyses) {
        const d = out.get(a.instance_id);
        if (!d) continue;
        d.analysis = {
          analysisId: a.id,
          shown: a.shown === 1,
          packId: a.pack_id,
          packVersion: a.pack_version,
          labels: parseJsonColumn(StoredLabelsSchema, a.labels, `labels of analysis ${a.id}`),
          probabilities: [...f32(a.probabilities)],
          localisations: parseJsonColumn(StoredLocalisationsSchema, a.localisations, `localisations of analysis ${a.id}`),
          imageWidth: a.image_width,
          imageHeight: a.image_height,
        };
      }
      {
        const studyIds = JSON.stringify([...new Set(chunk.map((id) => out.get(id)?.studyId).filter((s) => s !== undefined))]);
        const reports = this.db
          .statement(
            `SELECT j.value AS study_id, (SELECT r.body_text FROM reports r WHERE r.study_id = j.value
               ORDER BY CASE r.state WHEN 'final' THEN 0 WHEN 'preliminary' THEN 1 ELSE 2 END, r.updated_at DESC, r.id DESC LIMIT 1) AS body
             FROM json_each(?) j`,
          )
          .all(studyIds) as { study_id: number; body: string | null }[];
        const byStudy = new Map(reports.map((r) => [r.study_id, r.body]));
        for (const d of out.values()) if (chunk.includes(d.instanceId)) d.reportText = byStudy.get(d.studyId) ?? null;
      }
    }
    return out;
  }

  savedIndexFile(pack: PackKey): SearchIndexFileRecord | null {
    const r = this.db.statement('SELECT * FROM search_index_files WHERE pack_id = ? AND pack_version = ?').get(pack.packId, pack.packVersion) as
      | { pack_id: string; pack_version: string; path: string; fingerprint: string; row_count: number; dimensions: number; int8_gain: number; parameters: string; built_at: string }
      | undefined;
    if (!r) return null;
    return {
      packId: r.pack_id,
      packVersion: r.pack_version,
      path: r.path,
      fingerprint: r.fingerprint,
      rowCount: r.row_count,
      dimensions: r.dimensions,
      int8Gain: r.int8_gain,
      parameters: JSON.parse(r.parameters) as unknown,
      builtAt: r.built_at,
    };
  }

  recordIndexFile(rec: SearchIndexFileRecord): void {
    this.db
      .statement(
        `INSERT INTO search_index_files (pack_id, pack_version, path, fingerprint, row_count, dimensions, int8_gain, parameters, built_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (pack_id, pack_version) DO UPDATE SET path = excluded.path, fingerprint = excluded.fingerprint,
           row_count = excluded.row_count, dimensions = excluded.dimensions, int8_gain = excluded.int8_gain,
           parameters = excluded.parameters, built_at = excluded.built_at`,
      )
      .run(rec.packId, rec.packVersion, rec.path, rec.fingerprint, rec.rowCount, rec.dimensions, rec.int8Gain, JSON.stringify(rec.parameters), rec.builtAt);
  }
}
