import type { Migration } from '../migration.js';
import { createPatients } from './0010-create-patients.js';
import { createStudies } from './0020-create-studies.js';
import { createSeries } from './0030-create-series.js';
import { createInstances } from './0040-create-instances.js';
import { createReferenceFindings } from './0050-create-reference-findings.js';
import { createStudyLabels } from './0060-create-study-labels.js';
import { createImportJobs } from './0070-create-import-jobs.js';
import { createSettings } from './0080-create-settings.js';
import { createWorklistFts } from './0090-create-worklist-fts.js';
import { createAnalyses } from './0100-create-analyses.js';
import { createCalibrations } from './0110-create-calibrations.js';
import { createFindingReviews } from './0120-create-finding-reviews.js';
import { createReports } from './0200-create-reports.js';
import { createAuditLog } from './0210-create-audit-log.js';
import { createCohortFindings } from './0300-create-cohort-findings.js';
import { createSearchIndexFiles } from './0310-create-search-index-files.js';
import { createCohortExports } from './0320-create-cohort-exports.js';
import { patientsKeyedWithoutId } from './0330-patients-keyed-without-id.js';
import { createImportAttempts } from './0340-create-import-attempts.js';
import { createReportSignedState } from './0350-create-report-signed-state.js';
import { createQualityOverrides } from './0360-create-quality-overrides.js';
import { addStudyTriage } from './0370-add-study-triage.js';
import { createStudyIdSearch } from './0380-create-study-id-search.js';
import { createAnnotations } from './0390-create-annotations.js';
import { createJobLeases } from './0400-create-job-leases.js';

/** Every migration, in one rising sequence (see ../migration.ts); the order is checked when the database opens. */
export const allMigrations: readonly Migration[] = [
  createPatients,
  createStudies,
  createSeries,
  createInstances,
  createReferenceFindings,
  createStudyLabels,
  createImportJobs,
  createSettings,
  createWorklistFts,
  createAnalyses,
  createCalibrations,
  createFindingReviews,
  createReports,
  createAuditLog,
  createCohortFindings,
  createSearchIndexFiles,
  createCohortExports,
  patientsKeyedWithoutId,
  createImportAttempts,
  createReportSignedState,
  createQualityOverrides,
  addStudyTriage,
  createStudyIdSearch,
  createAnnotations,
  createJobLeases,
];
