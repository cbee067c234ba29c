import type { ServiceFactory } from './context.js';
import { createImportService } from './importService.js';
import { createIndexService } from './indexService.js';
import { createJobService } from './jobService.js';
import { createReportService } from './reportService.js';
import { createModelService } from './modelService.js';
import { createAnalysisService } from './analysisService.js';
import { createSearchService } from './searchService.js';

/**
 * The services that make up the core, one per domain. Each domain adds its factory here; createCore merges them
 * and refuses an operation implemented twice or not at all.
 */
export const serviceFactories: ServiceFactory[] = [
  createJobService,
  createImportService,
  createIndexService,
  createReportService,
  createModelService,
  createAnalysisService,
  createSearchService,
];
