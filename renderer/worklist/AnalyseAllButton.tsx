import { Box, Button, LinearProgress, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Job } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';

/**
 * Runs the AI on every image not yet analysed by the active pack (`analysis:start` with `all`), so the worklist's
 * AI status and "most abnormal first" order fill in. Already analysed images are not recomputed.
 */
export function AnalyseAllButton({ onFinished }: { onFinished?: () => void }) {
  const { t } = useTranslation();
  const client = useCoreClient();
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = job !== null && job.finishedAt === null;

  useEffect(() => {
    if (!job || job.finishedAt) return;
    const id = job.id;
    const offP = client.subscribe('jobs:onDidProgress', (j) => j.id === id && setJob(j));
    const offF = client.subscribe('jobs:onDidFinish', (j) => {
      if (j.id !== id) return;
      setJob(j);
      onFinished?.();
    });
    return () => {
      offP();
      offF();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, job?.id, job?.finishedAt]);

  return (
    <Box sx={{ minWidth: 160 }}>
      <Button
        variant="outlined"
        fullWidth
        disabled={running}
        onClick={() => {
          setError(null);
          void client.invoke('analysis:start', { all: true }).then((r) => (r.ok ? setJob(r.value) : setError(r.error.message)));
        }}
      >
        {t('worklist.analyseAll')}
      </Button>
      {job && (
        <Box aria-live="polite">
          <LinearProgress
            variant={job.total > 0 ? 'determinate' : 'indeterminate'}
            value={job.total > 0 ? (job.done / job.total) * 100 : 0}
            aria-label={t('worklist.analyseProgress')}
          />
          <Typography variant="caption">{t(`jobs.state.${job.state}`, { done: job.done, total: job.total, failed: job.failed })}</Typography>
        </Box>
      )}
      {error && (
        <Typography variant="caption" color="error">
          {error}
        </Typography>
      )}
    </Box>
  );
}
