import { AnalysisRepository } from './analysisRepository.js';
import { AnnotationRepository } from './annotationRepository.js';
import { AuditRepository } from './auditRepository.js';
import { systemClock, type Clock } from './clock.js';
import { CohortRepository } from './cohortRepository.js';
import type { DbHandle } from './connection.js';
import { ImportJobRepository } from './importJobRepository.js';
import { IndexRepository } from './indexRepository.js';
import { JobLeaseRepository } from './jobLeaseRepository.js';
import { NetworkRepository } from './networkRepository.js';
import { QualityOverrideRepository } from './qualityOverrideRepository.js';
import { ReportRepository } from './reportRepository.js';
import { SearchRepository } from './searchRepository.js';
import { SettingsRepository } from './settingsRepository.js';
import { StudyRepository } from './studyRepository.js';
import { WorklistRepository } from './worklistRepository.js';

/** Every repository of one database, built once by the composition root and handed to the domains that need them. */
export interface Repositories {
  readonly db: DbHandle;
  readonly index: IndexRepository;
  readonly studies: StudyRepository;
  readonly worklist: WorklistRepository;
  readonly importJobs: ImportJobRepository;
  readonly jobLeases: JobLeaseRepository;
  readonly settings: SettingsRepository;
  readonly analyses: AnalysisRepository;
  readonly reports: ReportRepository;
  readonly audit: AuditRepository;
  readonly search: SearchRepository;
  readonly cohorts: CohortRepository;
  readonly network: NetworkRepository;
  readonly qualityOverrides: QualityOverrideRepository;
  readonly annotations: AnnotationRepository;
}

export function createRepositories(db: DbHandle, clock: Clock = systemClock): Repositories {
  return {
    db,
    index: new IndexRepository(db, clock),
    studies: new StudyRepository(db, clock),
    worklist: new WorklistRepository(db),
    importJobs: new ImportJobRepository(db, clock),
    jobLeases: new JobLeaseRepository(db, clock),
    settings: new SettingsRepository(db, clock),
    analyses: new AnalysisRepository(db, clock),
    reports: new ReportRepository(db, clock),
    audit: new AuditRepository(db, clock),
    search: new SearchRepository(db),
    cohorts: new CohortRepository(db, clock),
    network: new NetworkRepository(db),
    qualityOverrides: new QualityOverrideRepository(db, clock),
    annotations: new AnnotationRepository(db, clock),
  };
}
