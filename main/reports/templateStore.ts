import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Template, TemplateSummary } from '../api/reports.js';
import { parseTemplate, TemplateError, type ParsedTemplate } from './templateParser.js';

/**
 * Finds the shipped templates: `CXR_RESOURCES_DIR/templates` when set (packaged app), else the first
 * `resources/templates` found walking up from this module (works from main/ under tsx and from dist/ when built).
 */
export function shippedTemplatesDir(): string {
  if (process.env.CXR_RESOURCES_DIR) return join(resolve(process.env.CXR_RESOURCES_DIR), 'templates');
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'resources', 'templates');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(process.cwd(), 'resources', 'templates');
}

export interface LoadedTemplate extends ParsedTemplate {
  id: string;
  source: 'shipped' | 'user';
  html: string;
  path: string;
}

/**
 * Shipped templates (read-only, with the application) and user templates (`<dataDir>/templates/<id>.html`). A user
 * template with a shipped id overrides it; the shipped file is never written. The id is the file name without
 * `.html`, e.g. `chest-radiograph.fr`.
 */
export class TemplateStore {
  constructor(
    readonly shippedDir: string,
    readonly userDir: string,
  ) {}

  private load(dir: string, source: 'shipped' | 'user'): Map<string, LoadedTemplate> {
    const out = new Map<string, LoadedTemplate>();
    if (!existsSync(dir)) return out;
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.html')) continue;
      const path = join(dir, file);
      const html = readFileSync(path, 'utf8');
      try {
        const parsed = parseTemplate(html, path);
        const id = file.slice(0, -'.html'.length);
        out.set(id, { ...parsed, id, source, html, path });
      } catch (err) {
        // One broken user file must not hide the others; it is reported when asked for by id.
        if (!(err instanceof TemplateError)) throw err;
        console.warn(`[templates] skipped ${err.message}`);
      }
    }
    return out;
  }

  private all(): Map<string, LoadedTemplate> {
    const merged = this.load(this.shippedDir, 'shipped');
    for (const [id, t] of this.load(this.userDir, 'user')) merged.set(id, t);
    return merged;
  }

  list(): TemplateSummary[] {
    return [...this.all().values()].map(summarize).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The template by id, or null. A user file that does not parse throws TemplateError naming it. */
  get(id: string): LoadedTemplate | null {
    assertId(id);
    for (const [dir, source] of [
      [this.userDir, 'user'],
      [this.shippedDir, 'shipped'],
    ] as const) {
      const path = join(dir, `${id}.html`);
      if (!existsSync(path)) continue;
      const html = readFileSync(path, 'utf8');
      return { ...parseTemplate(html, path), id, source, html, path };
    }
    return null;
  }

  /** Validates and writes a user template (atomically: a failed write leaves the previous file as it was). */
  save(id: string, html: string): LoadedTemplate {
    assertId(id);
    const path = join(this.userDir, `${id}.html`);
    const parsed = parseTemplate(html, `template "${id}"`);
    mkdirSync(this.userDir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, html, 'utf8');
    renameSync(tmp, path);
    return { ...parsed, id, source: 'user', html, path };
  }
}

function assertId(id: string): void {
  if (!/^[a-z0-9][a-z0-9._-]{0,118}$/.test(id) || id.includes('..')) {
    throw new TemplateError(`template id "${id}" must be lower-case letters, digits, ".", "_" and "-"`);
  }
}

export function summarize(t: LoadedTemplate): TemplateSummary {
  return {
    id: t.id,
    title: t.title,
    language: t.language,
    source: t.source,
    sections: t.sections.map((s) => ({ name: s.name, title: s.title })),
    fields: t.fields,
  };
}

export function toTemplate(t: LoadedTemplate): Template {
  return { ...summarize(t), html: t.html };
}
