import { Box, Button, LinearProgress, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { useCoreClient } from '../app/CoreClientContext.js';
import { useJob } from '../common/useJob.js';

/**
 * Runs the AI on every image not yet analysed by the active pack (`analysis:start` with `all`), so the worklist's
 * AI status and triage order fill in. Already analysed images are not recomputed. A run still going when the page
 * loads is shown again.
 */
export function AnalyseAllButton({ onFinished }: { onFinished?: () => void }) {
  const { t } = useTranslation();
  const client = useCoreClient();
  const analysis = useJob('analysis', { reattach: true, onFinished });
  const { job, running } = analysis;
  return (
    <Box sx={{ minWidth: 160, maxWidth: 280 }}>
      <Button
        variant="outlined"
        fullWidth
        disabled={running}
        onClick={() => void analysis.start(() => client.invoke('analysis:start', { all: true }))}
      >
        {t('worklist.analyseAll')}
      </Button>
      {job && (
        <Box aria-live="polite">
          {running && (
            <LinearProgress
              variant={job.total > 0 ? 'determinate' : 'indeterminate'}
              value={job.total > 0 ? (job.done / job.total) * 100 : 0}
              aria-label={t('worklist.analyseProgress')}
            />
          )}
          <Typography variant="caption" component="div" data-testid="analysis-status">
            {t(`jobs.state.${job.state}`, { done: job.done, total: job.total, failed: job.failed })}
          </Typography>
          {job.message && job.state !== 'running' && (
            <Typography variant="caption" component="div" color={job.state === 'failed' ? 'error' : 'text.secondary'}>
              {job.message}
            </Typography>
          )}
        </Box>
      )}
      {analysis.error && (
        <Typography variant="caption" color="error">
          {analysis.error}
        </Typography>
      )}
    </Box>
  );
}
