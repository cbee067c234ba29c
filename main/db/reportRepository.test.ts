import { describe, expect, it } from 'vitest';
import { openDatabase } from './connection.js';
import { ReportRepository, type NewReport } from './reportRepository.js';

const draft = (studyId: number, findings: string): NewReport => ({
  studyId,
  studyInstanceUid: `1.2.${studyId}`,
  templateId: 'chest-radiograph.en',
  language: 'en',
  title: 'Chest radiograph report',
  sections: [
    { name: 'findings', title: 'Findings', text: findings, aiDerived: true },
    { name: 'impression', title: 'Impression', text: '', aiDerived: false },
  ],
  fields: { 'patient.name': 'Doe, Jane', 'patient.id': `PAT-${studyId}` },
  aiFindings: [],
  keyImages: [{ instanceId: 3, withHeatmap: false }],
  author: 'Dr A',
});

describe('ReportRepository', () => {
  it('creates, edits, signs and appends; final is immutable with clear messages', () => {
    const db = openDatabase(':memory:');
    let t = Date.UTC(2026, 0, 1);
    const repo = new ReportRepository(db, () => new Date(t));
    const r = repo.create(draft(1, 'Small right effusion.'));
    expect(r).toMatchObject({ id: 1, state: 'draft', signedBy: null, addenda: [], keyImages: [{ instanceId: 3, withHeatmap: false }] });
    // same millisecond: the stamp still moves forward, so a stale editor is detected
    const saved = repo.save(r.id, { sections: [{ name: 'impression', text: 'Effusion.' }], expectedUpdatedAt: r.updatedAt });
    expect(saved.updatedAt > r.updatedAt).toBe(true);
    expect(saved.sections[0]!.aiDerived).toBe(true);
    expect(() => repo.save(r.id, { sections: [], expectedUpdatedAt: r.updatedAt })).toThrow(/was changed at/);
    t += 60_000;
    expect(repo.setState(r.id, 'preliminary').state).toBe('preliminary');
    expect(() => repo.setState(r.id, 'final', '  ')).toThrow(/needs the reader's name/);
    t += 60_000;
    const signed = repo.setState(r.id, 'final', 'Dr A');
    expect(signed).toMatchObject({ state: 'final', signedBy: 'Dr A', signedAt: '2026-01-01T00:02:00.000Z' });
    expect(() => repo.save(r.id, { sections: [] })).toThrow(/final \(signed by Dr A at 2026-01-01T00:02:00.000Z\)/);
    expect(() => repo.setState(r.id, 'preliminary')).toThrow(/final/);
    expect(() => repo.deleteUnsigned(r.id)).toThrow(/cannot be deleted/);
    const withAdd = repo.addAddendum(r.id, 'Discussed with the ward.', 'Dr B');
    expect(withAdd.addenda).toEqual([{ id: 1, text: 'Discussed with the ward.', author: 'Dr B', createdAt: '2026-01-01T00:02:00.000Z' }]);
    expect(withAdd.updatedAt).toBe(signed.updatedAt);
    db.close();
  });

  it('searches text and addenda with prefixes, filters by study and state, and lists the latest when empty', () => {
    const db = openDatabase(':memory:');
    let t = Date.UTC(2026, 0, 1);
    const repo = new ReportRepository(db, () => new Date((t += 1000)));
    const a = repo.create(draft(1, 'Right pleural effusion.'));
    const b = repo.create(draft(2, 'Cardiomegaly. Pleural thickening.'));
    repo.setState(b.id, 'final', 'Dr A');
    repo.addAddendum(b.id, 'Pneumothorax excluded on review.', 'Dr A');
    expect(repo.search({ text: 'pleur', limit: 10 }).map((r) => r.id).sort()).toEqual([a.id, b.id]);
    expect(repo.search({ text: 'pneumothor', limit: 10 }).map((r) => r.id)).toEqual([b.id]);
    expect(repo.search({ text: 'pleural', state: 'final', limit: 10 }).map((r) => r.id)).toEqual([b.id]);
    expect(repo.search({ text: 'pleural', studyId: 1, limit: 10 }).map((r) => r.id)).toEqual([a.id]);
    expect(repo.search({ text: 'PAT-2', limit: 10 }).map((r) => r.id)).toEqual([b.id]);
    expect(repo.search({ text: 'effusion', limit: 10 })[0]!.snippet).toContain('[effusion]');
    expect(repo.search({ text: '"); DROP TABLE reports; --', limit: 10 })).toEqual([]);
    expect(repo.search({ text: '', limit: 10 }).map((r) => r.id)).toEqual([b.id, a.id]);
    expect(repo.forStudy(1).map((r) => r.id)).toEqual([a.id]);
    repo.deleteUnsigned(a.id);
    expect(repo.search({ text: 'effusion', limit: 10 })).toEqual([]);
    db.close();
  });
});
