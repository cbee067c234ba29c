/**
 * One import in a process of its own, for bench/hostileImport.ts: `node --import tsx bench/hostileImportChild.ts
 * DATA_DIR ROOT...`. Runs the compiled core (dist/, as the workstation does, workers included) and prints one JSON
 * line: the job's state, its report, the paths imported, the wall time and the process's peak resident set size
 * (main thread and worker threads together: they share the process).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = (p: string) => new URL(`../dist/main/${p}`, import.meta.url);
if (!existsSync(fileURLToPath(dist('createCore.js')))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const load = async <T>(p: string) => (await import(pathToFileURL(fileURLToPath(dist(p))).href)) as T;
const { createCore } = await load<typeof import('../main/createCore.js')>('createCore.js');
const { waitForJob } = await load<typeof import('../main/api/waitForJob.js')>('api/waitForJob.js');
const { openDatabase } = await load<typeof import('../main/db/connection.js')>('db/connection.js');
const { ImportJobRepository } = await load<typeof import('../main/db/importJobRepository.js')>('db/importJobRepository.js');

const [dataDir, ...roots] = process.argv.slice(2);
const core = createCore({ dataDir: dataDir!, modelsDirs: [] }, { allowMissing: true });
const started = performance.now();
const job = await core.api['import:start']({ paths: roots });
const end = await waitForJob(core, job.id);
const seconds = (performance.now() - started) / 1000;
const report = await core.api['import:report']({ jobId: job.id });
await core.close();
const db = openDatabase(join(dataDir!, 'index.sqlite'), { readonly: true });
const imported = new ImportJobRepository(db).pathsWithOutcome(job.id, 'imported');
db.close();
process.stdout.write(`${JSON.stringify({ state: end.state, message: end.message, report, imported, seconds, peakRssKb: process.resourceUsage().maxRSS })}\n`);
