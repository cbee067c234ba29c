import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillTemplate, htmlToText, parseTemplate, TemplateError } from './templateParser.js';
import { shippedTemplatesDir } from './templateStore.js';

const minimal = (body: string) => `<html lang="en"><head><title>T</title></head><body>${body}</body></html>`;

describe('shipped chest radiograph templates', () => {
  const dir = shippedTemplatesDir();
  it('exist in every UI language and parse with the same sections and fields', () => {
    const files = readdirSync(dir).filter((f) => f.startsWith('chest-radiograph.'));
    expect(files.sort()).toEqual(['chest-radiograph.en.html', 'chest-radiograph.es.html', 'chest-radiograph.fr.html', 'chest-radiograph.pt.html']);
    const parsed = files.map((f) => parseTemplate(readFileSync(join(dir, f), 'utf8'), f));
    for (const [i, p] of parsed.entries()) {
      expect(p.language).toBe(files[i]!.split('.')[1]);
      expect(p.id).toBe(files[i]!.replace(/\.html$/, ''));
      expect(p.sections.map((s) => s.name)).toEqual(['patient', 'indication', 'technique', 'comparison', 'findings', 'impression', 'recommendation', 'ai']);
      expect(new Set(p.fields)).toEqual(new Set(parsed[0]!.fields));
    }
    expect(parsed.find((p) => p.language === 'fr')!.sections.find((s) => s.name === 'findings')!.title).toBe('Résultats');
  });

  it('fill from study data and AI text; the findings section is marked AI-derived, defaults stand in for empty values', () => {
    const fr = parseTemplate(readFileSync(join(dir, 'chest-radiograph.fr.html'), 'utf8'), 'fr');
    const filled = fillTemplate(fr, {
      'patient.name': 'Lefèvre, Hélène <b>',
      'patient.id': 'P-1',
      'image.view': 'PA',
      'image.modality': 'CR',
      'image.count': '1',
      'ai.findings': 'Opacité du lobe inférieur droit.\nÉpanchement pleural minime.',
      'ai.model': 'cxr14-densenet121-demo 1.0.0',
    });
    const byName = Object.fromEntries(filled.map((s) => [s.name, s]));
    expect(byName.patient!.text).toContain('Patient: Lefèvre, Hélène <b> (ID P-1)');
    expect(byName.patient!.text).toContain("Date de l'examen: -");
    expect(byName.indication!.text).toBe('Non précisée.');
    expect(byName.technique!.text).toBe('Radiographie thoracique, incidence PA (CR), 1 image(s).');
    expect(byName.findings!.text).toBe('Opacité du lobe inférieur droit.\nÉpanchement pleural minime.');
    expect(byName.findings!.aiDerived).toBe(true);
    expect(byName.impression!.aiDerived).toBe(false);
    expect(byName.ai!.text).toBe('Modèle : cxr14-densenet121-demo 1.0.0.');
    // no accepted finding: the section is empty and not AI-derived
    const none = fillTemplate(fr, {});
    expect(none.find((s) => s.name === 'findings')).toMatchObject({ text: '', aiDerived: false });
  });
});

describe('parseTemplate rejects what it cannot use safely, naming the file', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['script', minimal('<section data-section-name="a"><script>x()</script></section>'), /my\.html: scripts are not allowed/],
    ['handler', minimal('<section data-section-name="a"><p onclick="x()">a</p></section>'), /event handler/],
    ['unknown field', minimal('<section data-section-name="a"><span data-field="patient.ssn"></span></section>'), /unknown field "patient.ssn" in section "a"/],
    ['duplicate', minimal('<section data-section-name="a"></section><section data-section-name="a"></section>'), /section "a" appears twice/],
    ['nested', minimal('<section data-section-name="a"><section data-section-name="b"></section></section>'), /nested/],
    ['no sections', minimal('<p>hello</p>'), /no <section/],
    ['no title', '<html lang="en"><body><section data-section-name="a"></section></body></html>', /no <title>/],
    ['no language', '<html><head><title>T</title></head><body><section data-section-name="a"></section></body></html>', /no language/],
    ['bad name', minimal('<section data-section-name="Bad Name"></section>'), /must be lower-case/],
  ];
  for (const [name, html, message] of cases) {
    it(name, () => {
      expect(() => parseTemplate(html, 'my.html')).toThrow(TemplateError);
      expect(() => parseTemplate(html, 'my.html')).toThrow(message);
    });
  }
});

describe('htmlToText', () => {
  it('turns paragraphs, breaks and list items into lines and decodes entities', () => {
    expect(htmlToText('<p>a &amp; b</p><p>c<br>d</p><ul><li>x</li><li>y &#233;</li></ul>')).toBe('a & b\nc\nd\n- x\n- y é');
  });
});
