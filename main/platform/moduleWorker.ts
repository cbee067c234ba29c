import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread running an ES module. From compiled JavaScript that is a plain `new Worker(url)`. Under
 * Vitest/tsx the module is TypeScript, and Node 20 does not apply `--import tsx` to workers, so a tiny bootstrap
 * registers tsx's loader inside the worker first and then imports the module.
 */
export function createModuleWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options);
  const bootstrap =
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl.href)}); })` +
    `.catch((err) => { setImmediate(() => { throw err; }); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
