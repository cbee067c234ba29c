import { Box, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';

/**
 * Instead of an empty worklist inviting a re-import: this page's session has ended (wrong or stale token), and what
 * to do about it.
 */
export function SessionEnded() {
  const { t } = useTranslation();
  return (
    <Box role="alert" data-testid="session-ended" sx={{ maxWidth: 640, mx: 'auto', mt: 10, p: 3, border: 1, borderColor: 'warning.main', borderRadius: 1 }}>
      <Typography variant="h5" gutterBottom>
        {t('session.endedTitle')}
      </Typography>
      <Typography variant="body1" gutterBottom>
        {t('session.endedBody')}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {t('session.endedNothingLost')}
      </Typography>
    </Box>
  );
}
