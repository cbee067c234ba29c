import { Alert, Stack, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { hasOperation } from '../app/CoreClientContext.js';

/**
 * Models directory, chosen pack, execution provider and thresholds. These come from the core's `models:*`
 * operations; until the core has them, the section says so rather than offering controls that do nothing.
 */
export function ModelSettings() {
  const { t } = useTranslation();
  return (
    <Stack spacing={1}>
      <Typography variant="subtitle2">{t('settings.models')}</Typography>
      {!hasOperation('models:list') && <Alert severity="info">{t('settings.modelsUnavailable')}</Alert>}
    </Stack>
  );
}
