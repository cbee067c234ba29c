import { describe, expect, it } from 'vitest';
import { toPersonName } from './personName.js';

describe('toPersonName (DICOM PN, Family^Given^Middle^Prefix)', () => {
  it.each([
    ['Conceição, João', 'Conceição^João'],
    ['Dra. Inês Araújo', 'Araújo^Inês^^Dra.'],
    ['Dr Núñez', 'Núñez^^^Dr'],
    ['Dr A', 'A^^^Dr'],
    ['READER', 'READER^'],
    ['ANONYMOUS', 'ANONYMOUS^'],
    ['Mary Ann Smith', 'Smith^Mary^Ann'],
    ['Ramírez, Tomás', 'Ramírez^Tomás'],
    ['Evil^Name=x\\y', 'y^Evil^Name x'],
    ['', ''],
  ])('%s → %s', (display, pn) => {
    expect(toPersonName(display)).toBe(pn);
  });
});
