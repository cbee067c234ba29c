import { Alert, Box, Button, LinearProgress, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Job } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';

/**
 * Starts an import of files or folders on the machine running the core. A browser has no native dialog that yields
 * server-side paths, so paths are typed (one per line); progress comes from `jobs:onDidProgress`.
 */
export function ImportPanel({ onFinished }: { onFinished?: (job: Job) => void }) {
  const { t } = useTranslation();
  const client = useCoreClient();
  const [paths, setPaths] = useState('');
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!job || job.state !== 'running') return;
    const id = job.id;
    const offProgress = client.subscribe('jobs:onDidProgress', (j) => {
      if (j.id === id) setJob(j);
    });
    const offFinish = client.subscribe('jobs:onDidFinish', (j) => {
      if (j.id !== id) return;
      setJob(j);
      onFinished?.(j);
    });
    return () => {
      offProgress();
      offFinish();
    };
    // Subscribe once per job, not per progress update.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, job?.id, job?.state === 'running']);

  const start = async () => {
    setError(null);
    const list = paths
      .split('\n')
      .map((p) => p.trim())
      .filter(Boolean);
    if (!list.length) {
      setError(t('import.noPaths'));
      return;
    }
    const result = await client.invoke('import:start', { paths: list });
    if (result.ok) setJob(result.value);
    else setError(result.error.message);
  };

  const running = job?.state === 'running' || job?.state === 'queued';
  const percent = job && job.total > 0 ? Math.min(100, (job.done / job.total) * 100) : 0;
  return (
    <Stack spacing={1} sx={{ p: 1 }}>
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
        <Button variant="contained" onClick={start} disabled={running}>
          {t('import.start')}
        </Button>
        {running && job && (
          <Button sx={{ ml: 1 }} onClick={() => void client.invoke('jobs:cancel', { jobId: job.id })}>
            {t('common.cancel')}
          </Button>
        )}
      </Box>
      {job && (
        <Box aria-live="polite">
          <LinearProgress
            variant={job.total > 0 ? 'determinate' : 'indeterminate'}
            value={percent}
            aria-label={t('import.progress')}
          />
          <Typography variant="caption" data-testid="import-status">
            {t(`import.state.${job.state}`, { done: job.done, total: job.total, failed: job.failed })}
            {job.etaSeconds !== null && running ? ` · ${t('import.eta', { seconds: Math.ceil(job.etaSeconds) })}` : ''}
          </Typography>
          {job.message && job.state !== 'running' && (
            <Typography variant="caption" component="div">
              {job.message}
            </Typography>
          )}
        </Box>
      )}
      {error && <Alert severity="error">{error}</Alert>}
    </Stack>
  );
}
