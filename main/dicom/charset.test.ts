import { describe, expect, it } from 'vitest';
import { charsetDecoder } from './charset.js';

const bytes = (...parts: Array<string | number[]>) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
const ESC = 0x1b;

describe('charsetDecoder', () => {
  it('decodes the default repertoire and ISO_IR 100 (Latin-1)', () => {
    expect(charsetDecoder('').decode(bytes('Doe^John'))).toBe('Doe^John');
    expect(charsetDecoder('ISO_IR 100').decode(bytes('Buc^J', [0xe9], 'r', [0xf4], 'me'))).toBe('Buc^Jérôme');
  });

  it('decodes single-byte national sets and Unicode', () => {
    expect(charsetDecoder('ISO_IR 144').decode(bytes([0xbb, 0xee, 0xda]))).toBe('Люк');
    expect(charsetDecoder('ISO_IR 126').decode(bytes([0xc4, 0xe9, 0xef]))).toBe('Διο');
    expect(charsetDecoder('ISO_IR 192').decode(new TextEncoder().encode('王^小東'))).toBe('王^小東');
    expect(charsetDecoder('GB18030').decode(bytes([0xcd, 0xf5]))).toBe('王');
  });

  it('switches to JIS X 0208 at ISO 2022 escapes (PS3.5 H.3.1 example)', () => {
    const raw = bytes('Yamada^Tarou=', [ESC], '$B;3ED', [ESC], '(B^', [ESC], '$BB@O:', [ESC], '(B');
    expect(charsetDecoder('\\ISO 2022 IR 87').decode(raw)).toBe('Yamada^Tarou=山田^太郎');
  });

  it('decodes half-width katakana of ISO 2022 IR 13 as G1', () => {
    expect(charsetDecoder('ISO 2022 IR 13\\ISO 2022 IR 87').decode(bytes([0xd4, 0xcf, 0xc0, 0xde]))).toBe('ﾔﾏﾀﾞ');
  });

  it('decodes Korean KS X 1001 designated into G1 (PS3.5 I.2)', () => {
    const raw = bytes('Hong^Gildong=', [ESC], '$)C', [0xfb, 0xf3], '^', [ESC], '$)C', [0xd1, 0xce, 0xd4, 0xd7]);
    expect(charsetDecoder('\\ISO 2022 IR 149').decode(raw)).toBe('Hong^Gildong=洪^吉洞');
  });

  it('does not throw on unknown sets or broken escapes', () => {
    expect(charsetDecoder('ISO_IR 999').decode(bytes('abc'))).toBe('abc');
    expect(() => charsetDecoder('\\ISO 2022 IR 87').decode(bytes('a', [ESC]))).not.toThrow();
    expect(() => charsetDecoder('\\ISO 2022 IR 87').decode(bytes([ESC], '$(D', [0x30, 0x21]))).not.toThrow();
  });
});
