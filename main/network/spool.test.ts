import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool } from './spool.js';

const dirs: string[] = [];
function spool(): Spool {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-spool-'));
  dirs.push(dir);
  return new Spool(dir);
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function partial(s: Spool, bytes: string): string {
  const p = s.partialPath();
  writeFileSync(p, bytes);
  return p;
}

describe('the DICOM spool', () => {
  it('stores an object under received/<study>/<sop>.dcm with a pending marker, and drops the marker once indexed', async () => {
    const s = spool();
    s.open();
    const { path, duplicate } = await s.commit(partial(s, 'object'), '1.2.3', '1.2.3.4');
    expect(duplicate).toBe(false);
    expect(path).toBe(join(s.receivedDir, '1.2.3', '1.2.3.4.dcm'));
    expect(readFileSync(path, 'utf8')).toBe('object');
    expect(readdirSync(s.pendingDir)).toEqual(['1.2.3_1.2.3.4']);
    expect(readdirSync(s.partialDir)).toEqual([]);
    await s.markIndexed([path]);
    expect(readdirSync(s.pendingDir)).toEqual([]);
  });

  it('stores the same object once; a different object under the same UID replaces it', async () => {
    const s = spool();
    s.open();
    const first = await s.commit(partial(s, 'object'), '1.2.3', '1.2.3.4');
    await s.markIndexed([first.path]);
    const again = await s.commit(partial(s, 'object'), '1.2.3', '1.2.3.4');
    expect(again.duplicate).toBe(true);
    expect(readdirSync(s.pendingDir)).toEqual(['1.2.3_1.2.3.4']); // until the caller has checked the index
    await s.markIndexed([again.path]);
    expect(readdirSync(s.partialDir)).toEqual([]);
    const changed = await s.commit(partial(s, 'corrected object'), '1.2.3', '1.2.3.4');
    expect(changed.duplicate).toBe(false);
    expect(readFileSync(changed.path, 'utf8')).toBe('corrected object');
    expect(readdirSync(s.pendingDir)).toEqual(['1.2.3_1.2.3.4']);
  });

  it('resumes pending objects at open, removes partial files of dead processes and keeps those of live ones', async () => {
    const s = spool();
    s.open();
    const kept = await s.commit(partial(s, 'a'), '1.2.3', '1.2.3.5');
    writeFileSync(join(s.pendingDir, '1.2.3_1.2.3.9'), ''); // its object is gone
    writeFileSync(join(s.partialDir, '999999999-dead.part'), 'half');
    const live = join(s.partialDir, `${process.ppid}-live.part`);
    writeFileSync(live, 'arriving');
    const again = new Spool(join(s.root, '..'));
    expect(again.open()).toEqual([kept.path]);
    expect(readdirSync(again.pendingDir)).toEqual(['1.2.3_1.2.3.5']);
    expect(existsSync(join(s.partialDir, '999999999-dead.part'))).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  it('refuses UIDs that are not digits and dots, so a peer cannot name a path', async () => {
    const s = spool();
    s.open();
    await expect(s.commit(partial(s, 'x'), '../../etc', '1.2')).rejects.toThrow(/not a valid UID/);
    await expect(s.commit(partial(s, 'x'), '1.2', '1.2/../../x')).rejects.toThrow(/not a valid UID/);
  });

  it('quarantines with a JSON record of the reason, listed newest first', async () => {
    const s = spool();
    s.open();
    const a = await s.quarantine(partial(s, 'bad'), { reason: 'malformed: first', stage: 'receive', callingAeTitle: 'MOD', peer: '127.0.0.1:1', sopInstanceUid: '1.2', sopClassUid: '' });
    await new Promise((r) => setTimeout(r, 5));
    await s.quarantine(partial(s, 'worse'), { reason: 'malformed: second', stage: 'receive', callingAeTitle: 'MOD', peer: '127.0.0.1:1', sopInstanceUid: '1.3', sopClassUid: '' });
    const list = s.listQuarantine(10);
    expect(list.map((q) => q.reason)).toEqual(['malformed: second', 'malformed: first']);
    expect(readFileSync(a.file, 'utf8')).toBe('bad');
    mkdirSync(s.quarantineDir, { recursive: true });
    writeFileSync(join(s.quarantineDir, 'zzz-broken.json'), '{not json');
    expect(s.listQuarantine(10)).toHaveLength(2);
  });
});
