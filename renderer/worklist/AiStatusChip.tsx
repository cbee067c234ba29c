import { Chip } from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { StudySummary } from '../../main/api/index.js';

/** AI status of a study; once analysed, the highest finding probability, labelled as AI-generated. */
export function AiStatusChip({ study }: { study: Pick<StudySummary, 'aiStatus' | 'maxProbability'> }) {
  const { t } = useTranslation();
  if (study.aiStatus === 'done' && study.maxProbability !== null) {
    const p = Math.round(study.maxProbability * 100);
    return (
      <Chip
        size="small"
        color={study.maxProbability >= 0.5 ? 'warning' : 'default'}
        label={t('ai.maxProbability', { percent: p })}
        title={t('ai.generatedLabel')}
      />
    );
  }
  const color = study.aiStatus === 'failed' ? 'error' : study.aiStatus === 'queued' ? 'info' : 'default';
  return <Chip size="small" variant="outlined" color={color} label={t(`aiStatus.${study.aiStatus}`)} />;
}
