import { describe, expect, it } from 'vitest';
import { atVersionBefore, version } from './migrationTestKit.js';

describe('0080 create-settings', () => {
  it('adds the settings table', () => {
    const { db, migrateTo } = atVersionBefore(80);
    migrateTo();
    expect(version(db)).toBe(80);
    db.sqlite.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('ui.theme', '\"dark\"', 'x')").run();
    expect(db.sqlite.prepare('SELECT value FROM settings').pluck().get()).toBe('"dark"');
  });
});
