/**
 * DICOM receive benchmark: `npx tsx bench/dicomReceive.ts [--files 3000] [--quick]`.
 * dcmtk's storescu sends the same few thousand real chest DICOMs (the ../shared CXR files repeated with new UIDs,
 * each in its own transfer syntax: JPEG baseline, explicit/implicit little endian; one association, as a modality
 * sends) to a real Orthanc on this machine, then to our receiver. Orthanc's time ends when storescu ends (it
 * indexes before answering); ours ends when every object is in our index (received, spooled, and through the import
 * pipeline: parse, decode, thumbnail, index). Prints files/s of each, the ratio (goal >= 0.8x Orthanc) and the
 * files lost (goal 0).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForJob } from '../main/api/waitForJob.js';
import { createCore } from '../main/createCore.js';
import { openDatabase } from '../main/db/connection.js';
import { storescu } from '../test/helpers/dcmtk.js';
import { writeDicomCopies } from '../test/helpers/dicomCopies.js';
import { ORTHANC_BINARY, startOrthanc } from '../test/helpers/orthanc.js';
import { freePort, waitFor, which } from '../test/helpers/processes.js';
import { hasShared, sharedDir, sharedPath } from '../test/helpers/shared.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const count = process.argv.includes('--quick') ? 300 : arg('--files', 3000);
/** A shared, loaded machine sends a few files a second: give storescu an hour rather than cut a run short. */
const STORESCU_TIMEOUT_MS = 3_600_000;

if (!hasShared) {
  console.log(`dicomReceive: skipped (${sharedDir} not found)`);
  process.exit(0);
}
for (const [tool, pkg] of [[ORTHANC_BINARY, 'orthanc'], ['storescu', 'dcmtk']] as const) {
  if (!which(tool)) {
    console.log(`dicomReceive: skipped (${tool} not installed: apt-get install ${pkg})`);
    process.exit(0);
  }
}

// The 1024x1024 chest radiographs a modality typically sends (the 1841x1955 JPEG 2000 sample decodes at about 1 s
// per image and would measure the codec, not the network node; its transfer syntax is covered by the tests).
const SOURCES = ['rsna_CR_jpegbaseline_1024.dcm', 'nih_google_DX_implicitLE_1024.dcm', 'fodicom_CR-MONO1-10-chest_nometa_implicit_440.dcm'].map((f) => sharedPath('data', 'dicom', 'cxr', f));

const work = mkdtempSync(join(tmpdir(), 'cxr-bench-receive-'));
try {
  let t = performance.now();
  const files = writeDicomCopies(SOURCES, join(work, 'corpus'), count, 2);
  console.log(`corpus: ${files.length} files (${SOURCES.length} real chest DICOMs with new UIDs, 2 images a study) written in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // Baseline: a real PACS on this machine, storing and indexing each object before it answers.
  const orthanc = await startOrthanc({ modalities: [{ aeTitle: 'MODALITY', port: 104 }] });
  let orthancSeconds: number;
  let orthancLost: number;
  try {
    t = performance.now();
    const sent = await storescu('MODALITY', { port: orthanc.dicomPort, aeTitle: orthanc.aeTitle }, files, false, STORESCU_TIMEOUT_MS);
    orthancSeconds = (performance.now() - t) / 1000;
    if (sent.code !== 0) throw new Error(`storescu to Orthanc exited ${sent.code}: ${sent.output.slice(-500)}`);
    const stats = await orthanc.get<{ CountInstances: number }>('/statistics');
    orthancLost = files.length - stats.CountInstances;
  } finally {
    await orthanc.stop();
  }

  // Ours: the receiver in the workstation's core, through to the index.
  const core = createCore({ dataDir: join(work, 'data'), modelsDirs: [] }, { allowMissing: true });
  let oursSeconds: number;
  let oursLost: number;
  let timeToLastAnswer: number;
  try {
    await core.api['network:saveNode']({ node: { kind: 'dimse', name: 'modality', aeTitle: 'MODALITY', host: '127.0.0.1', port: 104, retrieveMethod: 'move' } });
    const status = await core.api['network:receiverStart']({ aeTitle: 'CXRWS', port: await freePort(), bind: '127.0.0.1', onlyIfEnabled: false });
    if (status.state !== 'listening') throw new Error(`receiver: ${status.error}`);
    const db = openDatabase(join(work, 'data', 'index.sqlite'));
    const indexed = () => db.statement('SELECT count(*) FROM instances').pluck().get() as number;
    // Warm up the import workers outside the timing, as Orthanc was started before its timing.
    await core.api['import:start']({ paths: files.slice(0, 2) }).then((j) => waitForJob(core, j.id));
    const before = indexed();
    t = performance.now();
    const sent = await storescu('MODALITY', { port: status.port, aeTitle: 'CXRWS' }, files, false, STORESCU_TIMEOUT_MS);
    timeToLastAnswer = (performance.now() - t) / 1000;
    if (sent.code !== 0) throw new Error(`storescu to us exited ${sent.code}: ${sent.output.slice(-500)}`);
    const expected = files.length - before;
    await waitFor('every received object to be indexed', async () => indexed() - before >= expected && (await core.api['network:receiverStatus']({})).counts.pendingIndex === 0, 1_800_000, 50);
    oursSeconds = (performance.now() - t) / 1000;
    oursLost = files.length - indexed();
    db.close();
  } finally {
    await core.close();
  }

  const orthancRate = files.length / orthancSeconds;
  const oursRate = files.length / oursSeconds;
  console.log(`cores: ${availableParallelism()}`);
  console.log(`Orthanc (store + index): ${orthancSeconds.toFixed(1)} s, ${orthancRate.toFixed(1)} files/s, ${orthancLost} lost`);
  console.log(`ours: last answer after ${timeToLastAnswer.toFixed(1)} s (${(files.length / timeToLastAnswer).toFixed(1)} files/s received), all indexed after ${oursSeconds.toFixed(1)} s`);
  console.log(
    `dicomReceive: ${oursRate.toFixed(1)} files/s through indexing vs Orthanc ${orthancRate.toFixed(1)} files/s, ratio ${(oursRate / orthancRate).toFixed(2)}x (goal >= 0.8x), ` +
      `${oursLost} files lost (goal 0), ${files.length} files`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
