import { Alert, Box, Button, Chip, Divider, LinearProgress, Stack, Tab, Tabs, Typography } from '@mui/material';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instance, StudyDetail } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';
import { useCoreQuery } from '../common/useCoreQuery.js';
import { defaultOverlays, emptyOverlays, hasOverlay, takesDecision, toggleAiOverlays, type OverlayState } from '../findings/findingView.js';
import { FindingsPanel } from '../findings/FindingsPanel.js';
import { FindingOverlay, findingOverlayLabels } from '../findings/FindingOverlay.js';
import { useLabel } from '../common/useLabel.js';
import { useFindings } from '../findings/useFindings.js';
import { ImagePane, type PaneCommand } from './ImagePane.js';
import { ReportPanel } from '../reports/ReportPanel.js';
import { PriorTrendPanel } from '../similar/PriorTrendPanel.js';
import { StudyNetworkActions } from '../network/StudyNetworkActions.js';
import { SimilarCasesPanel } from '../similar/SimilarCasesPanel.js';
import { usePriors } from './usePriors.js';
import type { ViewerTool } from './ViewerCanvas.js';
import { ViewerToolbar } from './ViewerToolbar.js';
import { initialGeometry, rotate, type ViewGeometry } from './viewTransform.js';
import type { ShortcutAction } from './shortcuts.js';
import { ShortcutSheet } from './ShortcutSheet.js';
import { TagViewer } from './TagViewer.js';
import { useShortcuts } from './useShortcuts.js';
import type { RelativeWindow } from './windowLink.js';
import type { WindowPreset } from './windowPresets.js';

export interface ViewerScreenProps {
  studyId: number;
  onBack: () => void;
  /** Opens another study (a similar case) in the viewer. */
  onOpenStudy?: (studyId: number) => void;
  /** The next (+1) or previous (−1) study in the worklist's order. */
  onNavigateStudy?: (step: 1 | -1) => void;
  /** The report was signed from the keyboard: open the next unread study. */
  onSignedOpenNext?: () => void;
}

type SideTab = 'findings' | 'trend' | 'similar' | 'report';

function instancesOf(study: StudyDetail): Instance[] {
  return study.series.flatMap((s) => s.instances);
}

/** Reading screen: the image (and optionally a prior beside it), the toolbar, and the AI findings. */
export function ViewerScreen({ studyId, onBack, onOpenStudy, onNavigateStudy, onSignedOpenNext }: ViewerScreenProps) {
  const { t } = useTranslation();
  const client = useCoreClient();
  const studyQuery = useCoreQuery('studies:get', { studyId });
  const study = studyQuery.data ?? null;
  const error = studyQuery.error?.message ?? null;
  const [index, setIndex] = useState(0);
  const [geometry, setGeometry] = useState<ViewGeometry>(initialGeometry);
  const [priorGeometry, setPriorGeometry] = useState<ViewGeometry>(initialGeometry);
  const [tool, setTool] = useState<ViewerTool>('windowLevel');
  const [invert, setInvert] = useState(false);
  const [showText, setShowText] = useState(true);
  const [command, setCommand] = useState<PaneCommand | null>(null);
  const [showPrior, setShowPrior] = useState(false);
  const [linked, setLinked] = useState(true);
  const [overlays, setOverlays] = useState<OverlayState>(emptyOverlays);
  const [tab, setTab] = useState<SideTab>('findings');
  const [sheet, setSheet] = useState(false);
  const [tagsOpen, setTagsOpen] = useState(false);
  // The study whose report the reader asked to sign from the keyboard; cleared by the panel once it acted on it.
  const [signRequestFor, setSignRequestFor] = useState<number | null>(null);
  // The report panel mounts the first time its tab is opened for a study (opening a report is audited as a view).
  const [reportOpenedFor, setReportOpenedFor] = useState<number | null>(null);
  const reportOpened = reportOpenedFor === studyId;
  useEffect(() => {
    if (tab === 'report') setReportOpenedFor(studyId);
  }, [tab, studyId]);
  const sideRef = useRef<HTMLDivElement>(null);

  // Another study: the reader starts from its first image, fitted, without the previous study's overlays.
  useEffect(() => {
    setIndex(0);
    setGeometry(initialGeometry);
    setOverlays(emptyOverlays);
  }, [studyId]);

  const priors = usePriors(study);
  // The prior compared with: the reader's choice, else the latest.
  const [priorChoice, setPriorChoice] = useState<{ studyId: number; prior: number } | null>(null);
  const priorId = (priorChoice?.studyId === studyId && priors.some((p) => p.studyId === priorChoice.prior) ? priorChoice.prior : undefined) ?? priors[0]?.studyId;
  const prior = useCoreQuery('studies:get', showPrior && priorId !== undefined ? { studyId: priorId } : null).data ?? null;
  // Optional window/level link between current and prior (relative to each image's own default window).
  const [windowLinked, setWindowLinked] = useState(false);
  const [linkedWindow, setLinkedWindow] = useState<RelativeWindow | null>(null);

  const instances = useMemo(() => (study ? instancesOf(study) : []), [study]);
  const instance = instances[index] ?? null;
  const findings = useFindings(client, instance?.id ?? null);
  const labelName = useLabel();
  // A new analysis starts with the outlines of its called findings on the image, and nothing else.
  const analysisId = findings.result?.analysisId ?? null;
  useEffect(() => {
    setOverlays((o) => defaultOverlays(findings.findings, o));
    // Only when another analysis is shown: a review must not undo the reader's overlay choices.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [analysisId]);
  /** Hides or shows every AI overlay at once: the toolbar's button, and what a keyboard shortcut binds to. */
  const toggleAi = () => setOverlays(toggleAiOverlays);
  const send = (c: Omit<PaneCommand, 'seq'>) => setCommand((prev) => ({ ...c, seq: (prev?.seq ?? 0) + 1 }));

  // Linked: one geometry drives both panes; unlinked: the prior keeps its own.
  const setMain = (g: ViewGeometry) => setGeometry(g);
  const priorGeom = linked ? geometry : priorGeometry;
  const setPriorGeom = linked ? setGeometry : setPriorGeometry;
  const both = (f: (g: ViewGeometry) => ViewGeometry) => {
    setGeometry(f);
    if (!linked) setPriorGeometry(f);
  };
  const reset = () => {
    setGeometry(initialGeometry);
    setPriorGeometry(initialGeometry);
    setInvert(false);
    setLinkedWindow(null);
    send({ reset: true });
  };

  /** Moves keyboard focus to the next (+1) or previous (−1) finding of the list, on the findings tab. */
  const focusFinding = (step: 1 | -1) => {
    setTab('findings');
    // The tab may render in this frame: look for the list after it.
    requestAnimationFrame(() => {
      const items = [...(sideRef.current?.querySelectorAll<HTMLElement>('[data-finding-label]') ?? [])];
      if (!items.length) return;
      const at = items.findIndex((el) => el === document.activeElement || el.contains(document.activeElement));
      const next = at < 0 ? (step > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, at + step));
      items[next]!.focus();
      items[next]!.scrollIntoView?.({ block: 'nearest' });
    });
  };
  /** The finding whose list item has keyboard focus (accept/reject act on it), or null. */
  const focusedFinding = () => {
    const label = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-finding-label]')?.dataset.findingLabel;
    return findings.findings.find((f) => f.label === label) ?? null;
  };

  useShortcuts((action) => {
    const presets: Partial<Record<ShortcutAction, WindowPreset>> = {
      presetDefault: 'default',
      presetAuto: 'auto',
      presetFull: 'full',
      presetHigh: 'highContrast',
      presetLow: 'lowContrast',
    };
    const tools: Partial<Record<ShortcutAction, ViewerTool>> = {
      toolWindow: 'windowLevel',
      toolPan: 'pan',
      toolZoom: 'zoom',
      toolRuler: 'ruler',
      toolAngle: 'angle',
      toolEllipse: 'ellipse',
      toolCtr: 'ctr',
    };
    if (presets[action]) return send({ preset: presets[action] });
    if (tools[action]) return setTool(tools[action]);
    switch (action) {
      case 'invert':
        return setInvert((v) => !v);
      case 'zoomIn':
        return both((g) => ({ ...g, zoom: g.zoom * 1.25 }));
      case 'zoomOut':
        return both((g) => ({ ...g, zoom: g.zoom * 0.8 }));
      case 'fit':
        return both((g) => ({ ...g, zoom: 1, panX: 0, panY: 0 }));
      case 'rotateRight':
        return both((g) => rotate(g, 1));
      case 'rotateLeft':
        return both((g) => rotate(g, -1));
      case 'flipH':
        return both((g) => ({ ...g, flipH: !g.flipH }));
      case 'flipV':
        return both((g) => ({ ...g, flipV: !g.flipV }));
      case 'reset':
        return reset();
      case 'togglePatientText':
        return setShowText((v) => !v);
      case 'nextImage':
        return setIndex((i) => Math.min(i + 1, Math.max(instances.length - 1, 0)));
      case 'previousImage':
        return setIndex((i) => Math.max(i - 1, 0));
      case 'nextStudy':
        return onNavigateStudy?.(1);
      case 'previousStudy':
        return onNavigateStudy?.(-1);
      case 'togglePrior':
        // Also before the priors are known: the prior shows as soon as it is (nothing when there is none).
        return setShowPrior((v) => !v);
      case 'toggleAiOverlays':
        return toggleAi();
      case 'nextFinding':
        return focusFinding(1);
      case 'previousFinding':
        return focusFinding(-1);
      case 'acceptFinding':
      case 'rejectFinding': {
        const f = focusedFinding();
        // As the buttons: a label without a validated operating point, or a signed image, takes no decision.
        if (f && takesDecision(f, findings.result?.signed)) {
          findings.review(f, action === 'acceptFinding' ? 'accepted' : 'rejected');
          // The reader's place stays on the finding decided, whatever the re-render did with the focus.
          requestAnimationFrame(() => sideRef.current?.querySelector<HTMLElement>(`[data-finding-label="${CSS.escape(f.label)}"]`)?.focus());
        }
        return;
      }
      case 'signAndNext':
        setTab('report');
        return setSignRequestFor(studyId);
      case 'backToWorklist':
        return onBack();
      case 'showShortcuts':
        return setSheet(true);
      case 'showTags':
        return setTagsOpen(true);
    }
  });

  if (error) {
    return (
      <Box sx={{ p: 2 }}>
        <Button onClick={onBack}>{t('viewer.back')}</Button>
        <Alert severity="error">{error}</Alert>
      </Box>
    );
  }
  if (!study) return <LinearProgress aria-label={t('common.loading')} />;

  const shownOverlays = findings.findings.filter((f) => hasOverlay(overlays, f.id));
  const priorInstance = prior ? instancesOf(prior)[0] : undefined;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <Stack direction="row" sx={{ alignItems: 'center', gap: 1, px: 1 }}>
        <Button onClick={onBack} aria-label={t('viewer.back')}>
          ← {t('viewer.back')}
        </Button>
        <Typography variant="subtitle1" sx={{ flex: 1 }} noWrap>
          {[study.patientName, study.patientId, study.date, study.description].filter(Boolean).join(' · ')}
        </Typography>
        <StudyNetworkActions studyId={study.id} />
        {instances.length > 1 &&
          instances.map((inst, i) => (
            <Chip
              key={inst.id}
              size="small"
              label={inst.viewPosition || t('viewer.image', { n: i + 1 })}
              color={i === index ? 'primary' : 'default'}
              onClick={() => setIndex(i)}
            />
          ))}
      </Stack>
      {/* Under one patient ID the files disagree about who the patient is: said, never merged silently. */}
      {study.identityConflicts.length > 0 && (
        <Alert severity="warning" data-testid="identity-conflicts" sx={{ mx: 1, py: 0 }}>
          {t('viewer.identityConflicts', { id: study.patientId })}{' '}
          {study.identityConflicts
            .map((c) => t('viewer.identityConflict', { field: t(`viewer.identityField.${c.field}`), stored: c.stored, incoming: c.incoming, file: c.sourcePath }))
            .join('; ')}
        </Alert>
      )}
      <ViewerToolbar
        tool={tool}
        onTool={setTool}
        onPreset={(preset) => send({ preset })}
        onFit={() => both((g) => ({ ...g, zoom: 1, panX: 0, panY: 0 }))}
        onZoom={(f) => both((g) => ({ ...g, zoom: g.zoom * f }))}
        onRotate={(q) => both((g) => rotate(g, q))}
        onFlipH={() => both((g) => ({ ...g, flipH: !g.flipH }))}
        onFlipV={() => both((g) => ({ ...g, flipV: !g.flipV }))}
        invert={invert}
        onInvert={() => setInvert((v) => !v)}
        onReset={reset}
        onShortcuts={() => setSheet(true)}
        onTags={instance ? () => setTagsOpen(true) : undefined}
        onClearMeasurements={() => send({ clearMeasurements: true })}
        showText={showText}
        onShowText={() => setShowText((v) => !v)}
        aiOverlays={findings.findings.length ? { shown: overlays.visible, onToggle: toggleAi } : null}
        prior={
          priors.length
            ? {
                shown: showPrior,
                linked,
                onToggle: () => setShowPrior((v) => !v),
                onLink: () => {
                  // Unlinking leaves the prior where it is shown now instead of jumping back to its old view.
                  if (linked) setPriorGeometry(geometry);
                  setLinked((v) => !v);
                },
                windowLinked,
                onWindowLink: () => {
                  setLinkedWindow(null);
                  setWindowLinked((v) => !v);
                },
                choices: priors.map((p) => ({ studyId: p.studyId, date: p.date })),
                chosen: priorId ?? null,
                onChoose: (id: number) => setPriorChoice({ studyId, prior: id }),
              }
            : null
        }
      />
      <Box sx={{ display: 'flex', flex: 1, minHeight: 0, gap: 1 }}>
        <Box sx={{ display: 'flex', flex: 1, minWidth: 0, gap: '2px' }}>
          {instance ? (
            <ImagePane
              label={t('viewer.current')}
              study={study}
              instance={instance}
              geometry={geometry}
              onGeometryChange={setMain}
              invert={invert}
              tool={tool}
              showText={showText}
              command={command}
              note={shownOverlays.length ? t('ai.overlayShown') : findings.findings.length && !overlays.visible ? t('ai.overlayHidden') : null}
              banner={showPrior && prior ? { kind: 'current', date: study.date } : null}
              linkedWindow={showPrior && prior && windowLinked ? linkedWindow : null}
              onLinkedWindowChange={showPrior && prior && windowLinked ? setLinkedWindow : undefined}
              imageOverlay={
                shownOverlays.length ? (
                  <FindingOverlay client={client} findings={findings.findings} overlays={overlays} width={instance.columns} height={instance.rows} />
                ) : undefined
              }
              overlayLabels={findingOverlayLabels(findings.findings, overlays, (f) => t('findings.overlayLabel', { label: labelName(f.label) }))}
            />
          ) : (
            <Alert severity="warning">{t('viewer.noImages')}</Alert>
          )}
          {showPrior && prior && priorInstance && (
            <ImagePane
              label={t('viewer.priorOf', { date: prior.date ?? '' })}
              study={prior}
              instance={priorInstance}
              geometry={priorGeom}
              onGeometryChange={setPriorGeom}
              invert={invert}
              tool={tool}
              showText={showText}
              command={command}
              note={t('viewer.priorOf', { date: prior.date ?? '' })}
              banner={{ kind: 'prior', date: prior.date }}
              linkedWindow={windowLinked ? linkedWindow : null}
            />
          )}
        </Box>
        <Divider orientation="vertical" flexItem />
        <Box ref={sideRef} sx={{ width: 380, flexShrink: 0, overflow: 'auto', p: 1, display: 'flex', flexDirection: 'column', gap: 2 }}>
          <Tabs value={tab} onChange={(_, v: SideTab) => setTab(v)} variant="fullWidth" sx={{ minHeight: 36, flexShrink: 0 }}>
            <Tab value="findings" label={t('findings.title')} sx={{ minHeight: 36, px: 0.5 }} />
            <Tab value="trend" label={t('trend.tab')} sx={{ minHeight: 36, px: 0.5 }} />
            <Tab value="similar" label={t('similar.tab')} sx={{ minHeight: 36, px: 0.5 }} />
            <Tab value="report" label={t('report.title')} sx={{ minHeight: 36, px: 0.5 }} />
          </Tabs>
          {tab === 'findings' && (
          <FindingsPanel
            findings={findings.findings}
            state={findings.state}
            overlays={overlays}
            onOverlaysChange={setOverlays}
            onReview={findings.review}
            onAnalyse={findings.analyse}
            modelLabel={findings.modelLabel}
            reference={instance?.referenceFindings}
            analysing={findings.analysing}
            quality={
              findings.result
                ? {
                    flags: findings.result.quality.flags,
                    withheld: findings.result.status === 'withheld' ? findings.result.withheld.reason : null,
                    override: findings.result.status === 'shown' ? findings.result.override : null,
                  }
                : undefined
            }
            onOverrideGate={findings.overrideGate}
            signed={findings.result?.signed ?? null}
            summary={
              findings.result && findings.result.status === 'shown'
                ? {
                    lines: [findings.result.text.header, ...findings.result.text.sentences.map((x) => x.text)].filter(Boolean),
                    disclaimer: findings.result.disclaimer,
                    details: { title: findings.result.text.details.title, lines: findings.result.text.details.lines.map((x) => x.text) },
                  }
                : undefined
            }
          />
          )}
          {tab === 'trend' && <PriorTrendPanel studyId={study.id} />}
          {tab === 'similar' && instance && <SimilarCasesPanel instanceId={instance.id} onOpenStudy={(id) => onOpenStudy?.(id)} />}
          {/* Once opened, the report stays mounted (hidden on other tabs): a tab switch never drops what is typed. */}
          {reportOpened && instance && (
            <Box sx={{ display: tab === 'report' ? 'block' : 'none' }}>
              <ReportPanel
                key={study.id}
                studyId={study.id}
                instanceId={instance.id}
                comparisonStudyIds={showPrior && prior ? [prior.id] : []}
                signRequested={signRequestFor === study.id}
                onSignRequestHandled={() => setSignRequestFor(null)}
                onSigned={onSignedOpenNext}
              />
            </Box>
          )}
        </Box>
      </Box>
      <ShortcutSheet open={sheet} onClose={() => setSheet(false)} />
      {instance && <TagViewer instanceId={instance.id} open={tagsOpen} onClose={() => setTagsOpen(false)} />}
    </Box>
  );
}
