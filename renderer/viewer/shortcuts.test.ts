import { describe, expect, it } from 'vitest';
import { isTextTarget, keyLabel, SHORTCUTS, shortcutFor, widgetOwnsKey, type KeyPress } from './shortcuts.js';

const press = (key: string, over: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, inText: false, ...over });

describe('viewer shortcuts', () => {
  it('maps the reading keys to their actions', () => {
    expect(shortcutFor(press('i'))).toBe('invert');
    expect(shortcutFor(press('r'))).toBe('rotateRight');
    expect(shortcutFor(press('R'))).toBe('rotateLeft');
    expect(shortcutFor(press('+'))).toBe('zoomIn');
    expect(shortcutFor(press('-'))).toBe('zoomOut');
    expect(shortcutFor(press('f'))).toBe('fit');
    expect(shortcutFor(press('2'))).toBe('presetAuto');
    expect(shortcutFor(press('ArrowRight'))).toBe('nextImage');
    expect(shortcutFor(press('ArrowDown'))).toBe('nextStudy');
    expect(shortcutFor(press(' '))).toBe('toggleAiOverlays');
    expect(shortcutFor(press('Escape'))).toBe('backToWorklist');
    expect(shortcutFor(press('?'))).toBe('showShortcuts');
    expect(shortcutFor(press('Enter', { ctrlKey: true }))).toBe('signAndNext');
    expect(shortcutFor(press('Enter', { metaKey: true }))).toBe('signAndNext');
  });

  it('leaves typed text, browser chords and unknown keys alone', () => {
    expect(shortcutFor(press('i', { inText: true }))).toBeNull();
    expect(shortcutFor(press('Enter'))).toBeNull();
    expect(shortcutFor(press('Enter', { ctrlKey: true, inText: true }))).toBe('signAndNext');
    expect(shortcutFor(press('r', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press('f', { altKey: true }))).toBeNull();
    expect(shortcutFor(press('F5'))).toBeNull();
  });

  it('binds each key to one action only', () => {
    const seen = new Map<string, string>();
    for (const s of SHORTCUTS) {
      for (const k of s.keys) {
        const id = `${s.ctrl ? 'ctrl+' : ''}${k}`;
        expect(seen.get(id), id).toBeUndefined();
        seen.set(id, s.action);
      }
    }
  });

  it('knows text fields and widgets that own a key', () => {
    const input = document.createElement('input');
    const checkbox = Object.assign(document.createElement('input'), { type: 'checkbox' });
    const button = document.createElement('button');
    const tab = Object.assign(document.createElement('div'), {});
    tab.setAttribute('role', 'tab');
    expect(isTextTarget(input)).toBe(true);
    expect(isTextTarget(document.createElement('textarea'))).toBe(true);
    expect(isTextTarget(checkbox)).toBe(false);
    expect(isTextTarget(document.body)).toBe(false);
    expect(widgetOwnsKey(button, ' ')).toBe(true);
    expect(widgetOwnsKey(button, 'i')).toBe(false);
    expect(widgetOwnsKey(tab, 'ArrowRight')).toBe(true);
    expect(widgetOwnsKey(document.body, 'ArrowRight')).toBe(false);
    expect(keyLabel(' ')).toBe('Space');
    expect(keyLabel('R')).toBe('Shift+R');
  });
});
