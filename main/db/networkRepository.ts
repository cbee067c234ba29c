import type { DbHandle } from './connection.js';

/** What the DICOM network node reads from the index: which remote studies are here already, and where a file went. */
export class NetworkRepository {
  constructor(private readonly db: DbHandle) {}

  /** Local study ids of the given Study Instance UIDs (those not indexed are absent from the map). */
  studyIdsByUid(uids: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    const find = this.db.statement('SELECT id FROM studies WHERE study_instance_uid = ?').pluck();
    for (const uid of uids) {
      const id = find.get(uid) as number | undefined;
      if (id !== undefined) out.set(uid, id);
    }
    return out;
  }

  /** The study an indexed file belongs to, or null when the file is not in the index. */
  studyOfFile(filePath: string): { studyId: number; studyInstanceUid: string } | null {
    const row = this.db
      .statement(
        `SELECT s.id AS studyId, s.study_instance_uid AS studyInstanceUid
         FROM instances i JOIN series se ON se.id = i.series_id JOIN studies s ON s.id = se.study_id WHERE i.file_path = ?`,
      )
      .get(filePath) as { studyId: number; studyInstanceUid: string } | undefined;
    return row ?? null;
  }
}
