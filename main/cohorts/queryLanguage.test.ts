import { describe, expect, it } from 'vitest';
import { CohortQueryError, formatCohortQuery, parseCohortQuery } from './queryLanguage.js';

const labels = ['Atelectasis', 'Cardiomegaly', 'Effusion', 'Pleural_Thickening'];
const parse = (q: string) => parseCohortQuery(q, { labels });

describe('parseCohortQuery', () => {
  it('parses the example from the issue into a tree', () => {
    expect(parse('Effusion>0.6 AND sex=F AND age>=60 AND ref:Cardiomegaly AND date>=2020-01-01')).toEqual({
      kind: 'and',
      items: [
        { kind: 'probability', label: 'Effusion', op: '>', value: 0.6 },
        { kind: 'field', field: 'sex', op: '=', value: 'F' },
        { kind: 'field', field: 'age', op: '>=', value: 60 },
        { kind: 'reference', label: 'Cardiomegaly' },
        { kind: 'field', field: 'date', op: '>=', value: '2020-01-01' },
      ],
    });
  });

  it('binds AND tighter than OR, honours NOT and parentheses, is case-insensitive', () => {
    expect(parse('effusion or atelectasis and not sex=m')).toEqual({
      kind: 'or',
      items: [
        { kind: 'positive', label: 'Effusion' },
        { kind: 'and', items: [{ kind: 'positive', label: 'Atelectasis' }, { kind: 'not', item: { kind: 'field', field: 'sex', op: '=', value: 'M' } }] },
      ],
    });
    expect(parse('(ai:Effusion OR ref:normal) AND report:"pleural fluid"')).toEqual({
      kind: 'and',
      items: [
        { kind: 'or', items: [{ kind: 'positive', label: 'Effusion' }, { kind: 'normal' }] },
        { kind: 'text', text: 'pleural fluid' },
      ],
    });
    expect(parse('ref:"Pleural Thickening"')).toEqual({ kind: 'reference', label: 'Pleural_Thickening' });
  });

  it('round-trips through its canonical text', () => {
    const q = 'Effusion>=0.5 AND (ref:Cardiomegaly OR NOT view=PA) AND report:"small effusion" AND status=final';
    expect(formatCohortQuery(parse(q))).toBe(q);
    expect(parse(formatCohortQuery(parse(q)))).toEqual(parse(q));
  });

  it.each([
    ['Effusoin>0.5', /unknown finding "Effusoin"; known findings: Atelectasis, Cardiomegaly, Effusion/, 1],
    ['Effusion>1.5', /probability for Effusion must be a number from 0 to 1, got "1.5"/, 10],
    ['sex=X', /sex is M, F or O/, 5],
    ['age>=old', /age is a number of years/, 6],
    ['date>2020-13-45', /date is YYYY-MM-DD/, 6],
    ['sex>F', /sex compares with = or != only/, 5],
    ['Effusion AND', /the query ended where a condition was expected/, 13],
    ['Effusion Cardiomegaly', /expected AND, OR or the end before "Cardiomegaly"/, 10],
    ['(Effusion', /expected "\)"/, 10],
    ['Effusion)', /unmatched "\)"/, 9],
    ['ref:"open', /unterminated quoted value/, 5],
    ['foo:bar', /unknown prefix "foo:"/, 1],
    ['', /the query is empty/, 1],
    ['status=done', /status is one of unread, in_progress, reported, final/, 8],
  ])('rejects %j with a clear message and column', (q, message, column) => {
    let error: unknown;
    try {
      parse(q);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CohortQueryError);
    expect((error as CohortQueryError).message).toMatch(message);
    expect((error as CohortQueryError).column).toBe(column);
  });
});
