import { Alert, Box, Button, Chip, LinearProgress, Link, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportFormat, Report, ReportExport } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';
import { LANGUAGES } from '../i18n/index.js';
import { call } from '../app/coreClient.js';
import { useCoreQuery } from '../common/useCoreQuery.js';

const FORMATS: ExportFormat[] = ['pdf', 'docx', 'txt', 'fhir', 'sr'];

/**
 * The study's report: draft it from the template (filled with study data and the findings the reader accepted),
 * edit its sections, save, sign, export. Sections filled from AI output say so.
 */
export function ReportPanel({ studyId, instanceId }: { studyId: number; instanceId: number }) {
  const { t, i18n } = useTranslation();
  const client = useCoreClient();
  const [report, setReport] = useState<Report | null>(null);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [signer, setSigner] = useState('');
  const [format, setFormat] = useState<ExportFormat>('pdf');
  const [exported, setExported] = useState<ReportExport | null>(null);
  const language = LANGUAGES.find((l) => l === i18n.language) ?? 'en';

  const show = (r: Report) => {
    setReport(r);
    setTexts(Object.fromEntries(r.sections.map((s) => [s.name, s.text])));
  };
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  // The study's latest report, if any: found, then opened (the opening is audited as a view).
  const found = useCoreQuery('reports:search', { studyId, text: '', limit: 1 });
  const reportId = found.data?.[0]?.id;
  const opened = useCoreQuery('reports:get', reportId === undefined ? null : { reportId });
  const loadError = found.error?.message ?? opened.error?.message ?? null;
  const loading = found.status === 'loading' || opened.status === 'loading';
  useEffect(() => {
    setReport(null);
    setExported(null);
  }, [studyId]);
  useEffect(() => {
    if (opened.data) show(opened.data);
  }, [opened.data]);

  const dirty = report ? report.sections.some((s) => texts[s.name] !== s.text) : false;
  const save = () =>
    run(async () => {
      if (!report) return;
      const sections = report.sections.filter((s) => texts[s.name] !== s.text).map((s) => ({ name: s.name, text: texts[s.name] ?? '' }));
      show(await call(client, 'reports:save', { reportId: report.id, sections, expectedUpdatedAt: report.updatedAt }));
    });

  return (
    <Box component="section" aria-label={t('report.title')} sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      <Typography variant="h6">{t('report.title')}</Typography>
      {(busy || loading) && <LinearProgress aria-label={t('common.loading')} />}
      {(error ?? loadError) && <Alert severity="error">{error ?? loadError}</Alert>}
      {!report && !busy && !loading && (
        <Button
          variant="contained"
          onClick={() => run(async () => show(await call(client, 'reports:draft', { studyId, instanceId, language })))}
        >
          {t('report.draft')}
        </Button>
      )}
      {report && (
        <Stack spacing={1} data-testid="report-draft">
          <Stack direction="row" sx={{ alignItems: 'center', gap: 1 }}>
            <Typography variant="subtitle1" sx={{ flex: 1 }}>
              {report.title}
            </Typography>
            <Chip size="small" label={t(`report.state.${report.state}`)} color={report.state === 'final' ? 'success' : 'default'} />
          </Stack>
          {report.sections.map((s) => (
            <Box key={s.name}>
              <TextField
                label={s.title || s.name}
                multiline
                fullWidth
                minRows={2}
                value={texts[s.name] ?? ''}
                onChange={(e) => setTexts((x) => ({ ...x, [s.name]: e.target.value }))}
                slotProps={{ input: { readOnly: report.state === 'final' } }}
              />
              {s.aiDerived && <Chip size="small" color="secondary" variant="outlined" sx={{ mt: 0.5 }} label={t('report.aiDerived')} />}
            </Box>
          ))}
          {report.aiFindings.length > 0 && (
            <Typography variant="caption" color="text.secondary">
              {t('report.aiFindings', { count: report.aiFindings.length })}
            </Typography>
          )}
          {report.state !== 'final' && (
            <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
              <Button variant="contained" disabled={!dirty || busy} onClick={() => void save()}>
                {t('common.save')}
              </Button>
              {report.state === 'draft' && (
                <Button
                  disabled={busy || dirty}
                  onClick={() => run(async () => show(await call(client, 'reports:setState', { reportId: report.id, state: 'preliminary' })))}
                >
                  {t('report.preliminary')}
                </Button>
              )}
              <TextField size="small" label={t('report.signedBy')} value={signer} onChange={(e) => setSigner(e.target.value)} />
              <Button
                color="success"
                disabled={busy || dirty || !signer.trim()}
                onClick={() =>
                  run(async () => show(await call(client, 'reports:setState', { reportId: report.id, state: 'final', signedBy: signer.trim(), author: signer.trim() })))
                }
              >
                {t('report.sign')}
              </Button>
            </Stack>
          )}
          {report.signedBy && (
            <Typography variant="caption">{t('report.signed', { name: report.signedBy, at: report.signedAt ?? '' })}</Typography>
          )}
          <Stack direction="row" sx={{ gap: 1, alignItems: 'center' }}>
            <TextField select size="small" label={t('report.format')} value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
              {FORMATS.map((f) => (
                <MenuItem key={f} value={f}>
                  {t(`report.formats.${f}`)}
                </MenuItem>
              ))}
            </TextField>
            <Button
              disabled={busy || dirty}
              onClick={() => run(async () => setExported(await call(client, 'reports:export', { reportId: report.id, format })))}
            >
              {t('report.export')}
            </Button>
          </Stack>
          {exported && (
            <Link href={client.resourceUrl(exported.path)} download={exported.fileName}>
              {t('report.download', { file: exported.fileName })}
            </Link>
          )}
        </Stack>
      )}
    </Box>
  );
}
