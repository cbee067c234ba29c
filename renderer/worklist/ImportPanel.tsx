import { Alert, Box, Button, LinearProgress, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Job } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';
import { useCoreQuery } from '../common/useCoreQuery.js';
import { useJob } from '../common/useJob.js';
import { ImportOutcome } from './ImportOutcome.js';
import { canUpload } from './uploadFiles.js';
import { UploadZone } from './UploadZone.js';

/**
 * Starts an import of files or folders on the machine running the core (paths typed, one per line) and follows it to
 * its end: progress while it runs, then what the import did and every failed file with its reason. A running
 * import is found again after a page reload.
 */
export function ImportPanel({ onFinished, onRunning }: { onFinished?: (job: Job) => void; /** An import is running (started here or found on load). */ onRunning?: () => void }) {
  const { t } = useTranslation();
  const client = useCoreClient();
  const [paths, setPaths] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  const imp = useJob('import', { reattach: true, onFinished });
  const { job, running } = imp;
  const report = useCoreQuery('import:report', job?.finishedAt ? { jobId: job.id } : null);

  useEffect(() => {
    if (running) onRunning?.();
    // Only the start of a run matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [running]);

  const start = async () => {
    setInputError(null);
    const list = paths
      .split('\n')
      .map((p) => p.trim())
      .filter(Boolean);
    if (!list.length) {
      setInputError(t('import.noPaths'));
      return;
    }
    await imp.start(() => client.invoke('import:start', { paths: list }));
  };

  const percent = job && job.total > 0 ? Math.min(100, (job.done / job.total) * 100) : 0;
  const error = inputError ?? imp.error;
  return (
    <Stack spacing={1} sx={{ p: 1 }}>
      {canUpload() && <UploadZone disabled={running} onUploaded={(folder) => void imp.start(() => client.invoke('import:start', { paths: [folder] }))} />}
      <TextField
        label={t('import.paths')}
        helperText={t('import.pathsHelp')}
        multiline
        minRows={2}
        size="small"
        value={paths}
        onChange={(e) => setPaths(e.target.value)}
      />
      <Box>
        <Button variant="contained" onClick={() => void start()} disabled={running}>
          {t('import.start')}
        </Button>
        {running && (
          <Button sx={{ ml: 1 }} onClick={imp.cancel}>
            {t('common.cancel')}
          </Button>
        )}
      </Box>
      {job && (
        <Box aria-live="polite">
          {running && (
            <LinearProgress variant={job.total > 0 ? 'determinate' : 'indeterminate'} value={percent} aria-label={t('import.progress')} />
          )}
          {running || !report.data ? (
            <Typography variant="caption" data-testid="import-status">
              {t(`import.state.${job.state}`, { done: job.done, total: job.total, failed: job.failed })}
              {job.etaSeconds !== null && running ? ` · ${t('import.eta', { seconds: Math.ceil(job.etaSeconds) })}` : ''}
            </Typography>
          ) : (
            <ImportOutcome job={job} report={report.data} />
          )}
          {job.state === 'failed' && job.message && <Alert severity="error">{job.message}</Alert>}
          {report.error && <Alert severity="warning">{report.error.message}</Alert>}
        </Box>
      )}
      {error && <Alert severity="error">{error}</Alert>}
    </Stack>
  );
}
