import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../api/dispatch.js';
import type { OperationInput, OperationName, OperationOutput } from '../api/contract.js';
import { createCore, type Core } from '../createCore.js';
import { openDatabase, type DbHandle } from '../db/connection.js';
import { IndexRepository } from '../db/indexRepository.js';
import { SettingsRepository } from '../db/settingsRepository.js';
import { makeImageRecord } from '../db/testFixtures.js';

let dir: string;
let core: Core;
let db: DbHandle;
let instanceId: number;

async function call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
  const r = await dispatch(core.api, name, input, { validateOutput: true });
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as OperationOutput<N>;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxr-annotations-'));
  core = createCore({ dataDir: dir, modelsDirs: [] }, { clock: () => new Date('2025-06-07T08:09:10Z') });
  db = openDatabase(join(dir, 'index.sqlite'));
  instanceId = new IndexRepository(db).upsertImage(makeImageRecord(1)).instanceId;
  new SettingsRepository(db).set('reader.name', 'Dr Core');
});
afterAll(async () => {
  db.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('annotations through the contract', () => {
  it('stores a measurement attributed to the reader the core knows, lists and removes it, and audits both', async () => {
    const ctr = await call('annotations:create', { instanceId, kind: 'ctr', points: [[40, 60], [90, 60], [10, 50], [110, 50]] });
    expect(ctr).toMatchObject({ instanceId, kind: 'ctr', author: 'Dr Core', createdAt: '2025-06-07T08:09:10.000Z' });
    expect((await call('annotations:list', { instanceId })).map((a) => a.id)).toEqual([ctr.id]);
    await call('annotations:delete', { annotationId: ctr.id });
    expect(await call('annotations:list', { instanceId })).toEqual([]);
    const audit = await call('audit:list', { entityType: 'annotation' });
    expect(audit.items.map((e) => (e.detail as { change: string }).change).sort()).toEqual(['created', 'deleted']);
  });

  it('refuses the wrong number of points for a kind, and an unknown image', async () => {
    await expect(call('annotations:create', { instanceId, kind: 'angle', points: [[0, 0], [1, 1]] })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(call('annotations:create', { instanceId: 9999, kind: 'ruler', points: [[0, 0], [1, 1]] })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists the DICOM tags of a DICOM image and none for a PNG', async () => {
    const png = new IndexRepository(db).upsertImage(makeImageRecord(2, { instance: { format: 'png', filePath: '/nowhere/x.png' } } as never)).instanceId;
    expect(await call('instances:tags', { instanceId: png })).toEqual({ instanceId: png, format: 'png', transferSyntaxUid: null, rows: [] });
    await expect(call('instances:tags', { instanceId })).rejects.toMatchObject({ code: 'bad_file' });
  });
});
