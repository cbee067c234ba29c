import { Alert, Button, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCoreClient } from '../app/CoreClientContext.js';
import { call } from '../app/coreClient.js';
import { useCoreQuery } from '../common/useCoreQuery.js';

/**
 * Who the workstation acts and signs as (`reader:get`/`reader:set`): the reader name set here, else the computer
 * account. The core decides it for every audit entry and signature; no other screen takes a name.
 */
export function ReaderSettings() {
  const { t } = useTranslation();
  const client = useCoreClient();
  const reader = useCoreQuery('reader:get', {}, { refreshOn: ['reader:onDidChange'] });
  const [name, setName] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const typed = name ?? (reader.data?.source === 'setting' ? reader.data.name : '');
  const save = async (value: string | null) => {
    setError(null);
    try {
      await call(client, 'reader:set', { name: value });
      setName(null);
      reader.reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <Stack spacing={1} component="section" aria-label={t('settings.reader.title')}>
      <Typography variant="subtitle2">{t('settings.reader.title')}</Typography>
      {reader.data && (
        <Typography variant="body2" data-testid="reader-current">
          {t(reader.data.source === 'setting' ? 'settings.reader.currentSetting' : 'settings.reader.currentAccount', { name: reader.data.name })}
        </Typography>
      )}
      <Stack direction="row" sx={{ gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <TextField size="small" label={t('settings.reader.name')} value={typed} onChange={(e) => setName(e.target.value)} />
        <Button variant="outlined" disabled={!typed.trim()} onClick={() => void save(typed.trim())}>
          {t('settings.reader.save')}
        </Button>
        {reader.data?.source === 'setting' && <Button onClick={() => void save(null)}>{t('settings.reader.useAccount')}</Button>}
      </Stack>
      {(error ?? reader.error?.message) && <Alert severity="error">{error ?? reader.error?.message}</Alert>}
    </Stack>
  );
}
