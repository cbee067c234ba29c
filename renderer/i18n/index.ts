import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LanguageSchema, type Language } from '../../main/api/common.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { pt } from './pt.js';

export const LANGUAGES = LanguageSchema.options;
export type { Language };

/** All UI strings by language; English is the source and the fallback. */
export const messages = { en, fr, es, pt } as const;

const STORAGE_KEY = 'cxr.language';

/** The saved choice, else the browser's language when we have it, else English. */
export function initialLanguage(storage: Storage | undefined = globalThis.localStorage, navigatorLanguage = globalThis.navigator?.language): Language {
  let saved: string | null = null;
  try {
    saved = storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    saved = null;
  }
  const candidates = [saved, navigatorLanguage?.slice(0, 2).toLowerCase()];
  return (candidates.find((c) => (LANGUAGES as readonly string[]).includes(c ?? '')) as Language | undefined) ?? 'en';
}

/** A ready i18next instance (resources are bundled, so initialisation is synchronous). */
export function createI18n(language: Language = initialLanguage()): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: messages[l] }])),
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  return instance;
}

/** Switches the language and remembers it in this browser. */
export async function setLanguage(instance: I18n, language: Language): Promise<void> {
  await instance.changeLanguage(language);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, language);
  } catch {
    // Storage disabled: the choice lasts for this session only.
  }
  if (globalThis.document) document.documentElement.lang = language;
}
