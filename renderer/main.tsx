import { CssBaseline, ThemeProvider, createTheme } from '@mui/material';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app/App.js';
import { CoreClientProvider } from './app/CoreClientContext.js';
import { createI18n } from './i18n/index.js';
import { createTransport } from './transport/index.js';

// Reading rooms are dark: a dark theme keeps the screen from outshining the image.
// Keyboard-first reading: wherever focus is, it shows (MUI's own focus styles are too faint on some controls).
const theme = createTheme({
  palette: { mode: 'dark' },
  components: {
    MuiCssBaseline: { styleOverrides: { ':focus-visible': { outline: '2px solid #90caf9', outlineOffset: 2 } } },
  },
});

const root = createRoot(document.getElementById('root')!);
const i18n = createI18n();
document.documentElement.lang = i18n.language;
try {
  const client = createTransport();
  root.render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <ThemeProvider theme={theme}>
          <CssBaseline />
          <CoreClientProvider client={client}>
            <App />
          </CoreClientProvider>
        </ThemeProvider>
      </I18nextProvider>
    </StrictMode>,
  );
} catch (err) {
  // No transport (e.g. a browser page without its token): say why instead of a blank page.
  const p = document.createElement('p');
  p.style.cssText = 'font: 16px sans-serif; padding: 2em; color: #b00';
  p.textContent = err instanceof Error ? err.message : String(err);
  document.body.replaceChildren(p);
}
