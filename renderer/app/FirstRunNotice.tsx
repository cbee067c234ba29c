import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

const KEY = 'cxr.firstRunNoticeAccepted';

/**
 * Shown until the reader acknowledges it once on this machine: the AI output supports the reader and does not
 * replace the reading.
 */
export function FirstRunNotice({ storage = globalThis.localStorage }: { storage?: Storage }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(() => {
    try {
      return storage?.getItem(KEY) !== '1';
    } catch {
      return true;
    }
  });
  const accept = () => {
    try {
      storage?.setItem(KEY, '1');
    } catch {
      // Private mode or storage disabled: the notice comes back next time, which is acceptable.
    }
    setOpen(false);
  };
  return (
    <Dialog open={open} aria-labelledby="first-run-title">
      <DialogTitle id="first-run-title">{t('notice.title')}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 1 }}>{t('notice.body1')}</DialogContentText>
        <DialogContentText sx={{ mb: 1 }}>{t('notice.body2')}</DialogContentText>
        <DialogContentText>{t('notice.body3')}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={accept}>
          {t('notice.accept')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
