import { AppBar, Box, Chip, IconButton, Tab, Tabs, Toolbar, Tooltip, Typography } from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PacsView } from '../network/PacsView.js';
import { SettingsDialog } from '../settings/SettingsDialog.js';
import { ViewerScreen } from '../viewer/ViewerScreen.js';
import { Worklist } from '../worklist/Worklist.js';
import { FirstRunNotice } from './FirstRunNotice.js';
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
          onOpen={(s) => {
            prefetchFromThumbnail(client, s.thumbnail);
            setOpenStudy(s.id);
          }}
        />
      </Box>
      {openStudy === null && view === 'pacs' && (
        <Box sx={{ flex: 1, minHeight: 0, p: 1 }}>
          <PacsView onOpenStudy={setOpenStudy} />
        </Box>
      )}
      {openStudy !== null && (
        <Box sx={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column', overflow: 'hidden' }}>
          <ViewerScreen studyId={openStudy} onBack={() => setOpenStudy(null)} onOpenStudy={setOpenStudy} />
        </Box>
      )}
      <SettingsDialog open={settings} onClose={() => setSettings(false)} />
      <FirstRunNotice />
    </Box>
  );
}
