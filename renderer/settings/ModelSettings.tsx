import {
  Alert,
  Box,
  Button,
  FormControlLabel,
  FormHelperText,
  LinearProgress,
  MenuItem,
  Stack,
  Switch,
  Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useCallback, useState } from 'react';
import { useJob } from '../common/useJob.js';
import { useCoreQuery } from '../common/useCoreQuery.js';
import { useTranslation } from 'react-i18next';
import { OPERATING_POINT_RULE, type ModelList } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';
import { call } from '../app/coreClient.js';
import { useLabel } from '../common/useLabel.js';

/**
 * Models directory (read-only: chosen at start), active pack, execution provider, and the operating points in force
 * per label (`operatingPoints:get`): validated ones with their provenance, the others "not calibrated" with the reason;
 * the site calibration's evidence per label (positives, AUC, sensitivity and specificity with their intervals) and its
 * refusals. Operating points change by running a calibration on a labelled set; the core offers no operation to type
 * them in, on purpose (they must come from data).
 */
export function ModelSettings() {
  const { t } = useTranslation();
  const label = useLabel();
  const client = useCoreClient();
  const listQuery = useCoreQuery('models:list', {});
  const list = listQuery.data ?? null;
  const pointsQuery = useCoreQuery('operatingPoints:get', list?.activePackId ? { packId: list.activePackId } : null);
  const points = pointsQuery.data ?? null;
  const [failure, setError] = useState<string | null>(null);
  const error = failure ?? listQuery.error?.message ?? pointsQuery.error?.message ?? null;
  const [labelsCsv, setLabelsCsv] = useState('');
  const { reload: reloadList } = listQuery;
  const { reload: reloadPoints } = pointsQuery;
  const load = useCallback(() => {
    reloadList();
    reloadPoints();
  }, [reloadList, reloadPoints]);

  // Calibration runs as a job; a mistyped labels file ends it at once, and that end (with its reason) is shown.
  const calibrationJob = useJob('calibration', { reattach: true, onFinished: load });
  const { job } = calibrationJob;

  const set = async (input: { activePackId?: string; provider?: ModelList['provider']; analyseOnImport?: boolean }) => {
    try {
      await call(client, 'models:setSettings', input);
      load();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const active = list?.packs.find((p) => p.id === list.activePackId) ?? null;
  const calibration = points?.calibration ?? null;
  const num = (v: number | null, digits = 3) => (v === null ? '–' : v.toFixed(digits));
  const withCi = (v: number | null, ci: { low: number; high: number } | null) => (v === null ? '–' : `${v.toFixed(2)} [${ci ? `${ci.low.toFixed(2)}–${ci.high.toFixed(2)}` : '–'}]`);

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
          <Box>
            <FormControlLabel
              control={<Switch checked={list.analyseOnImport} onChange={(e) => void set({ analyseOnImport: e.target.checked })} />}
              label={t('settings.analyseOnImport')}
            />
            <FormHelperText>{t('settings.analyseOnImportHelp')}</FormHelperText>
          </Box>
          <Typography variant="subtitle2">{t('settings.thresholds')}</Typography>
          <Typography variant="caption" color="text.secondary">
            {t('settings.rule', { positives: OPERATING_POINT_RULE.minPositives })}
          </Typography>
          {calibration && (
            <Typography variant="caption" data-testid="calibration-source">
              {t('settings.calibration', { id: calibration.id, images: calibration.imageCount, source: calibration.source })}
            </Typography>
          )}
          <Box sx={{ maxHeight: 320, overflow: 'auto' }}>
            <Table size="small" data-testid="operating-points">
              <TableHead>
                <TableRow>
                  <TableCell>{t('worklist.finding')}</TableCell>
                  <TableCell align="right">{t('settings.threshold')}</TableCell>
                  <TableCell>{t('settings.source')}</TableCell>
                  <TableCell align="right">{t('settings.positives')}</TableCell>
                  <TableCell align="right">{t('settings.auc')}</TableCell>
                  <TableCell align="right">{t('settings.sensitivity')}</TableCell>
                  <TableCell align="right">{t('settings.specificity')}</TableCell>
                  <TableCell>{t('settings.verdict')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {(points?.labels ?? []).map(({ label: l, operatingPoint: p }) => {
                  const c = calibration?.labels.find((x) => x.label === l) ?? null;
                  return (
                    <TableRow key={l}>
                      <TableCell>{label(l)}</TableCell>
                      <TableCell align="right">{p.status === 'validated' ? num(p.threshold) : '–'}</TableCell>
                      <TableCell>
                        {p.status === 'validated' ? (
                          <span title={p.provenance}>{p.source === 'calibration' ? t('settings.fromCalibration') : t('settings.fromPack')}</span>
                        ) : (
                          <span title={p.reason}>{t('settings.notCalibrated')}</span>
                        )}
                      </TableCell>
                      <TableCell align="right">{c ? `${c.positives}/${c.positives + c.negatives}` : '–'}</TableCell>
                      <TableCell align="right">{c ? withCi(c.auc, c.aucCi) : '–'}</TableCell>
                      <TableCell align="right">{c ? withCi(c.sensitivity, c.sensitivityCi) : '–'}</TableCell>
                      <TableCell align="right">{c ? withCi(c.specificity, c.specificityCi) : '–'}</TableCell>
                      <TableCell>{p.status === 'validated' ? t('settings.validated') : `${c && !c.validated ? t('settings.refused') : t('settings.notCalibrated')}: ${p.reason}`}</TableCell>
                    </TableRow>
                  );
                })}
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
