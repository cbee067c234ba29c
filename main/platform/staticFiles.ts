import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

/** Content types of what a Vite build emits (and a few runtime assets). */
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(path: string): string {
  return contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/**
 * True when a URL path (already percent-decoded) could step outside the folder it is resolved against or smuggle
 * something a file system treats specially. Checked before any lookup, for static files and resources alike.
 */
export function isUnsafePath(pathname: string): boolean {
  return (
    pathname.includes('\0') ||
    pathname.includes('\\') ||
    pathname.split('/').some((segment) => segment === '..' || segment === '.')
  );
}

/**
 * Reads one file of the built renderer. `/` and paths without an extension (client-side routes) answer index.html;
 * anything that resolves outside `dir` (also through a symbolic link), is not a regular file, or is a source map (the
 * workstation's source is not served) answers null.
 */
export async function readStaticFile(dir: string, urlPath: string): Promise<StaticFile | null> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return null;
  }
  if (isUnsafePath(pathname)) return null;
  const root = resolve(dir);
  const wanted = pathname === '/' || extname(pathname) === '' ? '/index.html' : pathname;
  if (extname(wanted).toLowerCase() === '.map') return null;
  const full = resolve(join(root, wanted));
  if (full !== root && !full.startsWith(root + sep)) return null;
  try {
    // The real path must stay inside the real folder: a symbolic link in the build output may point anywhere.
    const [realRoot, realFull] = await Promise.all([realpath(root), realpath(full)]);
    if (!realFull.startsWith(realRoot + sep)) return null;
    const info = await stat(realFull);
    if (!info.isFile()) return null;
    return { body: await readFile(realFull), contentType: contentTypeFor(realFull) };
  } catch {
    return null;
  }
}
