import { Alert, Box, Button, LinearProgress, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FindResult, RemoteNode } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';
import { call } from '../app/coreClient.js';
import { ReceiverPanel } from './ReceiverPanel.js';
import { useJobs } from './useJobProgress.js';

interface Query {
  patientId: string;
  patientName: string;
  from: string;
  to: string;
  modality: string;
  accessionNumber: string;
}
const EMPTY: Query = { patientId: '', patientName: '', from: '', to: '', modality: '', accessionNumber: '' };

/**
 * The "PACS" view beside the local worklist: query a configured node (study-root C-FIND or QIDO-RS), retrieve a
 * study (a job with progress and cancel), open what is already here, and see what the receiver got.
 */
export function PacsView({ onOpenStudy }: { onOpenStudy: (studyId: number) => void }) {
  const { t } = useTranslation();
  const client = useCoreClient();
  const [nodes, setNodes] = useState<RemoteNode[] | null>(null);
  const [node, setNode] = useState('');
  const [query, setQuery] = useState<Query>(EMPTY);
  const [result, setResult] = useState<FindResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ severity: 'error' | 'success'; text: string } | null>(null);
  const [jobs, track] = useJobs(client);

  useEffect(() => {
    call(client, 'network:settings', {}).then(
      (s) => {
        setNodes(s.nodes);
        setNode((n) => n || s.nodes[0]?.name || '');
      },
      (err: Error) => setMessage({ severity: 'error', text: err.message }),
    );
  }, [client]);

  const search = useCallback(async () => {
    if (!node) return;
    setBusy(true);
    setMessage(null);
    try {
      const input = Object.fromEntries(Object.entries(query).filter(([, v]) => v.trim() !== '')) as Partial<Query>;
      setResult(await call(client, 'network:find', { node, ...input }));
    } catch (err) {
      setMessage({ severity: 'error', text: (err as Error).message });
      setResult(null);
    } finally {
      setBusy(false);
    }
  }, [client, node, query]);

  // A retrieve that finished brings the study into the worklist: search again so the row offers "Open".
  const finished = [...jobs.values()].filter((j) => j.finishedAt).length;
  useEffect(() => {
    if (finished && result) void search();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [finished]);

  const echo = async () => {
    try {
      const r = await call(client, 'network:echo', { node });
      setMessage(r.ok ? { severity: 'success', text: t('network.echoOk', { node: r.node, ms: Math.round(r.milliseconds) }) } : { severity: 'error', text: t('network.echoFailed', { message: r.message }) });
    } catch (err) {
      setMessage({ severity: 'error', text: (err as Error).message });
    }
  };

  const retrieve = async (studyInstanceUid: string) => {
    try {
      track(studyInstanceUid, await call(client, 'network:retrieve', { node, studyInstanceUid }));
    } catch (err) {
      setMessage({ severity: 'error', text: t('network.retrieveFailed', { message: (err as Error).message }) });
    }
  };

  const field = (key: keyof Query, label: string, type = 'text') => (
    <TextField
      size="small"
      label={label}
      type={type}
      value={query[key]}
      onChange={(e) => setQuery((q) => ({ ...q, [key]: e.target.value }))}
      onKeyDown={(e) => e.key === 'Enter' && void search()}
      slotProps={type === 'date' ? { inputLabel: { shrink: true } } : undefined}
      sx={{ minWidth: type === 'date' ? 150 : 130 }}
    />
  );

  if (nodes && !nodes.length) {
    return (
      <Stack spacing={2} sx={{ p: 1 }}>
        <Alert severity="info">{t('network.noNodes')}</Alert>
        <ReceiverPanel />
      </Stack>
    );
  }
  return (
    <Box sx={{ display: 'flex', gap: 2, height: '100%', minHeight: 0 }}>
      <Stack spacing={1} sx={{ flex: 1, minWidth: 0, overflow: 'auto' }}>
        <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
          <TextField select size="small" label={t('network.node')} value={node} onChange={(e) => setNode(e.target.value)} sx={{ minWidth: 160 }}>
            {(nodes ?? []).map((n) => (
              <MenuItem key={n.name} value={n.name}>
                {n.name}
              </MenuItem>
            ))}
          </TextField>
          {field('patientId', t('network.patientId'))}
          {field('patientName', t('network.patientName'))}
          {field('from', t('network.from'), 'date')}
          {field('to', t('network.to'), 'date')}
          {field('modality', t('network.modality'))}
          {field('accessionNumber', t('network.accession'))}
          <Button variant="contained" onClick={() => void search()} disabled={!node || busy}>
            {t('network.search')}
          </Button>
          <Button onClick={() => void echo()} disabled={!node}>
            {t('network.testConnection')}
          </Button>
        </Stack>
        {busy && <LinearProgress aria-label={t('common.loading')} />}
        {message && <Alert severity={message.severity}>{message.text}</Alert>}
        {result && (
          <>
            <Typography variant="body2" aria-live="polite">
              {result.studies.length ? t('network.results', { count: result.studies.length, node: result.node }) : t('network.noResults')}
              {result.truncated ? ` ${t('network.truncated')}` : ''}
            </Typography>
            <Table size="small" aria-label={t('network.tab')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('network.col.date')}</TableCell>
                  <TableCell>{t('network.col.patient')}</TableCell>
                  <TableCell>{t('network.col.patientId')}</TableCell>
                  <TableCell>{t('network.col.modality')}</TableCell>
                  <TableCell>{t('network.col.description')}</TableCell>
                  <TableCell align="right">{t('network.col.images')}</TableCell>
                  <TableCell>{t('network.col.action')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {result.studies.map((s) => {
                  const job = jobs.get(s.studyInstanceUid);
                  const running = job && !job.finishedAt;
                  return (
                    <TableRow key={s.studyInstanceUid} hover>
                      <TableCell>{s.studyDate ?? ''}</TableCell>
                      <TableCell>{s.patientName}</TableCell>
                      <TableCell>{s.patientId}</TableCell>
                      <TableCell>{s.modalities.join(', ')}</TableCell>
                      <TableCell>{s.description}</TableCell>
                      <TableCell align="right">{s.instanceCount ?? ''}</TableCell>
                      <TableCell sx={{ minWidth: 180 }}>
                        {s.localStudyId !== null ? (
                          <Button size="small" onClick={() => onOpenStudy(s.localStudyId!)}>
                            {t('network.open')}
                          </Button>
                        ) : running ? (
                          <Stack direction="row" sx={{ alignItems: 'center', gap: 1 }}>
                            <LinearProgress
                              sx={{ flex: 1 }}
                              variant={job.total ? 'determinate' : 'indeterminate'}
                              value={job.total ? (100 * job.done) / job.total : 0}
                              aria-label={t('network.retrieve')}
                            />
                            <Button size="small" onClick={() => void client.invoke('jobs:cancel', { jobId: job.id })}>
                              {t('common.cancel')}
                            </Button>
                          </Stack>
                        ) : (
                          <>
                            <Button size="small" variant="outlined" onClick={() => void retrieve(s.studyInstanceUid)}>
                              {t('network.retrieve')}
                            </Button>
                            {job && (
                              <Typography variant="caption" sx={{ display: 'block' }}>
                                {t(`jobs.state.${job.state}`, { done: job.done, total: job.total, failed: job.failed })} {job.state === 'failed' ? (job.message ?? '') : ''}
                              </Typography>
                            )}
                          </>
                        )}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </>
        )}
      </Stack>
      <Box sx={{ width: 380, flexShrink: 0, overflow: 'auto' }}>
        <ReceiverPanel />
      </Box>
    </Box>
  );
}
