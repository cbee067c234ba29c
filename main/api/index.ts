/** The contract, importable by every layer (it depends on zod only). */
export * from './envelope.js';
export * from './common.js';
export * from './operation.js';
export * from './jobs.js';
export * from './imports.js';
export * from './studies.js';
export * from './reports.js';
export * from './audit.js';
export * from './models.js';
export * from './analysis.js';
export * from './search.js';
export * from './cohorts.js';
export * from './annotations.js';
export * from './events.js';
export * from './contract.js';
export * from './pixelFormat.js';
export * from './resources.js';
