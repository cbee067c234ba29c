import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatch } from '../../main/api/dispatch.js';
import type { Job } from '../../main/api/jobs.js';
import { waitForJob } from '../../main/api/waitForJob.js';
import { openDatabase, type DbHandle } from '../../main/db/connection.js';
import type { OperationInput, OperationName, OperationOutput } from '../../main/api/contract.js';
import { createCore, type Core } from '../../main/createCore.js';
import { projectRoot, sharedPath } from './shared.js';

export interface TempCore {
  core: Core;
  dataDir: string;
  /** Calls an operation the way a transport does (input and output validated against the contract); throws on error. */
  call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>>;
  /** Resolves when the job has ended, as a client of the contract sees it. */
  wait(jobId: string): Promise<Job>;
  /** A second connection to the core's database, for assertions the contract does not answer (closed by close()). */
  db(): DbHandle;
  close(): Promise<void>;
}

/** A core over a fresh temporary data folder, with the tiny test pack and the repo's packs available. */
export function tempCore(options: { allowMissing?: boolean; dataDir?: string } = {}): TempCore {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cxr-core-'));
  const core = createCore(
    { dataDir, modelsDirs: [join(projectRoot, 'models'), sharedPath('models')] },
    { allowMissing: options.allowMissing ?? true },
  );
  let db: DbHandle | null = null;
  return {
    core,
    dataDir,
    wait: (jobId) => waitForJob(core, jobId),
    db: () => (db ??= openDatabase(join(dataDir, 'index.sqlite'))),
    async call(name, input) {
      const r = await dispatch(core.api, name, input, { validateOutput: true });
      if (!r.ok) throw new Error(`${name} failed (${r.error.code}): ${r.error.message}`);
      return r.value as never;
    },
    async close() {
      db?.close();
      await core.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
