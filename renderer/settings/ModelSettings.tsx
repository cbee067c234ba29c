import { Alert, Box, Button, LinearProgress, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OPERATING_POINT_RULE, type Job, type ModelList, type OperatingPoints } from '../../main/api/index.js';
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
  const [list, setList] = useState<ModelList | null>(null);
  const [points, setPoints] = useState<OperatingPoints | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [labelsCsv, setLabelsCsv] = useState('');
  const [job, setJob] = useState<Job | null>(null);

  const load = useCallback(async () => {
    try {
      const l = await call(client, 'models:list', {});
      setList(l);
      setPoints(l.activePackId ? await call(client, 'operatingPoints:get', { packId: l.activePackId }) : null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }, [client]);
  useEffect(() => void load(), [load]);

  useEffect(() => {
    if (!job || job.finishedAt) return;
    const offP = client.subscribe('jobs:onDidProgress', (j) => j.id === job.id && setJob(j));
    const offF = client.subscribe('jobs:onDidFinish', (j) => {
      if (j.id !== job.id) return;
      setJob(j);
      void load();
    });
    return () => {
      offP();
      offF();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, job?.id, job?.finishedAt, load]);

  const set = async (input: { activePackId?: string; provider?: ModelList['provider'] }) => {
    try {
      await call(client, 'models:setSettings', input);
      await load();
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
          <TextField
            select
            label={t('settings.provider')}
            value={list.provider}
            onChange={(e) => void set({ provider: e.target.value as ModelList['provider'] })}
            helperText={t('settings.providerHelp', { offered: list.offeredProviders.join(', ') })}
          >
            {(['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const).map((p) => (
              <MenuItem key={p} value={p} disabled={p !== 'auto' && p !== 'cpu' && !list.offeredProviders.includes(p)}>
                {p === 'auto' ? t('settings.providerAuto') : p}
              </MenuItem>
            ))}
          </TextField>
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
              disabled={!labelsCsv.trim() || (job !== null && !job.finishedAt)}
              onClick={() => void call(client, 'calibration:run', { labelsCsv: labelsCsv.trim() }).then(setJob, (err: Error) => setError(err.message))}
            >
              {t('settings.calibrate')}
            </Button>
          </Stack>
          {job && (
            <Typography variant="caption">
              {t(`jobs.state.${job.state}`, { done: job.done, total: job.total, failed: job.failed })} {job.message ?? ''}
            </Typography>
          )}
        </>
      )}
    </Stack>
  );
}
