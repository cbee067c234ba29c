import { AppBar, Box, Chip, IconButton, Tab, Tabs, Toolbar, Tooltip, Typography } from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import type { StudySummary, WorklistQuery } from '../../main/api/index.js';
import { useTranslation } from 'react-i18next';
import { PacsView } from '../network/PacsView.js';
import { SettingsDialog } from '../settings/SettingsDialog.js';
import { ViewerScreen } from '../viewer/ViewerScreen.js';
import { Worklist } from '../worklist/Worklist.js';
import { FirstRunNotice } from './FirstRunNotice.js';
import { sessionEnded } from './sessionCheck.js';
import { SessionEnded } from './SessionEnded.js';
import { useCoreClient } from './CoreClientContext.js';
import { prefetchFromThumbnail } from '../viewer/usePixels.js';

/** The application: worklist, reading screen, settings, and the first-run notice. */
export function App() {
  const { t } = useTranslation();
  const client = useCoreClient();
  const [openStudy, setOpenStudy] = useState<number | null>(null);
  const [settings, setSettings] = useState(false);
  const [view, setView] = useState<'worklist' | 'pacs'>('worklist');
  const showView = (v: 'worklist' | 'pacs') => {
    setView(v);
    setOpenStudy(null);
  };
  // A wrong or stale token shows what to do, not an empty worklist; checked at start and when the page comes back.
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    const check = () => void sessionEnded().then((e) => e && setEnded(true));
    check();
    const onVisible = () => document.visibilityState === 'visible' && check();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [client]);
  // The worklist as the reader sees it (order, filters): the viewer moves through it with the keyboard.
  const list = useRef<{ items: StudySummary[]; query: WorklistQuery } | null>(null);
  const open = (s: StudySummary) => {
    prefetchFromThumbnail(client, s.thumbnail);
    setOpenStudy(s.id);
  };
  // The worklist hides while a study is read: focus must not stay in its (hidden) search box, where every key
  // would be typed text instead of a reading shortcut.
  useEffect(() => {
    if (openStudy === null) return;
    const active = document.activeElement as HTMLElement | null;
    if (active && active !== document.body && active.offsetParent === null) active.blur();
  }, [openStudy]);
  const navigate = (step: 1 | -1) => {
    const items = list.current?.items ?? [];
    const at = items.findIndex((s) => s.id === openStudy);
    const next = at >= 0 ? items[at + step] : undefined;
    if (next) open(next);
  };
  // After signing: the next unread study in the worklist's order and filters; back to the worklist when none is left.
  const openNextUnread = async () => {
    const query = { ...(list.current?.query ?? {}), status: 'unread' as const, offset: 0, limit: 50 };
    const r = await client.invoke('studies:list', query);
    const next = r.ok ? r.value.items.find((s) => s.id !== openStudy) : undefined;
    if (next) open(next);
    else setOpenStudy(null);
  };
  if (ended) return <SessionEnded />;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100vh' }}>
      <AppBar position="static" color="default" elevation={1}>
        <Toolbar variant="dense" sx={{ gap: 1 }}>
          <Typography variant="h6">{t('app.title')}</Typography>
          <Tabs value={view} onChange={(_, v: 'worklist' | 'pacs') => showView(v)} sx={{ flex: 1, minHeight: 40 }}>
            <Tab value="worklist" label={t('network.worklistTab')} sx={{ minHeight: 40 }} />
            <Tab value="pacs" label={t('network.tab')} sx={{ minHeight: 40 }} />
          </Tabs>
          <Tooltip title={t('ai.supportNotice')}>
            <Chip size="small" color="secondary" variant="outlined" label={t('ai.decisionSupport')} />
          </Tooltip>
          <IconButton aria-label={t('settings.title')} onClick={() => setSettings(true)}>
            ⚙
          </IconButton>
        </Toolbar>
      </AppBar>
      {/* The worklist stays mounted so its filters and scroll position survive a reading. */}
      <Box sx={{ flex: 1, minHeight: 0, p: 1, display: openStudy === null && view === 'worklist' ? 'block' : 'none' }}>
        <Worklist
          onOpen={open}
          activeStudyId={openStudy}
          visible={openStudy === null && view === 'worklist'}
          onListChange={(items, query) => (list.current = { items, query })}
        />
      </Box>
      {openStudy === null && view === 'pacs' && (
        <Box sx={{ flex: 1, minHeight: 0, p: 1 }}>
          <PacsView onOpenStudy={setOpenStudy} />
        </Box>
      )}
      {openStudy !== null && (
        <Box sx={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column', overflow: 'hidden' }}>
          <ViewerScreen
            studyId={openStudy}
            onBack={() => setOpenStudy(null)}
            onOpenStudy={setOpenStudy}
            onNavigateStudy={navigate}
            onSignedOpenNext={() => void openNextUnread()}
          />
        </Box>
      )}
      <SettingsDialog open={settings} onClose={() => setSettings(false)} />
      <FirstRunNotice />
    </Box>
  );
}
