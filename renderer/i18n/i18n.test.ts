/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { createI18n, initialLanguage, LANGUAGES, messages } from './index.js';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const variables = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
const english = flatten(messages.en as unknown as Tree);

describe('translations', () => {
  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has exactly the English keys, each non-empty with the same {{variables}}', (lang) => {
    const other = flatten(messages[lang] as unknown as Tree);
    expect([...other.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of english) {
      const translated = other.get(key)!;
      expect(translated.trim(), `${lang}: ${key}`).not.toBe('');
      expect(variables(translated), `${lang}: ${key}`).toEqual(variables(text));
    }
  });

  it('every literal key the UI asks for exists in English (so in all four)', () => {
    const sources = import.meta.glob(['../**/*.tsx', '../**/*.ts', '!../**/*.test.*', '!../testing/**'], {
      query: '?raw',
      import: 'default',
      eager: true,
    }) as Record<string, string>;
    expect(Object.keys(sources).length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const [file, text] of Object.entries(sources)) {
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) {
        if (!english.has(m[1]!)) missing.push(`${file}: ${m[1]}`);
      }
      // Keys built from a prefix and a value (`status.${x}`): the prefix must exist as a group.
      for (const m of text.matchAll(/\bt\(\s*`([a-zA-Z0-9_.-]+)\.\$\{/g)) {
        if (![...english.keys()].some((k) => k.startsWith(`${m[1]}.`))) missing.push(`${file}: ${m[1]}.*`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('translates in the chosen language and falls back to English for unknown languages', () => {
    expect(createI18n('pt').t('sort.abnormality-desc')).toBe('Mais anormais primeiro');
    expect(createI18n('es').t('viewer.rulerMm', { mm: '12.5' })).toBe('12.5 mm');
    expect(initialLanguage(undefined, 'fr-CA')).toBe('fr');
    expect(initialLanguage(undefined, 'de-DE')).toBe('en');
  });
});
