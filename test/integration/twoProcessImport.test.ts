import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/db/connection.js';
import { JobLeaseRepository } from '../../main/db/jobLeaseRepository.js';
import { gradientPixels, imageElements, writeDicom } from '../helpers/dicomWriter.js';
import { run, startProcess, waitFor, which, type Started } from '../helpers/processes.js';
import { projectRoot } from '../helpers/shared.js';

const ENTRY = join(projectRoot, 'test', 'helpers', 'cxrEntry.ts');
const FILES = 12;
/** Each test starts the CLI three times (tsx compiles on start): minutes on a loaded machine, never a timed assertion. */
const SLOW = 300_000;

/** `cxr ARGS` as its own process, the way a second terminal runs it beside the workstation. */
const cxrArgs = (dataDir: string, ...args: string[]) => ['--import', 'tsx', ENTRY, '--data-dir', dataDir, ...args];
// A long lease: the owner below is parked inside a blocking read, so its heartbeat cannot run; expiry must not matter.
const env = { ...process.env, CXR_JOB_LEASE_SECONDS: '3600' };

/**
 * The owner is parked mid-import deterministically: its --csv is a named pipe, which the importer reads (synchronously)
 * after the first file's attempt is noted and before any file is stored; it waits there until the test writes to it.
 */
describe.skipIf(!which('mkfifo'))('two processes, one import job', () => {
  const work = mkdtempSync(join(tmpdir(), 'cxr-lease-'));
  const started: Started[] = [];
  afterAll(async () => {
    for (const p of started) await p.stop(1_000);
    rmSync(work, { recursive: true, force: true });
  });

  const setup = (name: string) => {
    const dataDir = join(work, name, 'data');
    const folder = join(work, name, 'in');
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < FILES; i++) {
      writeFileSync(join(folder, `img-${i}.dcm`), writeDicom(imageElements({ rows: 32, columns: 32, pixels: gradientPixels(32, 32), uidSuffix: `${name}-${i}` })));
    }
    // Not named like a sidecar the importer finds by itself (labels.csv): only --csv reads it.
    const fifo = join(work, name, 'pipe-of-labels.csv');
    execFileSync('mkfifo', [fifo]);
    const owner = startProcess(process.execPath, cxrArgs(dataDir, 'import', folder, '--csv', fifo, '--quiet'), { cwd: projectRoot, env });
    started.push(owner);
    return { dataDir, folder, fifo, owner };
  };

  /** The lease the owner took, once the owner is parked (its first file's attempt is noted). */
  const parkedLease = async (dataDir: string, owner: Started) => {
    const db = () => openDatabase(join(dataDir, 'index.sqlite'));
    await waitFor(
      'the owner to start on its first file',
      () => {
        if (owner.child.exitCode !== null) throw new Error(`the owner exited early:\n${owner.output()}`);
        const handle = db();
        try {
          return (handle.statement('SELECT count(*) FROM import_job_attempts').pluck().get() as number) > 0;
        } finally {
          handle.close();
        }
      },
      120_000,
      200,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${owner.output()}`);
    });
    expect(owner.child.exitCode).toBeNull();
    const handle = db();
    try {
      const jobId = handle.statement('SELECT job_id FROM import_jobs').pluck().get() as string;
      return new JobLeaseRepository(handle).get(jobId)!;
    } finally {
      handle.close();
    }
  };

  it('refuses `cxr import --resume` while another process runs the job, naming it; once it ends nothing is left to resume', async () => {
    const { dataDir, fifo, owner } = setup('refuse');
    const lease = await parkedLease(dataDir, owner);
    expect(lease.owner).toMatchObject({ pid: owner.pid, host: hostname() });

    const second = await run(process.execPath, cxrArgs(dataDir, 'import', '--resume'), { cwd: projectRoot, env });
    expect(second.code, second.output).toBe(1);
    expect(second.output).toContain(
      `error (conflict): job ${lease.jobId} is being run by process ${owner.pid} on host ${hostname()} since ${lease.acquiredAt}; try again after ${lease.expiresAt} or stop that process`,
    );

    writeFileSync(fifo, 'image,label\n'); // lets the owner go on
    expect(await owner.exited).toBe(0);
    // Every file was new and the owner alone imported them: the report says so.
    expect(owner.output()).toContain(`imported ${FILES}, updated 0, skipped 0, failed 0`);
    const after = await run(process.execPath, cxrArgs(dataDir, 'import', '--resume'), { cwd: projectRoot, env });
    expect(after.output).toContain('Nothing to resume');
    const handle = openDatabase(join(dataDir, 'index.sqlite'));
    expect(new JobLeaseRepository(handle).get(lease.jobId)).toBeNull();
    handle.close();
  }, SLOW);

  it('lets `cxr import --resume` take over a job whose owner on this host died, and finish it once', async () => {
    const { dataDir, owner } = setup('takeover');
    const lease = await parkedLease(dataDir, owner);
    owner.child.kill('SIGKILL');
    await owner.exited;

    const resumed = await run(process.execPath, cxrArgs(dataDir, 'import', '--resume', '--quiet'), { cwd: projectRoot, env });
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.output).toContain(`Import ${lease.jobId} (done)`);
    expect(resumed.output).toContain(`imported ${FILES}, updated 0, skipped 0, failed 0`);
    const handle = openDatabase(join(dataDir, 'index.sqlite'));
    expect(handle.statement('SELECT count(*) FROM instances').pluck().get()).toBe(FILES);
    expect(new JobLeaseRepository(handle).get(lease.jobId)).toBeNull();
    handle.close();
  }, SLOW);
});
