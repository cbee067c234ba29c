import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TemplateError } from './templateParser.js';
import { shippedTemplatesDir, TemplateStore } from './templateStore.js';

describe('TemplateStore', () => {
  let dir: string;
  let store: TemplateStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-templates-'));
    store = new TemplateStore(shippedTemplatesDir(), join(dir, 'templates'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the shipped templates, saves a user template and lets a user copy override a shipped id', () => {
    expect(store.list().map((t) => `${t.id}:${t.source}`)).toEqual([
      'chest-radiograph.en:shipped',
      'chest-radiograph.es:shipped',
      'chest-radiograph.fr:shipped',
      'chest-radiograph.pt:shipped',
    ]);
    const shipped = store.get('chest-radiograph.en')!;
    const edited = shipped.html.replace('<title>Chest radiograph report</title>', '<title>Our chest report</title>');
    store.save('chest-radiograph.en', edited);
    store.save('short.en', '<html lang="en"><head><title>Short</title></head><body><section data-section-name="impression"><header>Impression</header><p></p></section></body></html>');
    const list = store.list();
    expect(list.find((t) => t.id === 'chest-radiograph.en')).toMatchObject({ source: 'user', title: 'Our chest report' });
    expect(list.find((t) => t.id === 'short.en')).toMatchObject({ source: 'user', sections: [{ name: 'impression', title: 'Impression' }] });
    // the shipped file itself is untouched
    expect(readFileSync(join(shippedTemplatesDir(), 'chest-radiograph.en.html'), 'utf8')).toContain('<title>Chest radiograph report</title>');
  });

  it('refuses an invalid template without touching the stored one, and bad ids', () => {
    store.save('mine.en', '<html lang="en"><head><title>Mine</title></head><body><section data-section-name="a"></section></body></html>');
    expect(() => store.save('mine.en', '<html lang="en"><head><title>Mine</title></head><body><script></script></body></html>')).toThrow(/template "mine.en": element <script> is not allowed/);
    expect(store.get('mine.en')!.title).toBe('Mine');
    expect(() => store.get('../etc/passwd')).toThrow(TemplateError);
    expect(store.get('absent.en')).toBeNull();
  });

  it('skips a broken user file in the list but names it when asked for directly', () => {
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates', 'broken.en.html'), '<html lang="en"><head><title>B</title></head><body></body></html>');
    expect(store.list().some((t) => t.id === 'broken.en')).toBe(false);
    expect(() => store.get('broken.en')).toThrow(/broken\.en\.html: the template has no <section/);
  });
});
