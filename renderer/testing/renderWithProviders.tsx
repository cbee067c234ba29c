import { CssBaseline, ThemeProvider, createTheme } from '@mui/material';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import { CoreClientProvider } from '../app/CoreClientContext.js';
import type { CoreClient } from '../app/coreClient.js';
import { createI18n, type Language } from '../i18n/index.js';

/** Renders a component as the app does: translations, theme, and a core client. */
export function renderWithProviders(ui: ReactElement, client: CoreClient, language: Language = 'en') {
  const i18n = createI18n(language);
  return {
    i18n,
    ...render(
      <I18nextProvider i18n={i18n}>
        <ThemeProvider theme={createTheme()}>
          <CssBaseline />
          <CoreClientProvider client={client}>{ui}</CoreClientProvider>
        </ThemeProvider>
      </I18nextProvider>,
    ),
  };
}
