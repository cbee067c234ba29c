import { describe, expect, it } from 'vitest';
import { cleanText } from './plainText.js';

describe('cleanText', () => {
  it('drops NUL, ESC, other controls and bidi overrides, keeps tabs, line feeds and every letter', () => {
    const typed = 'Right\u0000 effusion\u001b[31m\r\nsee \u202eevil\u202c \u2066iso\u2069\tok — ção ñ 中文 \u0085end';
    expect(cleanText(typed)).toBe('Right effusion[31m\nsee evil iso\tok — ção ñ 中文 end');
  });
});
