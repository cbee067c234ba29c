/**
 * Report templates are HTML files in the spirit of IHE MRRT / RSNA RadReport: `<meta>` elements give the template's
 * id, title and language; each `<section data-section-name="...">` is one report section whose `<header>` is its
 * title; `<span data-field="patient.name"></span>` (any element with `data-field`) is a named field filled from the
 * study, the image or the accepted AI findings (its content, if any, is the default when the value is empty).
 *
 * This module parses that restricted HTML into plain sections and fills them. It is deliberately strict: a template
 * is code a user can add, so anything outside the allow-list of templateSafety.ts (scripts, event handlers, links,
 * images, frames, meta refresh...) and unknown fields are rejected with a message naming the file and the problem.
 */
import { checkTemplateHtml } from './templateSafety.js';


/** Every field a template may use, and what fills it. */
export const TEMPLATE_FIELDS = {
  'patient.name': 'patient name',
  'patient.id': 'patient ID',
  'patient.sex': 'patient sex',
  'patient.birthDate': 'birth date (YYYY-MM-DD)',
  'patient.age': 'age in years at the study',
  'study.date': 'study date (YYYY-MM-DD)',
  'study.time': 'study time',
  'study.description': 'study description',
  'study.accession': 'accession number',
  'study.uid': 'Study Instance UID',
  'study.institution': 'institution',
  'study.referringPhysician': 'referring physician',
  'study.indication': 'clinical indication (empty unless known)',
  'study.comparison': 'the earlier studies the reader compared with: date (modality, description), newest first',
  'image.view': 'view position of the key image (PA, AP, LATERAL...)',
  'image.modality': 'modality of the key image',
  'image.count': 'number of images in the study',
  'ai.findings': "accepted AI findings' generated text, one per line",
  'ai.model': 'AI model pack and version',
  'report.date': 'date the draft was created (YYYY-MM-DD)',
  'reader.name': 'the author of the draft',
} as const;
export type TemplateField = keyof typeof TEMPLATE_FIELDS;

/** Fields whose text comes from the AI: a section using one is marked AI-derived in every export. */
export const AI_FIELDS: ReadonlySet<string> = new Set(['ai.findings']);

export interface ParsedSection {
  name: string;
  title: string;
  /** The section's inner HTML without its header. */
  html: string;
  fields: string[];
}

export interface ParsedTemplate {
  id: string | null;
  title: string;
  language: string;
  sections: ParsedSection[];
  fields: string[];
}

export class TemplateError extends Error {}

function attributes(tag: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    map.set(m[1]!.toLowerCase(), decodeEntities(m[2] ?? m[3] ?? ''));
  }
  return map;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (all, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    return NAMED_ENTITIES[body.toLowerCase()] ?? all;
  });
}

const FIELD_ELEMENT = /<([a-zA-Z][a-zA-Z0-9]*)\b([^>]*\bdata-field\s*=\s*["'][^"']*["'][^>]*)>([\s\S]*?)<\/\1\s*>/g;

/**
 * Parses a template's HTML. `source` names the file in error messages. Throws TemplateError on anything it cannot
 * use safely.
 */
export function parseTemplate(rawHtml: string, source: string): ParsedTemplate {
  const fail = (problem: string): never => {
    throw new TemplateError(`${source}: ${problem}`);
  };
  const safety = checkTemplateHtml(rawHtml);
  if (safety.problems.length) fail(`${safety.problems.join('; ')} in a report template (structure and text only)`);
  // From here on the parser reads only what the sanitiser kept (comments, which may describe the syntax, are gone).
  const html = safety.sanitized;
  if (/<section\b[^>]*>(?:(?!<\/section>)[\s\S])*<section\b/i.test(html)) fail('sections cannot be nested');

  const metas = new Map<string, string>();
  for (const m of html.matchAll(/<meta\b([^>]*)>/gi)) {
    const a = attributes(m[1]!);
    const name = a.get('name');
    if (name) metas.set(name.toLowerCase(), a.get('content') ?? '');
  }
  const titleMatch = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  const title = decodeEntities((titleMatch?.[1] ?? metas.get('title') ?? '').trim());
  if (!title) fail('the template has no <title>');
  const htmlLang = /<html\b([^>]*)>/i.exec(html);
  const language = (metas.get('language') ?? (htmlLang ? attributes(htmlLang[1]!).get('lang') : undefined) ?? '').trim();
  if (!language) fail('the template gives no language (<html lang="..."> or <meta name="language">)');

  const sections: ParsedSection[] = [];
  for (const m of html.matchAll(/<section\b([^>]*)>([\s\S]*?)<\/section\s*>/gi)) {
    const a = attributes(m[1]!);
    const name = a.get('data-section-name');
    if (!name) fail(`a <section> has no data-section-name (section ${sections.length + 1})`);
    if (!/^[a-z][a-z0-9_-]{0,63}$/.test(name!)) fail(`section name "${name}" must be lower-case letters, digits, "_" or "-"`);
    if (sections.some((s) => s.name === name)) fail(`section "${name}" appears twice`);
    let inner = m[2]!;
    const header = /<header\b[^>]*>([\s\S]*?)<\/header\s*>/i.exec(inner);
    const sectionTitle = header ? htmlToText(header[1]!).trim() : (a.get('data-section-title') ?? name!);
    if (header) inner = inner.replace(header[0], '');
    const fields: string[] = [];
    for (const f of inner.matchAll(FIELD_ELEMENT)) {
      const field = attributes(f[2]!).get('data-field')!;
      // Own keys only: "constructor" or "__proto__" are not fields.
      if (!Object.hasOwn(TEMPLATE_FIELDS, field)) {
        fail(`unknown field "${field}" in section "${name}" (known: ${Object.keys(TEMPLATE_FIELDS).join(', ')})`);
      }
      fields.push(field);
    }
    sections.push({ name: name!, title: sectionTitle, html: inner, fields });
  }
  if (!sections.length) fail('the template has no <section data-section-name="..."> element');
  return {
    id: metas.get('template-id') ?? null,
    title,
    language,
    sections,
    fields: [...new Set(sections.flatMap((s) => s.fields))],
  };
}

/** Turns the restricted template HTML into plain text: paragraphs and breaks become lines (no blank ones), list items "- ". */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/(p|div|li|ul|ol|h[1-6]|tr|header)\s*>/gi, '\n')
    .replace(/<(p|div|ul|ol|h[1-6]|tr)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '');
  return decodeEntities(text)
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** A filled section: plain text, and whether an AI field contributed to it. */
export interface FilledSection {
  name: string;
  title: string;
  text: string;
  aiDerived: boolean;
}

/**
 * Fills each section's fields with `values` (a field's element content is its default when the value is empty) and
 * renders plain text. Values are text: they are escaped, so a patient name can never inject markup.
 */
export function fillTemplate(template: ParsedTemplate, values: Partial<Record<string, string>>): FilledSection[] {
  return template.sections.map((s) => {
    let aiDerived = false;
    const html = s.html.replace(FIELD_ELEMENT, (_all, _tag: string, attrs: string, inner: string) => {
      const field = attributes(attrs).get('data-field')!;
      const value = values[field]?.trim() ?? '';
      if (value && AI_FIELDS.has(field)) aiDerived = true;
      if (!value) return inner;
      // Multi-line values (the AI findings) keep their lines.
      return escapeHtml(value).replace(/\n/g, '<br>');
    });
    return { name: s.name, title: s.title, text: htmlToText(html), aiDerived };
  });
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
