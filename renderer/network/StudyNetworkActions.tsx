import { Alert, Box, Button, Checkbox, FormControlLabel, Menu, MenuItem, Stack } from '@mui/material';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RemoteNode } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';
import { call } from '../app/coreClient.js';

/**
 * The open study's network actions: fetch this patient's earlier studies from the configured nodes, and send the
 * signed report back (DICOM SR, and optionally the AI key image as a Secondary Capture labelled as AI output).
 * Shown only where nodes are configured.
 */
export function StudyNetworkActions({ studyId }: { studyId: number }) {
  const { t } = useTranslation();
  const client = useCoreClient();
  const [nodes, setNodes] = useState<RemoteNode[]>([]);
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [withCapture, setWithCapture] = useState(false);
  const [messages, setMessages] = useState<Array<{ severity: 'success' | 'error' | 'info'; text: string }>>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call(client, 'network:settings', {}).then(
      (s) => setNodes(s.nodes),
      () => setNodes([]),
    );
  }, [client]);
  if (!nodes.length) return null;

  const run = async (fn: () => Promise<Array<{ severity: 'success' | 'error' | 'info'; text: string }>>) => {
    setBusy(true);
    setMessages([]);
    try {
      setMessages(await fn());
    } catch (err) {
      setMessages([{ severity: 'error', text: (err as Error).message }]);
    } finally {
      setBusy(false);
    }
  };

  const fetchPriors = () =>
    run(async () => {
      const r = await call(client, 'network:fetchPriors', { studyId });
      const out: Array<{ severity: 'success' | 'error' | 'info'; text: string }> = [{ severity: 'info', text: t('network.priors.result', { count: r.jobs.length, local: r.alreadyLocal }) }];
      if (r.problems.length) out.push({ severity: 'error', text: t('network.priors.problems', { list: r.problems.map((p) => `${p.node}: ${p.message}`).join('; ') }) });
      return out;
    });

  const send = (node: string) =>
    run(async () => {
      setAnchor(null);
      const r = await call(client, 'network:send', { studyId, node, secondaryCapture: withCapture });
      return r.objects.map((o) => {
        const kind = o.kind === 'sr' ? t('network.send.sr') : t('network.send.capture');
        return o.ok ? { severity: 'success' as const, text: t('network.send.sent', { kind, node: r.node }) } : { severity: 'error' as const, text: t('network.send.failed', { kind, node: r.node, status: o.status }) };
      });
    });

  return (
    <Box>
      <Stack direction="row" sx={{ gap: 1 }}>
        <Button size="small" disabled={busy} onClick={() => void fetchPriors()}>
          {t('network.priors.button')}
        </Button>
        <Button size="small" disabled={busy} onClick={(e) => setAnchor(e.currentTarget)}>
          {t('network.send.button')}
        </Button>
      </Stack>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        <MenuItem disableRipple sx={{ cursor: 'default' }}>
          <FormControlLabel control={<Checkbox size="small" checked={withCapture} onChange={(e) => setWithCapture(e.target.checked)} />} label={t('network.send.withCapture')} />
        </MenuItem>
        {nodes.map((n) => (
          <MenuItem key={n.name} onClick={() => void send(n.name)}>
            {t('network.send.go')} → {n.name}
          </MenuItem>
        ))}
      </Menu>
      {messages.map((m, i) => (
        <Alert key={i} severity={m.severity} sx={{ mt: 0.5 }} onClose={() => setMessages((list) => list.filter((_, j) => j !== i))}>
          {m.text}
        </Alert>
      ))}
    </Box>
  );
}
