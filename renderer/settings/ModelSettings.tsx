import { Alert, Box, Button, LinearProgress, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useCallback, useState } from 'react';
import { useJob } from '../common/useJob.js';
import { useCoreQuery } from '../common/useCoreQuery.js';
import { useTranslation } from 'react-i18next';
import type { ModelList } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';
import { call } from '../app/coreClient.js';
import { useLabel } from '../common/useLabel.js';

/**
 * Models directory (read-only: chosen at start), active pack, execution provider, and the thresholds in force:
 * the site calibration when one exists, else the pack's. Thresholds change by running a calibration on a labelled
 * set; the core offers no operation to type them in, on purpose (they must come from data).
 */
export function ModelSettings() {
  const { t } = useTranslation();
  const label = useLabel();
  const client = useCoreClient();
  const listQuery = useCoreQuery('models:list', {});
  const list = listQuery.data ?? null;
  const calibrationQuery = useCoreQuery('calibration:get', list?.activePackId ? { packId: list.activePackId } : null);
  const calibration = calibrationQuery.data ?? null;
  const [failure, setError] = useState<string | null>(null);
  const error = failure ?? listQuery.error?.message ?? calibrationQuery.error?.message ?? null;
  const [labelsCsv, setLabelsCsv] = useState('');
  const { reload: reloadList } = listQuery;
  const { reload: reloadCalibration } = calibrationQuery;
  const load = useCallback(() => {
    reloadList();
    reloadCalibration();
  }, [reloadList, reloadCalibration]);

  // Calibration runs as a job; a mistyped labels file ends it at once, and that end (with its reason) is shown.
  const calibrationJob = useJob('calibration', { reattach: true, onFinished: load });
  const { job } = calibrationJob;

  const set = async (input: { activePackId?: string; provider?: ModelList['provider'] }) => {
    try {
      await call(client, 'models:setSettings', input);
      load();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const active = list?.packs.find((p) => p.id === list.activePackId) ?? null;
  const thresholds: { label: string; value: number | null; source: string }[] = active
    ? active.labels.map((l) => {
        const cal = calibration?.labels.find((c) => c.label === l);
        return cal && cal.threshold !== null
          ? { label: l, value: cal.threshold, source: t('settings.fromCalibration') }
          : { label: l, value: active.packThresholds[l] ?? null, source: t('settings.fromPack') };
      })
    : [];

  return (
    <Stack spacing={1.5}>
      <Typography variant="subtitle2">{t('settings.models')}</Typography>
      {error && <Alert severity="error">{error}</Alert>}
      {!list && !error && <LinearProgress aria-label={t('common.loading')} />}
      {list && (
        <>
          <TextField
            label={t('settings.modelsDirs')}
            value={list.modelsDirs.join('\n')}
            multiline
            slotProps={{ input: { readOnly: true } }}
            helperText={t('settings.modelsDirsHelp')}
          />
          {list.broken.map((b) => (
            <Alert key={b.dir} severity="warning">
              {b.dir}: {b.error}
            </Alert>
          ))}
          <TextField select label={t('settings.pack')} value={list.activePackId ?? ''} onChange={(e) => void set({ activePackId: e.target.value })}>
            {list.packs.map((p) => (
              <MenuItem key={p.id} value={p.id}>
                {p.title} ({p.id} {p.version})
              </MenuItem>
            ))}
          </TextField>
          {active && (
            <Typography variant="caption" color="text.secondary">
              {active.intendedUse}
            </Typography>
          )}
          {/* Only providers that actually loaded a model here (and CPU, always there), not every one onnxruntime names. */}
          <TextField
            select
            label={t('settings.provider')}
            value={list.provider}
            onChange={(e) => void set({ provider: e.target.value as ModelList['provider'] })}
            helperText={
              list.providers.inUse
                ? t('settings.providerInUse', { provider: list.providers.inUse, loaded: list.providers.loaded.join(', ') })
                : t('settings.providerNotLoaded')
            }
          >
            {(['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const)
              .filter((p) => p === 'auto' || p === 'cpu' || p === list.provider || list.providers.loaded.includes(p))
              .map((p) => (
                <MenuItem key={p} value={p}>
                  {p === 'auto' ? t('settings.providerAuto') : p}
                </MenuItem>
              ))}
          </TextField>
          {list.providers.failed.map((f) => (
            <Alert key={f.provider} severity="info" variant="outlined" data-testid="provider-failed">
              {t('settings.providerFailed', { provider: f.provider, reason: f.reason })}
            </Alert>
          ))}
          <Typography variant="subtitle2">{t('settings.thresholds')}</Typography>
          <Box sx={{ maxHeight: 220, overflow: 'auto' }}>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>{t('worklist.finding')}</TableCell>
                  <TableCell align="right">{t('settings.threshold')}</TableCell>
                  <TableCell>{t('settings.source')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {thresholds.map((r) => (
                  <TableRow key={r.label}>
                    <TableCell>{label(r.label)}</TableCell>
                    <TableCell align="right">{r.value === null ? '–' : r.value.toFixed(3)}</TableCell>
                    <TableCell>{r.source}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
          <Stack direction="row" sx={{ gap: 1, alignItems: 'flex-start' }}>
            <TextField
              size="small"
              sx={{ flex: 1 }}
              label={t('settings.labelsCsv')}
              helperText={t('settings.labelsCsvHelp')}
              value={labelsCsv}
              onChange={(e) => setLabelsCsv(e.target.value)}
            />
            <Button
              variant="outlined"
              disabled={!labelsCsv.trim() || calibrationJob.running}
              onClick={() => void calibrationJob.start(() => client.invoke('calibration:run', { labelsCsv: labelsCsv.trim() }))}
            >
              {t('settings.calibrate')}
            </Button>
          </Stack>
          {job && (
            <Box aria-live="polite" data-testid="calibration-status">
              {calibrationJob.running && <LinearProgress variant={job.total > 0 ? 'determinate' : 'indeterminate'} value={job.total > 0 ? (job.done / job.total) * 100 : 0} />}
              <Typography variant="caption" component="div">
                {t(`jobs.state.${job.state}`, { done: job.done, total: job.total, failed: job.failed })}
              </Typography>
              {job.message && !calibrationJob.running && (
                <Alert severity={job.state === 'failed' ? 'error' : 'info'}>{job.message}</Alert>
              )}
            </Box>
          )}
          {calibrationJob.error && <Alert severity="error">{calibrationJob.error}</Alert>}
        </>
      )}
    </Stack>
  );
}
