import { describe, expect, it } from 'vitest';
import { auditCsvHeader, auditCsvRow } from '../audit/auditCsv.js';
import { appendAudit, iterateAudit, listAudit } from './auditRepository.js';
import { openDatabase } from './connection.js';

describe('audit repository', () => {
  it('appends entries with model versions and lists them newest first, filtered', () => {
    const db = openDatabase(':memory:');
    const t = (m: number) => new Date(Date.UTC(2026, 0, 1, 10, m));
    appendAudit(db, { actor: 'Dr Ana', action: 'view', entityType: 'study', entityId: 3, studyId: 3, at: t(0) });
    appendAudit(db, {
      actor: 'Dr Ana',
      action: 'analyse',
      entityType: 'instance',
      entityId: 9,
      studyId: 3,
      modelPack: 'cxr14-densenet121-demo',
      modelVersion: '1.0.0',
      thresholdVersion: 'calibration #2',
      detail: { provider: 'cpu' },
      at: t(1),
    });
    appendAudit(db, { actor: 'Dr Bo', action: 'sign', entityType: 'report', entityId: 1, studyId: 4, at: t(2) });
    const all = listAudit(db);
    expect(all.total).toBe(3);
    expect(all.items.map((e) => e.action)).toEqual(['sign', 'analyse', 'view']);
    expect(all.items[1]).toMatchObject({ modelPack: 'cxr14-densenet121-demo', modelVersion: '1.0.0', thresholdVersion: 'calibration #2', detail: { provider: 'cpu' }, entityId: '9' });
    expect(listAudit(db, { studyId: 3 }).items.map((e) => e.action)).toEqual(['analyse', 'view']);
    expect(listAudit(db, { actor: 'Dr Bo' }).total).toBe(1);
    expect(listAudit(db, { from: t(1).toISOString(), to: t(1).toISOString() }).items.map((e) => e.action)).toEqual(['analyse']);
    expect(listAudit(db, { to: '2026-01-01' }).total).toBe(3);
    expect(listAudit(db, { limit: 1, offset: 1 }).items.map((e) => e.action)).toEqual(['analyse']);
    expect([...iterateAudit(db, { action: 'view' })].map((e) => e.actor)).toEqual(['Dr Ana']);
    db.close();
  });

  it('exports CSV with quoting and formula neutralisation', () => {
    const db = openDatabase(':memory:');
    appendAudit(db, { actor: '=HYPERLINK("x")', action: 'export', entityType: 'report', entityId: 1, detail: { file: 'a,b.pdf' }, at: new Date(Date.UTC(2026, 0, 1)) });
    const csv = auditCsvHeader() + [...iterateAudit(db)].map(auditCsvRow).join('');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('id,at,actor,action,entity_type,entity_id,study_id,model_pack,model_version,threshold_version,detail');
    expect(lines[1]).toBe(`1,2026-01-01T00:00:00.000Z,"'=HYPERLINK(""x"")",export,report,1,,,,,"{""file"":""a,b.pdf""}"`);
    db.close();
  });
});
