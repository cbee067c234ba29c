import { Alert, Box, Button, Checkbox, FormControlLabel, MenuItem, Stack, Switch, Table, TableBody, TableCell, TableRow, TextField, Typography } from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkSettings as Settings, RemoteNode } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';
import { call } from '../app/coreClient.js';

type Draft = { kind: 'dimse' | 'dicomweb'; name: string; aeTitle: string; host: string; port: string; retrieveMethod: 'move' | 'get'; url: string };
const NEW_NODE: Draft = { kind: 'dimse', name: '', aeTitle: '', host: '', port: '104', retrieveMethod: 'move', url: '' };

function toDraft(n: RemoteNode): Draft {
  return n.kind === 'dimse'
    ? { ...NEW_NODE, kind: 'dimse', name: n.name, aeTitle: n.aeTitle, host: n.host, port: String(n.port), retrieveMethod: n.retrieveMethod }
    : { ...NEW_NODE, kind: 'dicomweb', name: n.name, url: n.url };
}

function fromDraft(d: Draft): RemoteNode {
  return d.kind === 'dimse'
    ? { kind: 'dimse', name: d.name.trim(), aeTitle: d.aeTitle.trim(), host: d.host.trim(), port: Number(d.port), retrieveMethod: d.retrieveMethod }
    : { kind: 'dicomweb', name: d.name.trim(), url: d.url.trim() };
}

/**
 * Settings › DICOM network: this workstation's AE (the receiver: on/off, AE title, port, address, who may send),
 * the remote nodes (DIMSE or DICOMweb, each with "test connection"), and sending signed reports automatically.
 */
export function NetworkSettings() {
  const { t } = useTranslation();
  const client = useCoreClient();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [receiver, setReceiver] = useState({ aeTitle: '', port: '', bind: '' });
  const [editing, setEditing] = useState<{ draft: Draft; previousName?: string } | null>(null);
  const [message, setMessage] = useState<{ severity: 'error' | 'success' | 'info'; text: string } | null>(null);

  const show = useCallback((s: Settings) => {
    setSettings(s);
    setReceiver({ aeTitle: s.receiver.aeTitle, port: String(s.receiver.port), bind: s.receiver.bind });
  }, []);
  useEffect(() => {
    call(client, 'network:settings', {}).then(show, (err: Error) => setMessage({ severity: 'error', text: err.message }));
  }, [client, show]);

  const attempt = async (fn: () => Promise<void>) => {
    setMessage(null);
    try {
      await fn();
    } catch (err) {
      setMessage({ severity: 'error', text: (err as Error).message });
    }
  };
  const update = (input: Parameters<typeof call<'network:updateSettings'>>[2]) => attempt(async () => show(await call(client, 'network:updateSettings', input)));

  if (!settings) return message ? <Alert severity="warning">{message.text}</Alert> : null;
  const r = settings.receiver;
  return (
    <Stack spacing={1.5} aria-label={t('network.settings.title')}>
      <Typography variant="subtitle2">{t('network.settings.title')}</Typography>
      <FormControlLabel control={<Switch checked={r.enabled} onChange={(e) => void update({ receiver: { enabled: e.target.checked } })} />} label={t('network.settings.enabled')} />
      <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap' }}>
        <TextField size="small" label={t('network.settings.aeTitle')} value={receiver.aeTitle} onChange={(e) => setReceiver((v) => ({ ...v, aeTitle: e.target.value }))} sx={{ width: 150 }} />
        <TextField size="small" label={t('network.settings.port')} value={receiver.port} onChange={(e) => setReceiver((v) => ({ ...v, port: e.target.value }))} sx={{ width: 100 }} />
        <TextField size="small" label={t('network.settings.bind')} value={receiver.bind} helperText={t('network.settings.bindHelp')} onChange={(e) => setReceiver((v) => ({ ...v, bind: e.target.value }))} sx={{ flex: 1, minWidth: 160 }} />
        <Box>
          <Button variant="outlined" onClick={() => void update({ receiver: { aeTitle: receiver.aeTitle, port: Number(receiver.port), bind: receiver.bind } })}>
            {t('network.settings.apply')}
          </Button>
        </Box>
      </Stack>
      <FormControlLabel
        control={<Checkbox checked={r.acceptAnyCaller} onChange={(e) => void update({ receiver: { acceptAnyCaller: e.target.checked } })} />}
        label={t('network.settings.acceptAny')}
      />
      <Typography variant="subtitle2">{t('network.settings.nodes')}</Typography>
      <Table size="small">
        <TableBody>
          {settings.nodes.map((n) => (
            <TableRow key={n.name}>
              <TableCell>{n.name}</TableCell>
              <TableCell sx={{ wordBreak: 'break-all' }}>{n.kind === 'dimse' ? `${n.aeTitle}@${n.host}:${n.port} (C-${n.retrieveMethod.toUpperCase()})` : n.url}</TableCell>
              <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                <Button
                  size="small"
                  onClick={() =>
                    void attempt(async () => {
                      const e = await call(client, 'network:echo', { node: n.name });
                      setMessage(e.ok ? { severity: 'success', text: t('network.echoOk', { node: e.node, ms: Math.round(e.milliseconds) }) } : { severity: 'error', text: t('network.echoFailed', { message: e.message }) });
                    })
                  }
                >
                  {t('network.testConnection')}
                </Button>
                <Button size="small" onClick={() => setEditing({ draft: toDraft(n), previousName: n.name })}>
                  {t('network.settings.edit')}
                </Button>
                <Button size="small" color="error" onClick={() => void attempt(async () => show({ ...settings, nodes: await call(client, 'network:removeNode', { node: n.name }) }))}>
                  {t('network.settings.remove')}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {editing ? (
        <NodeForm
          draft={editing.draft}
          onCancel={() => setEditing(null)}
          onSave={(draft) =>
            void attempt(async () => {
              const nodes = await call(client, 'network:saveNode', { node: fromDraft(draft), ...(editing.previousName ? { previousName: editing.previousName } : {}) });
              show({ ...settings, nodes });
              setEditing(null);
            })
          }
        />
      ) : (
        <Box>
          <Button onClick={() => setEditing({ draft: NEW_NODE })}>{t('network.settings.addNode')}</Button>
        </Box>
      )}
      <Stack direction="row" sx={{ gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <TextField
          select
          size="small"
          label={t('network.settings.sendOnSign')}
          value={settings.sendOnSign.enabled && settings.sendOnSign.node ? settings.sendOnSign.node : ''}
          onChange={(e) => void update({ sendOnSign: e.target.value ? { enabled: true, node: e.target.value } : { enabled: false } })}
          sx={{ minWidth: 260 }}
        >
          <MenuItem value="">{t('network.settings.sendOnSignOff')}</MenuItem>
          {settings.nodes.map((n) => (
            <MenuItem key={n.name} value={n.name}>
              {n.name}
            </MenuItem>
          ))}
        </TextField>
        <FormControlLabel
          control={<Checkbox checked={settings.sendOnSign.secondaryCapture} disabled={!settings.sendOnSign.enabled} onChange={(e) => void update({ sendOnSign: { secondaryCapture: e.target.checked } })} />}
          label={t('network.settings.withCapture')}
        />
      </Stack>
      {message && <Alert severity={message.severity}>{message.text}</Alert>}
    </Stack>
  );
}

function NodeForm({ draft: initial, onSave, onCancel }: { draft: Draft; onSave: (d: Draft) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [d, setD] = useState(initial);
  const set = (patch: Partial<Draft>) => setD((v) => ({ ...v, ...patch }));
  return (
    <Stack spacing={1} sx={{ p: 1, border: 1, borderColor: 'divider', borderRadius: 1 }}>
      <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap' }}>
        <TextField size="small" label={t('network.settings.name')} value={d.name} onChange={(e) => set({ name: e.target.value })} sx={{ width: 150 }} />
        <TextField select size="small" label={t('network.settings.kind')} value={d.kind} onChange={(e) => set({ kind: e.target.value as Draft['kind'] })} sx={{ minWidth: 220 }}>
          <MenuItem value="dimse">{t('network.settings.dimse')}</MenuItem>
          <MenuItem value="dicomweb">{t('network.settings.dicomweb')}</MenuItem>
        </TextField>
      </Stack>
      {d.kind === 'dimse' ? (
        <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap' }}>
          <TextField size="small" label={t('network.settings.aeTitle')} value={d.aeTitle} onChange={(e) => set({ aeTitle: e.target.value })} sx={{ width: 150 }} />
          <TextField size="small" label={t('network.settings.host')} value={d.host} onChange={(e) => set({ host: e.target.value })} sx={{ width: 170 }} />
          <TextField size="small" label={t('network.settings.port')} value={d.port} onChange={(e) => set({ port: e.target.value })} sx={{ width: 90 }} />
          <TextField select size="small" label={t('network.settings.retrieveMethod')} value={d.retrieveMethod} onChange={(e) => set({ retrieveMethod: e.target.value as Draft['retrieveMethod'] })} sx={{ minWidth: 200 }}>
            <MenuItem value="move">{t('network.settings.move')}</MenuItem>
            <MenuItem value="get">{t('network.settings.get')}</MenuItem>
          </TextField>
        </Stack>
      ) : (
        <TextField size="small" label={t('network.settings.url')} value={d.url} placeholder="https://pacs.example/dicom-web" onChange={(e) => set({ url: e.target.value })} />
      )}
      <Stack direction="row" sx={{ gap: 1 }}>
        <Button variant="contained" onClick={() => onSave(d)}>
          {t('common.save')}
        </Button>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
      </Stack>
    </Stack>
  );
}
