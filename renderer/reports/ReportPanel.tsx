import { Alert, Box, Button, Chip, LinearProgress, Link, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportFormat, ReportExport } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';
import { LANGUAGES } from '../i18n/index.js';
import { call } from '../app/coreClient.js';
import { localDateTime } from '../common/formatTime.js';
import { useCoreQuery } from '../common/useCoreQuery.js';
import { AddendumSection } from './AddendumSection.js';
import { useReportEditor } from './useReportEditor.js';

const FORMATS: ExportFormat[] = ['pdf', 'docx', 'txt', 'fhir', 'sr'];

export interface ReportPanelProps {
  studyId: number;
  instanceId: number;
  /** Earlier studies of the patient shown beside the image: the draft's Comparison section names them. */
  comparisonStudyIds?: number[];
  /** The reader asked (Ctrl+Enter) to save, sign and move on to the next unread study. */
  signRequested?: boolean;
  /** The panel acted on the request (signed, or said why it could not): the request is over. */
  onSignRequestHandled?: () => void;
  /** The report was signed at the reader's keyboard request. */
  onSigned?: () => void;
}

/**
 * The study's report: draft it from the template (filled with study data, the compared priors and the findings the
 * reader accepted), edit its sections (saved as the reader types), sign, add addenda to a signed report, export.
 * Sections filled from AI output say so.
 */
export function ReportPanel({ studyId, instanceId, comparisonStudyIds = [], signRequested = false, onSignRequestHandled, onSigned }: ReportPanelProps) {
  const { t, i18n } = useTranslation();
  const client = useCoreClient();
  const editor = useReportEditor(client);
  const { report, texts } = editor;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Who signs is the core's reader (Settings → Reader); the panel only says who that is.
  const reader = useCoreQuery('reader:get', {}, { refreshOn: ['reader:onDidChange'] });
  const [format, setFormat] = useState<ExportFormat>('pdf');
  const [exported, setExported] = useState<ReportExport | null>(null);
  const language = LANGUAGES.find((l) => l === i18n.language) ?? 'en';

  const run = async (work: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return false;
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
  const { show } = editor;
  useEffect(() => {
    if (opened.data) show(opened.data);
  }, [opened.data, show]);

  /** Saves what is typed, then signs (as the core's reader); `next` moves on to the next unread study. */
  const sign = async (next: boolean) => {
    if (!report) {
      setError(t('report.nothingToSign'));
      return;
    }
    const signed = await run(async () => {
      const saved = await editor.flush();
      if (!saved) throw new Error(editor.saveError ?? t('report.notSaved'));
      editor.show(await call(client, 'reports:setState', { reportId: saved.id, state: 'final' }));
    });
    if (signed && next) onSigned?.();
  };

  // A keyboard request to sign is acted on once the study's report is known (it may still be loading).
  const ready = !loading && (reportId === undefined || report?.id === reportId);
  useEffect(() => {
    if (!signRequested || !ready) return;
    onSignRequestHandled?.();
    void sign(true);
    // The request and readiness decide; `sign` reads the current state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [signRequested, ready]);

  const final = report?.state === 'final';
  const saveLine = {
    saved: t('report.saveStatus.saved'),
    unsaved: t('report.saveStatus.unsaved'),
    saving: t('report.saveStatus.saving'),
    conflict: null,
    error: null,
  }[editor.status];

  return (
    <Box component="section" aria-label={t('report.title')} sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      <Typography variant="h6">{t('report.title')}</Typography>
      {(busy || loading) && <LinearProgress aria-label={t('common.loading')} />}
      {!report && (error ?? loadError) && <Alert severity="error">{error ?? loadError}</Alert>}
      {!report && !busy && !loading && (
        <Button
          variant="contained"
          onClick={() =>
            run(async () => show(await call(client, 'reports:draft', { studyId, instanceId, language, ...(comparisonStudyIds.length ? { comparisonStudyIds } : {}) })))
          }
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
            <Chip size="small" label={t(`report.state.${report.state}`)} color={final ? 'success' : 'default'} />
          </Stack>
          {!final && saveLine && (
            <Typography variant="caption" color="text.secondary" data-testid="report-save-status" aria-live="polite">
              {saveLine}
            </Typography>
          )}
          {editor.status === 'conflict' && (
            <Alert
              severity="warning"
              action={
                <Stack>
                  <Button color="inherit" size="small" onClick={() => void editor.overwrite()}>
                    {t('report.keepMine')}
                  </Button>
                  <Button color="inherit" size="small" onClick={() => void call(client, 'reports:get', { reportId: report.id }).then(show, (e: Error) => setError(e.message))}>
                    {t('report.loadStored')}
                  </Button>
                </Stack>
              }
            >
              {t('report.conflict')}
            </Alert>
          )}
          {editor.status === 'error' && <Alert severity="error">{t('report.saveFailed', { message: editor.saveError ?? '' })}</Alert>}
          {/* The `ai` section of older templates is not the reader's to write: the generated AI section below replaces it. */}
          {report.sections.filter((s) => s.name !== 'ai').map((s) => (
            <Box key={s.name}>
              <TextField
                label={s.title || s.name}
                multiline
                fullWidth
                minRows={2}
                value={texts[s.name] ?? ''}
                onChange={(e) => editor.edit(s.name, e.target.value)}
                slotProps={{ input: { readOnly: final } }}
              />
              {s.aiDerived && <Chip size="small" color="secondary" variant="outlined" sx={{ mt: 0.5 }} label={t('report.aiDerived')} />}
            </Box>
          ))}
          {report.aiFindings.length > 0 && (
            <Typography variant="caption" color="text.secondary">
              {t('report.aiFindings', { count: report.aiFindings.length })}
            </Typography>
          )}
          {/* What the AI did, generated by the core (never editable), exactly as every export prints it. */}
          <Box data-testid="report-ai-section" sx={{ borderLeft: 3, borderColor: 'secondary.main', pl: 1 }}>
            <Typography variant="subtitle2" component="h3">
              {report.aiSection[0]}
            </Typography>
            {report.aiSection.slice(1).map((line, i) => (
              <Typography key={i} variant="caption" component="p" color="text.secondary">
                {line}
              </Typography>
            ))}
          </Box>
          {/* Next to the buttons, so a refused signature ("Impression is empty") is read where the reader clicked. */}
          {error && <Alert severity="error">{error}</Alert>}
          {!final && (
            <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
              <Button variant="contained" disabled={!editor.dirty || busy} onClick={() => void editor.flush()}>
                {t('common.save')}
              </Button>
              {report.state === 'draft' && (
                <Button
                  disabled={busy}
                  onClick={() =>
                    run(async () => {
                      const saved = await editor.flush();
                      if (!saved) throw new Error(editor.saveError ?? t('report.notSaved'));
                      show(await call(client, 'reports:setState', { reportId: saved.id, state: 'preliminary' }));
                    })
                  }
                >
                  {t('report.preliminary')}
                </Button>
              )}
              <Button color="success" disabled={busy} onClick={() => void sign(false)} aria-keyshortcuts="Control+Enter">
                {t('report.sign')}
              </Button>
              <SigningAs name={reader.data?.name} />
            </Stack>
          )}
          {report.signedBy && (
            <Typography variant="caption" data-testid="report-signature">
              {t('report.signed', { name: report.signedBy, at: localDateTime(report.signedAt, i18n.language) })}
            </Typography>
          )}
          {final && (
            <>
              <SigningAs name={reader.data?.name} />
              <AddendumSection report={report} busy={busy} onAdd={(text) => run(async () => show(await call(client, 'reports:addendum', { reportId: report.id, text })))} />
            </>
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
              disabled={busy}
              onClick={() =>
                run(async () => {
                  const saved = await editor.flush();
                  if (!saved) throw new Error(editor.saveError ?? t('report.notSaved'));
                  setExported(await call(client, 'reports:export', { reportId: saved.id, format }));
                })
              }
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

/** "Signing as Dr X", and where that is changed: the core decides who signs, never a field of this panel. */
function SigningAs({ name }: { name: string | undefined }) {
  const { t } = useTranslation();
  if (!name) return null;
  return (
    <Typography variant="caption" color="text.secondary" data-testid="report-signing-as">
      {t('report.signingAs', { name })} {t('report.changeReader')}
    </Typography>
  );
}
