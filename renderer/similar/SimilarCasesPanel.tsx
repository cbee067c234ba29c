import { Alert, Box, Button, Chip, LinearProgress, List, ListItemButton, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SimilarResult } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';
import { call } from '../app/coreClient.js';
import { useLabel } from '../common/useLabel.js';

/** Images of other patients whose CNN embedding is closest to this one's (`similar:find`), to open for comparison. */
export function SimilarCasesPanel({ instanceId, onOpenStudy }: { instanceId: number; onOpenStudy: (studyId: number) => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const client = useCoreClient();
  const [result, setResult] = useState<SimilarResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setResult(null);
    setError(null);
  }, [instanceId]);

  const find = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await call(client, 'similar:find', { instanceId, k: 8 }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box component="section" aria-label={t('similar.title')} sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      <Stack direction="row" sx={{ alignItems: 'center', gap: 1 }}>
        <Typography variant="h6" sx={{ flex: 1 }}>
          {t('similar.title')}
        </Typography>
        <Chip size="small" color="secondary" label={t('ai.generatedLabel')} />
      </Stack>
      <Typography variant="caption" color="text.secondary">
        {t('similar.help')}
      </Typography>
      <Button variant="outlined" onClick={() => void find()} disabled={busy}>
        {t('similar.find')}
      </Button>
      {busy && <LinearProgress aria-label={t('common.loading')} />}
      {error && <Alert severity="info">{error}</Alert>}
      {result && (
        <>
          <Typography variant="caption" color="text.secondary">
            {t('similar.searched', { indexed: result.indexed, ms: result.searchMs.toFixed(0), method: result.method })}
          </Typography>
          {!result.neighbours.length && <Alert severity="info">{t('similar.none')}</Alert>}
          <List dense disablePadding>
            {result.neighbours.map((n) => (
              <ListItemButton key={n.instanceId} onClick={() => onOpenStudy(n.studyId)} data-testid="similar-case" sx={{ gap: 1, alignItems: 'flex-start' }}>
                <img src={client.resourceUrl(n.thumbnail)} alt="" width={64} height={64} style={{ objectFit: 'contain', background: '#000' }} />
                <Box sx={{ minWidth: 0 }}>
                  <Typography variant="body2">
                    {t('similar.similarity', { percent: Math.round(n.similarity * 100) })} · {n.patientId}
                  </Typography>
                  <Typography variant="caption" color="text.secondary" component="div">
                    {[n.studyDate, n.sex, n.ageYears !== null ? t('viewer.age', { years: n.ageYears }) : null].filter(Boolean).join(' · ')}
                  </Typography>
                  <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.5, mt: 0.5 }}>
                    {n.findings
                      .filter((f) => f.positive)
                      .map((f) => (
                        <Chip key={f.label} size="small" color="warning" label={`${label(f.label)} ${Math.round(f.probability * 100)}%`} />
                      ))}
                    {n.referenceLabels.map((l) => (
                      <Chip key={`r-${l}`} size="small" variant="outlined" label={label(l)} />
                    ))}
                  </Stack>
                  {n.reportText && (
                    <Typography variant="caption" component="div" sx={{ mt: 0.5 }} noWrap title={n.reportText}>
                      {n.reportText}
                    </Typography>
                  )}
                </Box>
              </ListItemButton>
            ))}
          </List>
        </>
      )}
    </Box>
  );
}
