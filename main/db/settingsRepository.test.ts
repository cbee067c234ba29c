import { z } from 'zod';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from './connection.js';
import { SettingsRepository } from './settingsRepository.js';

let db: DbHandle;
let settings: SettingsRepository;
beforeEach(() => {
  db = openDatabase(':memory:');
  settings = new SettingsRepository(db);
});

const Window = z.object({ center: z.number(), width: z.number().positive() });

describe('SettingsRepository', () => {
  it('stores and reads back JSON values, replacing on set', () => {
    settings.set('viewer.window', { center: 40, width: 400 });
    expect(settings.get('viewer.window', Window, { center: 0, width: 1 })).toEqual({ center: 40, width: 400 });
    settings.set('viewer.window', { center: 50, width: 350 });
    expect(settings.get('viewer.window', Window, { center: 0, width: 1 })).toEqual({ center: 50, width: 350 });
    settings.set('ui.language', 'de');
    expect(settings.get('ui.language', z.enum(['en', 'de']), 'en')).toBe('de');
  });

  it('gives the fallback for a missing value or one that no longer fits the schema', () => {
    expect(settings.get('missing', z.number(), 7)).toBe(7);
    settings.set('viewer.window', { center: 40, width: -1 });
    expect(settings.get('viewer.window', Window, { center: 0, width: 1 })).toEqual({ center: 0, width: 1 });
    db.sqlite.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('broken', '{not json', 'x')").run();
    expect(settings.get('broken', z.string(), 'ok')).toBe('ok');
  });

  it('applies schema defaults when reading', () => {
    settings.set('ai', {});
    expect(settings.get('ai', z.object({ threshold: z.number().default(0.5) }), { threshold: 0.3 })).toEqual({ threshold: 0.5 });
  });

  it('refuses a value that cannot be stored as JSON', () => {
    expect(() => settings.set('x', undefined)).toThrow(/not JSON-serialisable/);
  });
});
