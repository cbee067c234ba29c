/**
 * One import in a process of its own, for bench/hostileImport.ts: `node --import tsx bench/hostileImportChild.ts
 * DATA_DIR ROOT...`. Runs the compiled core (dist/, as the workstation does, workers included) and prints one JSON
 * line: the job's state, its report, the paths imported, the wall time and the process's peak resident set size
 * (main thread and worker threads together: they share the process).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = (p: string) => new URL(`../dist/main/${p}`, import.meta.url);
if (!existsSync(fileURLToPath(dist('createCore.js')))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
type CoreModule = typeof import('../main/createCore.js');
type JobsModule = typeof import('../main/db/importJobRepository.js');
const { createCore } = (await import(pathToFileURL(fileURLToPath(dist('createCore.js'))).href)) as CoreModule;
const { ImportJobRepository } = (await import(pathToFileURL(fileURLToPath(dist('db/importJobRepository.js'))).href)) as JobsModule;

const [dataDir, ...roots] = process.argv.slice(2);
const core = createCore({ dataDir: dataDir!, modelsDirs: [] }, { allowMissing: true });
const started = performance.now();
const job = await core.api['import:start']({ paths: roots });
const end = await core.ctx.jobs.wait(job.id);
const seconds = (performance.now() - started) / 1000;
const report = await core.api['import:report']({ jobId: job.id });
const imported = new ImportJobRepository(core.ctx.db).pathsWithOutcome(job.id, 'imported');
await core.close();
process.stdout.write(`${JSON.stringify({ state: end.state, message: end.message, report, imported, seconds, peakRssKb: process.resourceUsage().maxRSS })}\n`);
