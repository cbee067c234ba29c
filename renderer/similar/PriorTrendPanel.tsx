import { Alert, Box, Chip, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Priors } from '../../main/api/index.js';
import { useCoreQuery } from '../common/useCoreQuery.js';
import { useLabel } from '../common/useLabel.js';
import { timeAxis } from './timeAxis.js';

const W = 320;
const H = 150;
const PAD = { left: 34, right: 10, top: 10, bottom: 24 };

/** One finding's AI probability across the patient's studies (`priors:get`), against its threshold. */
export function PriorTrendPanel({ studyId }: { studyId: number }) {
  const { t } = useTranslation();
  const label = useLabel();
  const query = useCoreQuery('priors:get', { studyId });
  const priors = query.data ?? null;
  const error = query.error?.message ?? null;
  const [picked, setPicked] = useState<{ studyId: number; label: string } | null>(null);
  // Until the reader picks one, the finding the current study is most suspicious for.
  const chosen = useMemo(() => {
    if (picked?.studyId === studyId) return picked.label;
    const latest = (s: Priors['series'][number]) => s.points.find((x) => x.studyId === studyId)?.probability ?? -1;
    return [...(priors?.series ?? [])].sort((a, b) => latest(b) - latest(a))[0]?.label ?? '';
  }, [picked, priors, studyId]);
  const setChosen = (label: string) => setPicked({ studyId, label });

  const series = useMemo(() => priors?.series.find((s) => s.label === chosen) ?? null, [priors, chosen]);

  if (error) return <Alert severity="info">{error}</Alert>;
  if (!priors) return null;
  const points = series?.points ?? [];
  // Time runs left to right in proportion (studies a week apart sit close); undated studies cannot be placed.
  const axis = timeAxis(points, PAD.left, W - PAD.right);
  const y = (p: number) => PAD.top + (1 - p) * (H - PAD.top - PAD.bottom);
  const drawn = points.flatMap((p) => {
    const at = axis.x(p.date);
    return at === null || p.probability === null ? [] : [{ ...p, x: at, probability: p.probability }];
  });
  const undated = points.filter((p) => axis.x(p.date) === null).length;

  return (
    <Box component="section" aria-label={t('trend.title')} sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      <Stack direction="row" sx={{ alignItems: 'center', gap: 1 }}>
        <Typography variant="h6" sx={{ flex: 1 }}>
          {t('trend.title')}
        </Typography>
        <Chip size="small" color="secondary" label={t('ai.generatedLabel')} />
      </Stack>
      {priors.studies.length < 2 ? (
        <Typography variant="body2" color="text.secondary">
          {t('trend.noPriors')}
        </Typography>
      ) : (
        <>
          <TextField select size="small" label={t('worklist.finding')} value={chosen} onChange={(e) => setChosen(e.target.value)}>
            {priors.series.map((s) => (
              <MenuItem key={s.label} value={s.label}>
                {label(s.label)}
              </MenuItem>
            ))}
          </TextField>
          <svg width={W} height={H} role="img" aria-label={t('trend.plot', { label: label(chosen) })} data-testid="trend-plot">
            <rect x={PAD.left} y={PAD.top} width={W - PAD.left - PAD.right} height={H - PAD.top - PAD.bottom} fill="none" stroke="#666" />
            {[0, 0.5, 1].map((v) => (
              <text key={v} x={PAD.left - 4} y={y(v) + 4} fontSize={10} textAnchor="end" fill="#aaa">
                {v * 100}%
              </text>
            ))}
            {series && series.threshold !== null && (
              <line x1={PAD.left} x2={W - PAD.right} y1={y(series.threshold)} y2={y(series.threshold)} stroke="#ff9800" strokeDasharray="4 3" />
            )}
            <polyline points={drawn.map((p) => `${p.x},${y(p.probability)}`).join(' ')} fill="none" stroke="#90caf9" strokeWidth={2} />
            {drawn.map((p) => (
              <circle
                key={p.studyId}
                data-testid="trend-point"
                data-date={p.date ?? ''}
                cx={p.x}
                cy={y(p.probability)}
                r={p.studyId === studyId ? 5 : 3.5}
                fill={p.positive ? '#ff9800' : '#90caf9'}
              >
                <title>{`${p.date ?? '?'}: ${Math.round(p.probability * 100)}%${p.change ? ` (${t(`trend.change.${p.change}`)})` : ''}`}</title>
              </circle>
            ))}
            {axis.labels.map((l) => (
              <text key={l.date} data-testid="trend-date" x={l.x} y={H - 8} fontSize={9} textAnchor={l.anchor} fill="#aaa">
                {l.date}
              </text>
            ))}
          </svg>
          {undated > 0 && (
            <Typography variant="caption" color="text.secondary">
              {t('trend.undated', { count: undated })}
            </Typography>
          )}
          <Typography variant="caption" color="text.secondary">
            {series
              ? `${series.threshold === null ? t('trend.notCalibrated') : t('trend.threshold', { percent: Math.round(series.threshold * 100) })} · ${t('trend.margin', { points: Math.round(series.margin * 100) })}`
              : ''}
            {points.find((p) => p.studyId === studyId)?.change
              ? ` · ${t(`trend.change.${points.find((p) => p.studyId === studyId)!.change!}`)}`
              : ''}
          </Typography>
        </>
      )}
    </Box>
  );
}
