import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type Language } from '../i18n/index.js';
import { ModelSettings } from './ModelSettings.js';
import { ReaderSettings } from './ReaderSettings.js';
import { NetworkSettings } from '../network/NetworkSettings.js';

/** Settings: language (kept in this browser), and what the core lets the reader see or change. */
export function SettingsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{t('settings.title')}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField
            select
            label={t('settings.language')}
            value={i18n.language}
            onChange={(e) => void setLanguage(i18n, e.target.value as Language)}
          >
            {LANGUAGES.map((l) => (
              <MenuItem key={l} value={l}>
                {t(`languages.${l}`)}
              </MenuItem>
            ))}
          </TextField>
          <ReaderSettings />
          <ModelSettings />
          <NetworkSettings />
          <Typography variant="subtitle2">{t('settings.dataDir')}</Typography>
          <Alert severity="info">{t('settings.dataDirReadOnly')}</Alert>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('common.close')}</Button>
      </DialogActions>
    </Dialog>
  );
}
