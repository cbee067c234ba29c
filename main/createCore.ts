import { join } from 'node:path';
import { operations, type CoreApi, type OperationName } from './api/contract.js';
import type { EventName, EventPayload } from './api/events.js';
import { AuditTrail } from './audit/auditTrail.js';
import type { CoreConfig } from './config.js';
import { createAnalysisService } from './core/analysisService.js';
import { createAnnotationService } from './core/annotationService.js';
import { createAuditService } from './core/auditService.js';
import { createImportService } from './core/importService.js';
import { createIndexService } from './core/indexService.js';
import { JobLeases } from './core/jobLeases.js';
import { createJobService } from './core/jobService.js';
import { createModelService } from './core/modelService.js';
import { createNetworkService, networkPeers } from './core/networkService.js';
import { createReaderService } from './core/readerService.js';
import { createReportService } from './core/reportService.js';
import { createSearchService } from './core/searchService.js';
import type { Service } from './core/service.js';
import { systemClock } from './db/clock.js';
import { openDatabase } from './db/connection.js';
import { createRepositories } from './db/repositories.js';
import { AnalysisViews } from './findings/analysisViews.js';
import { OperatingPoints } from './findings/operatingPoints.js';
import { DecodedImages } from './images/decodedImages.js';
import { ImageReader } from './images/imageReader.js';
import { ImportLimitSettings } from './importer/importLimits.js';
import { AiSettings } from './inference/aiSettings.js';
import type { AnalysisPipelineDeps } from './inference/analysisPipeline.js';
import { AnalyzerHost } from './inference/analyzerHost.js';
import { analysisOnImport } from './inference/importAnalysis.js';
import { PackRegistry } from './inference/packRegistry.js';
import { EventBus, type Unsubscribe } from './platform/eventBus.js';
import { JobRunner } from './platform/jobRunner.js';
import { createResourceRouter, type Resource } from './platform/resources.js';
import { createReportSources, type ReportSources } from './reports/reportSources.js';
import { shippedTemplatesDir, TemplateStore } from './reports/templateStore.js';
import { PackContextResolver } from './search/packContext.js';

export interface Core {
  /** The operations of the contract, implemented. Transports call them through `dispatch`. */
  readonly api: CoreApi;
  subscribe<E extends EventName>(name: E, fn: (payload: EventPayload<E>) => void): Unsubscribe;
  /** Resolves a `/files/...` resource path for whichever transport is serving it. */
  resource(path: string): Promise<Resource | null>;
  close(): Promise<void>;
}

export interface CreateCoreOptions {
  /** Operations no service implements yet are allowed (tests of one domain); by default they are an error. */
  allowMissing?: boolean;
  /** Tests fix the time reports and the audit log see. */
  clock?: () => Date;
  /** Tests replace what reports read from the other domains. */
  reportSources?: ReportSources;
  /** Tests replace the template folders. */
  templates?: TemplateStore;
  /** Tests hand in the decoded-image cache to count the decodes behind what they ask (the core then does not close it). */
  images?: DecodedImages;
}

/**
 * The composition root: config → database → repositories → domains → services. This file is the wiring diagram of
 * the workstation: every domain is built once, here, and handed exactly what it uses.
 */
export function createCore(config: CoreConfig, options: CreateCoreOptions = {}): Core {
  const db = openDatabase(join(config.dataDir, 'index.sqlite'));
  const services: Service[] = [];
  const disposers: Array<() => Promise<void> | void> = [];
  try {
    const clock = options.clock ?? systemClock;
    const { dataDir } = config;
    const events = new EventBus();
    const jobs = new JobRunner(events);
    const repos = createRepositories(db, clock);

    // Cross-cutting: who acts (decided by the core, never by a client), and the AI's packs and operating points.
    const audit = new AuditTrail(repos.audit, repos.settings);
    const aiSettings = new AiSettings(repos.settings);
    const packs = new PackRegistry(config.modelsDirs, aiSettings);
    const operatingPoints = new OperatingPoints(repos.analyses, packs);
    const analyzers = new AnalyzerHost(aiSettings);
    disposers.push(() => analyzers.dispose());
    // Signed reports froze what they showed: the views consult that before anything live (findings/analysisViews.ts).
    const views = new AnalysisViews({ analyses: repos.analyses, overrides: repos.qualityOverrides, packs, operatingPoints, dataDir, signed: repos.reports });
    const packContexts = new PackContextResolver(repos.search, packs, operatingPoints);

    // Pixels: decoded once, in the image reader's worker, under the site's import limits (an image the site admitted
    // can be shown), and kept in one bounded cache the viewer, analysis and analysis-on-import share.
    const limitSettings = new ImportLimitSettings(repos.settings);
    let images = options.images;
    if (!images) {
      const reader = new ImageReader(() => limitSettings.get());
      disposers.push(() => reader.close());
      images = new DecodedImages(reader);
    }
    const pipeline: AnalysisPipelineDeps = {
      db,
      analyses: repos.analyses,
      overrides: repos.qualityOverrides,
      index: repos.index,
      analyzers,
      operatingPoints,
      audit,
      events,
      images,
    };

    // One process runs a resumable job at a time: a second `cxr import --resume` is refused, naming the owner.
    const leases = new JobLeases(repos.jobLeases, { durationMs: config.jobLeaseMs });
    const importService = createImportService({
      jobs,
      leases,
      events,
      importJobs: repos.importJobs,
      index: repos.index,
      analyses: repos.analyses,
      limitSettings,
      // Every import (the UI, the CLI, the DICOM receiver's) analyses in the same pass when the site's setting says so.
      analysis: analysisOnImport({ ...pipeline, images, packs, aiSettings }),
      dataDir,
    });
    const analysisService = createAnalysisService({ ...pipeline, packs, views, jobs });
    const reportService = createReportService({
      db,
      reports: repos.reports,
      studies: repos.studies,
      sources: options.reportSources ?? createReportSources({ studies: repos.studies, index: repos.index, views, packs, dataDir }),
      templates: options.templates ?? new TemplateStore(shippedTemplatesDir(), join(dataDir, 'templates')),
      audit,
      dataDir,
      clock,
      events,
    });
    services.push(
      createJobService({ jobs }),
      importService,
      createIndexService({ worklist: repos.worklist, studies: repos.studies, index: repos.index, audit, events, images, dataDir }),
      createModelService({ packs, aiSettings, analyzers }),
      analysisService,
      createSearchService({ repo: repos.search, cohorts: repos.cohorts, annotations: repos.annotations, packs: packContexts, events, audit, dataDir }),
      reportService,
      createAuditService({ audit: repos.audit, dataDir, clock }),
      // The DICOM network node indexes through the import pipeline, sends the SR the report domain writes and the
      // AI key image the analysis domain describes: it gets those services' operations, nothing else.
      createNetworkService({
        settings: repos.settings,
        studies: repos.studies,
        index: repos.index,
        importJobs: repos.importJobs,
        network: repos.network,
        audit,
        events,
        jobs,
        dataDir,
        peers: networkPeers({ imports: importService, reports: reportService, analysis: analysisService }),
      }),
      createAnnotationService({ annotations: repos.annotations, index: repos.index, audit }),
      createReaderService({ audit, events }),
    );
    disposers.unshift(() => jobs.shutdown());

    const api = mergeServices(services, options.allowMissing ?? false);
    const resource = createResourceRouter(services.flatMap((s) => s.resources ?? []));
    return {
      api,
      subscribe: (name, fn) => events.subscribe(name, fn),
      resource,
      async close() {
        // Jobs first (they use everything), then the services in reverse order, then what the root opened itself.
        await disposers[0]!();
        for (const s of [...services].reverse()) await s.dispose?.();
        for (const dispose of disposers.slice(1)) await dispose();
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** One CoreApi from the services; refuses an operation implemented twice, or (unless allowed) not at all. */
function mergeServices(services: readonly Service[], allowMissing: boolean): CoreApi {
  const api: Partial<Record<OperationName, unknown>> = {};
  for (const service of services) {
    for (const [key, fn] of Object.entries(service)) {
      if (key === 'resources' || key === 'dispose') continue;
      if (key in api) throw new Error(`operation ${key} is implemented by two services`);
      api[key as OperationName] = fn;
    }
  }
  const missing = Object.keys(operations).filter((name) => !(name in api));
  if (missing.length && !allowMissing) throw new Error(`operations without an implementation: ${missing.join(', ')}`);
  return api as CoreApi;
}
