/**
 * The resource URLs of the contract: every `/files/...` path is built and parsed here, by the core that answers it,
 * the transports that serve it and the renderer that fetches it. Pixels and files travel by these URLs, never inside
 * JSON.
 */

/** What a resource path names. */
export type ResourceRef =
  | { kind: 'thumbnail'; instanceId: number }
  | { kind: 'pixels'; instanceId: number }
  | { kind: 'heatmap'; analysisId: number; label: string }
  | { kind: 'export'; folder: string; fileName: string }
  | { kind: 'cohortExport'; exportId: number; fileName: string };

export type ResourceKind = ResourceRef['kind'];

export const resourcePaths = {
  thumbnail: (instanceId: number): string => `/files/instances/${instanceId}/thumbnail.png`,
  /** Stored values in the viewer pixel format (main/api/pixelFormat.ts). */
  pixels: (instanceId: number): string => `/files/instances/${instanceId}/pixels`,
  /** One finding's class activation heatmap, rendered on first request. */
  heatmap: (analysisId: number, label: string): string => `/files/analyses/${analysisId}/heatmap/${encodeURIComponent(label)}.png`,
  /** A written export (report, audit log) under the data folder's exports/<folder>/. */
  export: (folder: string, fileName: string): string => `/files/exports/${folder}/${encodeURIComponent(fileName)}`,
  cohortExport: (exportId: number, fileName: string): string => `/files/cohorts/${exportId}/${encodeURIComponent(fileName)}`,
};

const ROUTES: Array<[RegExp, (m: RegExpExecArray) => ResourceRef]> = [
  [/^\/files\/instances\/(\d+)\/thumbnail\.png$/, (m) => ({ kind: 'thumbnail', instanceId: Number(m[1]) })],
  [/^\/files\/instances\/(\d+)\/pixels$/, (m) => ({ kind: 'pixels', instanceId: Number(m[1]) })],
  [/^\/files\/analyses\/(\d+)\/heatmap\/([^/]+)\.png$/, (m) => ({ kind: 'heatmap', analysisId: Number(m[1]), label: m[2]! })],
  // Export names are the ones the core writes: no path separators, no leading dot.
  [/^\/files\/exports\/([a-z0-9-]{1,40})\/([A-Za-z0-9][A-Za-z0-9._-]{0,159})$/, (m) => ({ kind: 'export', folder: m[1]!, fileName: m[2]! })],
  [/^\/files\/cohorts\/(\d+)\/([A-Za-z0-9][A-Za-z0-9._-]{0,159})$/, (m) => ({ kind: 'cohortExport', exportId: Number(m[1]), fileName: m[2]! })],
];

/**
 * What a `/files/...` path (query string allowed) names, or null for anything else. The path is percent-decoded
 * once; a path that climbs (`..`) or is malformed names nothing.
 */
export function parseResourcePath(path: string): ResourceRef | null {
  const pathname = path.split(/[?#]/, 1)[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('..') || decoded.includes('\\')) return null;
  for (const [re, ref] of ROUTES) {
    const m = re.exec(decoded);
    if (m) return ref(m);
  }
  return null;
}
