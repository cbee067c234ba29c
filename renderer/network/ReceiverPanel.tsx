import { Alert, Chip, List, ListItem, ListItemText, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuarantineEntry, ReceiverEvent, ReceiverStatus } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';
import { call } from '../app/coreClient.js';

const EVENT_COLOUR: Record<ReceiverEvent['kind'], 'default' | 'success' | 'warning' | 'error' | 'info'> = {
  stored: 'success',
  indexed: 'info',
  duplicate: 'default',
  quarantined: 'error',
  'store-failed': 'error',
  'association-rejected': 'warning',
};

/** The receiver's state, what arrived (live), and the quarantine with each object's reason. */
export function ReceiverPanel() {
  const { t } = useTranslation();
  const client = useCoreClient();
  const [status, setStatus] = useState<ReceiverStatus | null>(null);
  const [quarantine, setQuarantine] = useState<QuarantineEntry[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const load = () =>
      Promise.all([call(client, 'network:receiverStatus', {}), call(client, 'network:quarantine', { limit: 50 })]).then(
        ([s, q]) => {
          setStatus(s);
          setQuarantine(q);
        },
        (err: Error) => setError(err.message),
      );
    void load();
    const offStatus = client.subscribe('network:onDidChangeReceiver', setStatus);
    const offEvent = client.subscribe('network:onDidReceive', (e) => {
      setStatus((s) => (s ? { ...s, recent: [e, ...s.recent].slice(0, 100) } : s));
      if (e.kind === 'quarantined') call(client, 'network:quarantine', { limit: 50 }).then(setQuarantine, () => undefined);
    });
    return () => {
      offStatus();
      offEvent();
    };
  }, [client]);

  if (error) return <Alert severity="warning">{error}</Alert>;
  if (!status) return null;
  const c = status.counts;
  return (
    <Stack spacing={1} aria-label={t('network.receiver.title')}>
      <Typography variant="subtitle2">{t('network.receiver.title')}</Typography>
      {status.state === 'listening' && <Alert severity="success">{t('network.receiver.listening', { aet: status.aeTitle, bind: status.bind, port: status.port })}</Alert>}
      {status.state === 'stopped' && <Alert severity="info">{t('network.receiver.stopped')}</Alert>}
      {status.state === 'failed' && <Alert severity="error">{t('network.receiver.failed', { error: status.error ?? '' })}</Alert>}
      <Typography variant="caption">
        {t('network.receiver.counts', { stored: c.stored, duplicates: c.duplicates, quarantined: c.quarantined, rejected: c.rejectedAssociations, pending: c.pendingIndex })}
      </Typography>
      <Typography variant="subtitle2">{t('network.receiver.recent')}</Typography>
      {status.recent.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {t('network.receiver.emptyRecent')}
        </Typography>
      ) : (
        <List dense disablePadding sx={{ maxHeight: 320, overflow: 'auto' }}>
          {status.recent.slice(0, 50).map((e, i) => (
            <ListItem key={`${e.at}-${i}`} disableGutters>
              <ListItemText
                primary={
                  <>
                    <Chip size="small" color={EVENT_COLOUR[e.kind]} label={t(`network.event.${e.kind}`)} sx={{ mr: 1 }} />
                    {e.callingAeTitle}
                  </>
                }
                secondary={`${e.at.slice(11, 19)} ${e.sopInstanceUid ?? e.studyInstanceUid ?? ''} ${e.kind === 'stored' ? '' : e.detail}`}
                slotProps={{ secondary: { sx: { wordBreak: 'break-all' } } }}
              />
            </ListItem>
          ))}
        </List>
      )}
      <Typography variant="subtitle2">{t('network.receiver.quarantine')}</Typography>
      {quarantine.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {t('network.receiver.emptyQuarantine')}
        </Typography>
      ) : (
        <List dense disablePadding>
          {quarantine.map((q) => (
            <ListItem key={q.id} disableGutters>
              <ListItemText
                primary={`${q.at.slice(0, 19).replace('T', ' ')} ${q.callingAeTitle} ${q.sopInstanceUid}`}
                secondary={`${q.reason} — ${t('network.receiver.keptAs', { file: q.file })}`}
                slotProps={{ secondary: { sx: { wordBreak: 'break-all' } } }}
              />
            </ListItem>
          ))}
        </List>
      )}
    </Stack>
  );
}
