import { resourcePaths } from '../api/resources.js';
import { CoreError } from '../api/envelope.js';
import type { Instance, ReadStatusSchema, ReferenceFinding, Series, StudyDetail } from '../api/studies.js';
import type { z } from 'zod';
import type { DbHandle } from './connection.js';
import { systemClock, type Clock } from './clock.js';
import { STUDY_SUMMARY_COLUMNS, toStudySummary, type StudySummaryRow } from './studyRows.js';

export type ReadStatus = z.infer<typeof ReadStatusSchema>;

interface InstanceRow {
  id: number;
  series_id: number;
  sop_instance_uid: string;
  sop_class_uid: string;
  instance_number: number | null;
  format: Instance['format'];
  transfer_syntax_uid: string | null;
  pixel_rows: number;
  pixel_columns: number;
  frames: number;
  bits_stored: number;
  photometric: string;
  view_position: string;
  body_part: string;
  spacing_row_mm: number | null;
  spacing_col_mm: number | null;
  spacing_source: Instance['spacingSource'];
  window_center: number | null;
  window_width: number | null;
  file_path: string;
  content_hash: string;
}

interface FindingRow {
  instance_id: number;
  label: string;
  source: string;
  box_x: number | null;
  box_y: number | null;
  box_w: number | null;
  box_h: number | null;
}

const INSTANCE_COLUMNS = `i.id, i.series_id, i.sop_instance_uid, i.sop_class_uid, i.instance_number, i.format,
  i.transfer_syntax_uid, i.pixel_rows, i.pixel_columns, i.frames, i.bits_stored, i.photometric, i.view_position,
  i.body_part, i.spacing_row_mm, i.spacing_col_mm, i.spacing_source, i.window_center, i.window_width, i.file_path,
  i.content_hash`;

const INSTANCE_ORDER = 'i.instance_number IS NULL, i.instance_number, i.id';

/** Reads one study (with its series, images and reference findings) or one image, and sets a study's read status. */
export class StudyRepository {
  constructor(
    private readonly db: DbHandle,
    private readonly clock: Clock = systemClock,
  ) {}

  /** @throws CoreError('not_found') for an unknown id. */
  get(studyId: number): StudyDetail {
    const row = this.db
      .statement(
        `SELECT ${STUDY_SUMMARY_COLUMNS}, p.birth_date, s.referring_physician
         FROM studies s JOIN patients p ON p.id = s.patient_row_id WHERE s.id = ?`,
      )
      .get(studyId) as (StudySummaryRow & { birth_date: string | null; referring_physician: string }) | undefined;
    if (!row) throw new CoreError('not_found', `no study with id ${studyId}`);

    const seriesRows = this.db
      .statement(
        `SELECT id, series_instance_uid, modality, series_number, description, body_part FROM series
         WHERE study_id = ? ORDER BY series_number IS NULL, series_number, id`,
      )
      .all(studyId) as Array<{ id: number; series_instance_uid: string; modality: string; series_number: number | null; description: string; body_part: string }>;
    const instanceRows = this.db
      .statement(
        `SELECT ${INSTANCE_COLUMNS} FROM instances i JOIN series se ON se.id = i.series_id
         WHERE se.study_id = ? ORDER BY ${INSTANCE_ORDER}`,
      )
      .all(studyId) as InstanceRow[];
    const findings = this.findingsByInstance(
      this.db
        .statement(
          `SELECT rf.instance_id, rf.label, rf.source, rf.box_x, rf.box_y, rf.box_w, rf.box_h FROM reference_findings rf
           JOIN instances i ON i.id = rf.instance_id JOIN series se ON se.id = i.series_id
           WHERE se.study_id = ? ORDER BY rf.id`,
        )
        .all(studyId) as FindingRow[],
    );

    const series: Series[] = seriesRows.map((s) => ({
      id: s.id,
      seriesInstanceUid: s.series_instance_uid,
      modality: s.modality,
      seriesNumber: s.series_number,
      description: s.description,
      bodyPart: s.body_part,
      instances: instanceRows.filter((i) => i.series_id === s.id).map((i) => toInstance(i, findings.get(i.id) ?? [])),
    }));
    const identityConflicts = (
      this.db
        .statement(
          `SELECT c.field, c.stored, c.incoming, c.study_id, c.source_path FROM patient_identity_conflicts c
           JOIN studies s ON s.patient_row_id = c.patient_row_id WHERE s.id = ? ORDER BY c.id`,
        )
        .all(studyId) as { field: 'name' | 'sex' | 'birthDate'; stored: string; incoming: string; study_id: number; source_path: string }[]
    ).map((c) => ({ field: c.field, stored: c.stored, incoming: c.incoming, studyId: c.study_id, sourcePath: c.source_path }));
    return { ...toStudySummary(row), birthDate: row.birth_date, referringPhysician: row.referring_physician, series, identityConflicts };
  }

  /** @throws CoreError('not_found') for an unknown id. */
  getInstance(instanceId: number): Instance {
    const row = this.db.statement(`SELECT ${INSTANCE_COLUMNS} FROM instances i WHERE i.id = ?`).get(instanceId) as InstanceRow | undefined;
    if (!row) throw new CoreError('not_found', `no image (instance) with id ${instanceId}`);
    const findings = this.findingsByInstance(
      this.db
        .statement('SELECT instance_id, label, source, box_x, box_y, box_w, box_h FROM reference_findings WHERE instance_id = ? ORDER BY id')
        .all(instanceId) as FindingRow[],
    );
    return toInstance(row, findings.get(instanceId) ?? []);
  }

  /** @throws CoreError('not_found') for an unknown id. */
  setStatus(studyId: number, status: ReadStatus): void {
    const result = this.db
      .statement('UPDATE studies SET status = ?, updated_at = ? WHERE id = ?')
      .run(status, this.clock().toISOString(), studyId);
    if (result.changes === 0) throw new CoreError('not_found', `no study with id ${studyId}`);
  }

  private findingsByInstance(rows: FindingRow[]): Map<number, ReferenceFinding[]> {
    const map = new Map<number, ReferenceFinding[]>();
    for (const r of rows) {
      const box = r.box_x !== null && r.box_y !== null && r.box_w !== null && r.box_h !== null ? { x: r.box_x, y: r.box_y, w: r.box_w, h: r.box_h } : null;
      const list = map.get(r.instance_id) ?? [];
      list.push({ label: r.label, source: r.source, box });
      map.set(r.instance_id, list);
    }
    return map;
  }
}

function toInstance(r: InstanceRow, referenceFindings: ReferenceFinding[]): Instance {
  const spacing = r.spacing_row_mm !== null && r.spacing_col_mm !== null ? ([r.spacing_row_mm, r.spacing_col_mm] as [number, number]) : null;
  return {
    id: r.id,
    seriesRowId: r.series_id,
    sopInstanceUid: r.sop_instance_uid,
    sopClassUid: r.sop_class_uid,
    instanceNumber: r.instance_number,
    format: r.format,
    transferSyntaxUid: r.transfer_syntax_uid,
    rows: r.pixel_rows,
    columns: r.pixel_columns,
    frames: r.frames,
    bitsStored: r.bits_stored,
    photometric: r.photometric,
    viewPosition: r.view_position,
    bodyPart: r.body_part,
    pixelSpacingMm: spacing,
    spacingSource: spacing ? r.spacing_source : null,
    windowCenter: r.window_center,
    windowWidth: r.window_width,
    filePath: r.file_path,
    contentHash: r.content_hash,
    thumbnail: resourcePaths.thumbnail(r.id),
    pixels: resourcePaths.pixels(r.id),
    referenceFindings,
  };
}
