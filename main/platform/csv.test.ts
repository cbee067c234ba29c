import { describe, expect, it } from 'vitest';
import { csvRecords, parseCsv, toCsv } from './csv.js';

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, embedded commas and newlines, CRLF and a missing final newline', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n"multi\nline",z')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['multi\nline', 'z'],
    ]);
  });

  it('keeps empty fields and skips blank lines', () => {
    expect(parseCsv('a,,c\n\n,,\n')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
    ]);
  });

  it('maps rows to the header names and strips a BOM', () => {
    expect(csvRecords('\ufeffname,age\nAnn,40\nBob')).toEqual([
      { name: 'Ann', age: '40' },
      { name: 'Bob', age: '' },
    ]);
  });
});

describe('toCsv', () => {
  it('quotes where needed, doubles quotes, ends lines with CRLF, and reads back', () => {
    const rows = [['plain', 'Doe, Jane', 'say "hi"', 'a\nb', -3, null, ' padded ']];
    const text = toCsv(rows);
    expect(text).toBe('plain,"Doe, Jane","say ""hi""","a\nb",-3,," padded "\r\n');
    expect(parseCsv(text)).toEqual([['plain', 'Doe, Jane', 'say "hi"', 'a\nb', '-3', '', ' padded ']]);
  });

  it('neutralises every text cell a spreadsheet would run as a formula, including a leading tab or carriage return', () => {
    const text = toCsv([['=HYPERLINK("x")', '+1', '-x', '@SUM(A1)', '\tcmd', '\r=1+1', 'fine', -3]]);
    expect(parseCsv(text)[0]).toEqual([`'=HYPERLINK("x")`, "'+1", "'-x", "'@SUM(A1)", "'\tcmd", "'\r=1+1", 'fine', '-3']);
  });
});
