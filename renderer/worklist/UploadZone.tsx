import { Alert, Box, Button, LinearProgress, List, ListItem, ListItemText, Stack, Typography } from '@mui/material';
import { useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { droppedItems, pickedItems, uploadFiles, type UploadItem, type UploadProgress, type UploadResult } from './uploadFiles.js';

const MB = 1024 * 1024;

/**
 * Browser mode's way in for files on the reader's computer: drop files or folders here, or pick them; they are sent
 * to the workstation (with progress) into a fresh folder under its data folder, which is then imported like any
 * other. `onUploaded` gets that folder.
 */
export function UploadZone({ onUploaded, disabled }: { onUploaded: (folder: string) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const [over, setOver] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [result, setResult] = useState<UploadResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const busy = progress !== null && result === null && error === null;

  const send = async (items: UploadItem[]) => {
    if (!items.length || busy) return;
    setResult(null);
    setError(null);
    setProgress({ filesDone: 0, files: items.length, bytesSent: 0, bytes: items.reduce((n, i) => n + i.file.size, 0) });
    try {
      const r = await uploadFiles(items, setProgress);
      setResult(r);
      if (r.uploaded > 0) onUploaded(r.batch.folder);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void droppedItems(e.dataTransfer).then(send);
  };

  return (
    <Box
      data-testid="upload-zone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      sx={{ border: 2, borderStyle: 'dashed', borderColor: over ? 'primary.main' : 'divider', borderRadius: 1, p: 1.5, bgcolor: over ? 'action.hover' : 'transparent' }}
    >
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="body2" sx={{ flex: 1, minWidth: 200 }}>
          {t('upload.drop')}
        </Typography>
        <Button size="small" variant="outlined" disabled={disabled || busy} onClick={() => files.current?.click()}>
          {t('upload.pickFiles')}
        </Button>
        <Button size="small" variant="outlined" disabled={disabled || busy} onClick={() => folder.current?.click()}>
          {t('upload.pickFolder')}
        </Button>
        <input
          ref={files}
          type="file"
          multiple
          hidden
          data-testid="upload-files-input"
          onChange={(e) => {
            void send(pickedItems(e.target.files));
            e.target.value = '';
          }}
        />
        <input
          ref={(el) => {
            folder.current = el;
            // Not in React's typings: the folder picker attribute.
            el?.setAttribute('webkitdirectory', '');
          }}
          type="file"
          hidden
          data-testid="upload-folder-input"
          onChange={(e) => {
            void send(pickedItems(e.target.files));
            e.target.value = '';
          }}
        />
      </Stack>
      {progress && (
        <Box aria-live="polite" sx={{ mt: 1 }}>
          {busy && (
            <LinearProgress
              variant="determinate"
              value={progress.bytes ? (progress.bytesSent / progress.bytes) * 100 : 0}
              aria-label={t('upload.progress')}
            />
          )}
          <Typography variant="caption" data-testid="upload-status">
            {busy
              ? t('upload.sending', { done: progress.filesDone, files: progress.files, sent: (progress.bytesSent / MB).toFixed(1), total: (progress.bytes / MB).toFixed(1) })
              : result
                ? t('upload.sent', { count: result.uploaded, failed: result.failures.length })
                : ''}
          </Typography>
        </Box>
      )}
      {result && result.failures.length > 0 && (
        <List dense disablePadding data-testid="upload-failures">
          {result.failures.map((f) => (
            <ListItem key={f.path} disableGutters sx={{ py: 0 }}>
              <ListItemText primary={f.reason} secondary={f.path} slotProps={{ primary: { variant: 'body2' }, secondary: { variant: 'caption' } }} />
            </ListItem>
          ))}
        </List>
      )}
      {error && <Alert severity="error">{t('upload.failed', { message: error })}</Alert>}
    </Box>
  );
}
