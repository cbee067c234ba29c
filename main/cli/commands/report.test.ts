import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pdftotext } from '../../../test/helpers/systemTools.js';
import { openDatabase } from '../../db/connection.js';
import { IndexRepository } from '../../db/indexRepository.js';
import { makeImageRecord } from '../../db/testFixtures.js';
import { runCli } from '../main.js';

const poppler = pdftotext();

let dir: string;
let studyId: number;
let sopInstanceUid: string;

async function cxr(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--data-dir', dir, ...args], { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Each test gets its own data folder with one indexed study, so none depends on what another did. */
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxr-cli-report-'));
  const db = openDatabase(join(dir, 'index.sqlite'));
  const rec = makeImageRecord(5, { patient: { name: 'Peña, María' } });
  studyId = new IndexRepository(db).upsertImage(rec).studyId;
  sopInstanceUid = rec.instance.sopInstanceUid;
  db.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('cxr report / cxr audit', () => {
  it('writes a signed SR that references the study image', async () => {
    const file = join(dir, 'out.dcm');
    expect((await cxr('reader', 'Dr Núñez')).out).toBe('Reader: Dr Núñez (the reader.name setting)');
    const refused = await cxr('report', String(studyId), '--format', 'sr', '-o', file, '--sign');
    expect(refused.err).toMatch(/cannot be signed: Findings is empty; Impression is empty/);
    const r = await cxr('report', String(studyId), '--format', 'sr', '-o', file, '--findings', 'Clear lungs.', '--impression', 'Normal chest.', '--sign');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/signed by Dr Núñez/);
    const ds = dicomParser.parseDicom(new Uint8Array(readFileSync(file)));
    expect(ds.string('x0040a493')).toBe('VERIFIED');
    const ref = ds.elements.x0040a375!.items![0]!.dataSet!.elements.x00081115!.items![0]!.dataSet!.elements.x00081199!.items![0]!.dataSet!;
    expect(ref.string('x00081155')).toBe(sopInstanceUid);
  });

  it.skipIf(poppler.skip)('writes a de-identified Portuguese PDF from the chosen template', async () => {
    poppler.require();
    const file = join(dir, 'out.pdf');
    const r = await cxr('report', String(studyId), '--template', 'chest-radiograph.pt', '--format', 'pdf', '-o', file, '--deidentify');
    expect(r.code).toBe(0);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Laudo de radiografia de tórax');
    expect(text).not.toContain('Peña');
    expect(text).toContain('RASCUNHO');
  });

  it('explains bad usage and lists the audit trail, also as CSV', async () => {
    expect((await cxr('report', String(studyId), '--format', 'odt', '-o', 'x')).err).toMatch(/--format must be one of pdf, docx, txt, fhir, sr/);
    expect((await cxr('report', String(studyId), '--format', 'txt')).code).toBe(2);
    expect((await cxr('report', '999', '--format', 'txt', '-o', join(dir, 'x.txt'))).err).toMatch(/not_found/);
    // No command names who acts: the old --author goes, and --sign takes no name.
    expect((await cxr('report', String(studyId), '--format', 'txt', '-o', 'x', '--author', 'Mallory')).err).toMatch(/unknown option --author/);
    const named = await cxr('report', String(studyId), '--format', 'txt', '-o', 'x', '--sign', 'Mallory');
    expect(named.code).toBe(2);
    expect(named.err).toMatch(/--sign takes no name: it signs as the workstation's reader \(cxr reader NAME sets it\), not "Mallory"/);
    // What this test lists it makes itself: one signed text export, and the reader setting that named the signer.
    await cxr('reader', 'Dr Núñez');
    expect((await cxr('report', String(studyId), '--format', 'txt', '-o', join(dir, 'signed.txt'), '--findings', 'Clear.', '--impression', 'Normal.', '--sign')).code).toBe(0);
    const list = await cxr('audit', '--study', String(studyId));
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/Dr Núñez\s+sign\s+report/);
    const csv = join(dir, 'audit.csv');
    const r = await cxr('audit', '--csv', csv, '--action', 'export');
    expect(r.out).toMatch(/^1 audit entry/);
    expect((await cxr('audit', '--action', 'reader_set')).out).toMatch(/reader_set\s+settings/);
    expect((await cxr('reader', '--clear')).out).toMatch(/^Reader: .+ \(the OS account; set a name with cxr reader NAME\)$/);
    expect(readFileSync(csv, 'utf8').trim().split('\r\n')).toHaveLength(2);
  });
});
