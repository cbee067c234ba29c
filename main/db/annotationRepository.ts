import { z } from 'zod';
import { ImagePointSchema, type Annotation, type AnnotationKind, type ImagePoint } from '../api/annotations.js';
import { CoreError } from '../api/envelope.js';
import type { DbHandle } from './connection.js';
import { systemClock, type Clock } from './clock.js';
import { parseJsonColumn } from './jsonColumn.js';

interface Row {
  id: number;
  instance_id: number;
  kind: AnnotationKind;
  points_json: string;
  author: string;
  created_at: string;
}

/** The stored points, checked as the contract declares them (a row edited by hand fails here, naming the row). */
const PointsSchema = z.array(ImagePointSchema);

const toAnnotation = (r: Row): Annotation => ({
  id: r.id,
  instanceId: r.instance_id,
  kind: r.kind,
  points: parseJsonColumn(PointsSchema, r.points_json, `annotation ${r.id} points`),
  author: r.author,
  createdAt: r.created_at,
});

/** The reader's measurements, per image (table of 0390-create-annotations). */
export class AnnotationRepository {
  constructor(
    private readonly db: DbHandle,
    private readonly clock: Clock = systemClock,
  ) {}

  list(instanceId: number): Annotation[] {
    return (this.db.statement('SELECT * FROM annotations WHERE instance_id = ? ORDER BY id').all(instanceId) as Row[]).map(toAnnotation);
  }

  /** The measurements of several images (cohort exports), by image. */
  forInstances(instanceIds: readonly number[]): Map<number, Annotation[]> {
    const out = new Map<number, Annotation[]>();
    for (let i = 0; i < instanceIds.length; i += 500) {
      const chunk = instanceIds.slice(i, i + 500);
      const rows = this.db.statement(`SELECT * FROM annotations WHERE instance_id IN (${chunk.map(() => '?').join(',')}) ORDER BY id`).all(...chunk) as Row[];
      for (const r of rows) out.set(r.instance_id, [...(out.get(r.instance_id) ?? []), toAnnotation(r)]);
    }
    return out;
  }

  /** @throws CoreError('not_found') when the image is not in the index. */
  create(a: { instanceId: number; kind: AnnotationKind; points: ImagePoint[]; author: string }): Annotation {
    const exists = this.db.statement('SELECT 1 FROM instances WHERE id = ?').pluck().get(a.instanceId);
    if (!exists) throw new CoreError('not_found', `no image with id ${a.instanceId}`);
    const row = this.db
      .statement('INSERT INTO annotations (instance_id, kind, points_json, author, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *')
      .get(a.instanceId, a.kind, JSON.stringify(a.points), a.author, this.clock().toISOString()) as Row;
    return toAnnotation(row);
  }

  /** The removed annotation. @throws CoreError('not_found') for an unknown id. */
  delete(annotationId: number): Annotation {
    const row = this.db.statement('DELETE FROM annotations WHERE id = ? RETURNING *').get(annotationId) as Row | undefined;
    if (!row) throw new CoreError('not_found', `no measurement with id ${annotationId}`);
    return toAnnotation(row);
  }
}
