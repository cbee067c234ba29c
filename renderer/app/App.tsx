import { AppBar, Box, Chip, IconButton, Toolbar, Tooltip, Typography } from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
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
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100vh' }}>
      <AppBar position="static" color="default" elevation={1}>
        <Toolbar variant="dense" sx={{ gap: 1 }}>
          <Typography variant="h6" sx={{ flex: 1 }}>
            {t('app.title')}
          </Typography>
          <Tooltip title={t('ai.supportNotice')}>
            <Chip size="small" color="secondary" variant="outlined" label={t('ai.decisionSupport')} />
          </Tooltip>
          <IconButton aria-label={t('settings.title')} onClick={() => setSettings(true)}>
            ⚙
          </IconButton>
        </Toolbar>
      </AppBar>
      {/* The worklist stays mounted so its filters and scroll position survive a reading. */}
      <Box sx={{ flex: 1, minHeight: 0, p: 1, display: openStudy === null ? 'block' : 'none' }}>
        <Worklist
          onOpen={(s) => {
            prefetchFromThumbnail(client, s.thumbnail);
            setOpenStudy(s.id);
          }}
        />
      </Box>
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
