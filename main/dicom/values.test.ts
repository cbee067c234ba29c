import { describe, expect, it } from 'vitest';
import { ageInYears, dicomDate, dicomTime, personNameDisplay } from './values.js';

describe('DICOM value formatting', () => {
  it('formats DA, including the ACR-NEMA dotted form, and rejects non-dates', () => {
    expect(dicomDate('19570812')).toBe('1957-08-12');
    expect(dicomDate('1957.08.12')).toBe('1957-08-12');
    expect(dicomDate('')).toBeNull();
    expect(dicomDate('19571312')).toBeNull();
  });

  it('formats TM with fractions and partial precision', () => {
    expect(dicomTime('111154.812')).toBe('11:11:54');
    expect(dicomTime('0930')).toBe('09:30:00');
    expect(dicomTime('07:27:31')).toBe('07:27:31');
    expect(dicomTime('2561')).toBeNull();
  });

  it('converts AS to years', () => {
    expect(ageInYears('081Y')).toBe(81);
    expect(ageInYears('006M')).toBe(0.5);
    expect(ageInYears('52W')).toBeCloseTo(0.9965, 2);
    expect(ageInYears('030D')).toBe(0.08);
    expect(ageInYears('81')).toBe(81);
    expect(ageInYears('old')).toBeNull();
  });

  it('shows person names as "Family, Given Middle"', () => {
    expect(personNameDisplay('Doe^John^Q')).toBe('Doe, John Q');
    expect(personNameDisplay('Covid0000')).toBe('Covid0000');
    expect(personNameDisplay('Yamada^Tarou=山田^太郎')).toBe('Yamada, Tarou');
    expect(personNameDisplay('=山田^太郎')).toBe('山田, 太郎');
    expect(personNameDisplay('Smith^Anne^^Dr^PhD')).toBe('Dr Smith, Anne PhD');
    expect(personNameDisplay('')).toBe('');
  });
});
