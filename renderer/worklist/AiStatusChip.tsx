import { Chip } from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { StudySummary } from '../../main/api/index.js';
import { useLabel } from '../common/useLabel.js';

/**
 * What the AI said about a study, in one chip labelled as AI output: the finding it called furthest above its
 * operating point (and how many more it called), "no finding called", or the analysis status.
 */
export function AiStatusChip({ study }: { study: Pick<StudySummary, 'aiStatus' | 'topFinding' | 'calledCount' | 'triageScore'> }) {
  const { t } = useTranslation();
  const label = useLabel();
  if (study.aiStatus === 'done') {
    if (study.topFinding) {
      const more = study.calledCount - 1;
      return (
        <Chip
          size="small"
          color="warning"
          data-testid="ai-top-finding"
          label={more > 0 ? t('ai.calledMore', { label: label(study.topFinding), count: more }) : label(study.topFinding)}
          title={t('ai.calledTitle')}
        />
      );
    }
    return (
      <Chip
        size="small"
        variant="outlined"
        data-testid="ai-top-finding"
        label={study.triageScore === null ? t('aiStatus.done') : t('ai.noneCalled')}
        title={t('ai.generatedLabel')}
      />
    );
  }
  const color = study.aiStatus === 'failed' ? 'error' : study.aiStatus === 'queued' ? 'info' : 'default';
  return <Chip size="small" variant="outlined" color={color} label={t(`aiStatus.${study.aiStatus}`)} />;
}
