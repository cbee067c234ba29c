import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasShared, sharedPath } from '../../test/helpers/shared.js';
import { admitObject } from './incomingObject.js';
import { Spool } from './spool.js';

const RSNA = hasShared ? sharedPath('data', 'dicom', 'cxr', 'rsna_CR_jpegbaseline_1024.dcm') : '';
const SOP = '1.2.276.0.7230010.3.1.4.8323329.6904.1517875201.850819';
const SC = '1.2.840.10008.5.1.4.1.1.7';
const sender = { callingAeTitle: 'MODALITY', peer: '127.0.0.1:4242' };

describe.skipIf(!hasShared)('admitting a received object', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-admit-'));
  const spool = new Spool(dir);
  spool.open();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const partialOf = (file: string) => {
    const p = spool.partialPath();
    copyFileSync(file, p);
    return p;
  };

  it('stores a valid object announced as itself', async () => {
    const a = await admitObject(spool, partialOf(RSNA), { sopClassUid: SC, sopInstanceUid: SOP }, sender);
    expect(a).toMatchObject({ kind: 'stored', status: 0, duplicate: false, ids: { sopInstanceUid: SOP, sopClassUid: SC } });
  });

  it('refuses an object that is not the one the C-STORE announced (A900), into quarantine', async () => {
    const a = await admitObject(spool, partialOf(RSNA), { sopClassUid: SC, sopInstanceUid: '1.2.3.4' }, sender);
    expect(a.kind).toBe('quarantined');
    expect(a.status).toBe(0xa900);
    if (a.kind !== 'quarantined') return;
    expect(a.reason).toMatch(/not the one the C-STORE announced/);
    expect(a.entry).toMatchObject({ callingAeTitle: 'MODALITY', peer: '127.0.0.1:4242', stage: 'receive' });
    expect(readFileSync(a.entry.file).equals(readFileSync(RSNA))).toBe(true);
  });

  it('refuses bytes that are not DICOM (C000), naming the problem', async () => {
    const p = spool.partialPath();
    writeFileSync(p, Buffer.alloc(4000, 7));
    const a = await admitObject(spool, p, { sopClassUid: SC, sopInstanceUid: '1.2.3.5' }, sender);
    expect(a).toMatchObject({ kind: 'quarantined', status: 0xc000 });
    if (a.kind === 'quarantined') expect(a.reason).toMatch(/^malformed: not a DICOM file/);
    expect(spool.listQuarantine(10)[0]!.sopInstanceUid).toBe('1.2.3.5');
  });
});
