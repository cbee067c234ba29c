import sanitizeHtml from 'sanitize-html';

/**
 * What a report template may contain, as an allow-list enforced by a maintained HTML sanitiser (sanitize-html on
 * htmlparser2) instead of patterns: a template is code a user can add, and patterns miss `<img onerror>`, `<svg
 * onload>`, entity-encoded `javascript:`, `<iframe>`, `<object>` or a meta refresh. Structure and text only: no
 * links, images, scripts, styles, frames or event handlers.
 */
const ALLOWED_TAGS = [
  'html', 'head', 'title', 'meta', 'body', 'section', 'header', 'footer', 'p', 'br', 'span', 'div', 'ul', 'ol', 'li',
  'strong', 'em', 'b', 'i', 'u', 'small', 'sub', 'sup', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'table', 'thead', 'tbody', 'tr', 'th', 'td',
];
const GLOBAL_ATTRIBUTES = ['data-field', 'lang', 'dir', 'class', 'title'];
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  '*': GLOBAL_ATTRIBUTES,
  section: ['data-section-name', 'data-section-title'],
  meta: ['name', 'content', 'charset'],
};

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: ALLOWED_ATTRIBUTES,
  allowedSchemes: [],
  allowedSchemesAppliedToAttributes: [],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  parseStyleAttributes: false,
};

function attributeAllowed(tag: string, attribute: string): boolean {
  return GLOBAL_ATTRIBUTES.includes(attribute) || (ALLOWED_ATTRIBUTES[tag] ?? []).includes(attribute);
}

/**
 * The template's HTML with everything outside the allow-list listed as problems (element or attribute, first
 * occurrences), and the sanitised HTML the parser then reads. A template with any problem is refused by the caller,
 * so nothing is ever silently dropped from what the user wrote.
 */
export function checkTemplateHtml(html: string): { problems: string[]; sanitized: string } {
  const problems = new Set<string>();
  const sanitized = sanitizeHtml(html, {
    ...OPTIONS,
    onOpenTag(tag: string, attributes: Record<string, string>) {
      const name = tag.toLowerCase();
      if (!ALLOWED_TAGS.includes(name)) problems.add(`element <${name}> is not allowed`);
      for (const attribute of Object.keys(attributes)) {
        const a = attribute.toLowerCase();
        if (!attributeAllowed(name, a)) problems.add(`attribute "${a}" on <${name}> is not allowed`);
      }
    },
  });
  return { problems: [...problems], sanitized };
}
