import { parseResourcePath, type ResourceKind, type ResourceRef } from '../api/resources.js';

/** A served file: bytes and content type. Both transports (custom protocol, HTTP GET) answer with this. */
export interface Resource {
  contentType: string;
  body: Buffer;
  /** Extra headers, e.g. the pixel format of a raw pixel buffer. */
  headers?: Record<string, string>;
}

/** Answers one kind of resource path (see main/api/resources.ts); null when there is no such resource (404). */
export type ResourceHandler = {
  [K in ResourceKind]: { kind: K; handle(ref: Extract<ResourceRef, { kind: K }>, query: URLSearchParams): Promise<Resource | null> };
}[ResourceKind];

/** Routes a `/files/...` path, parsed by the contract's one parser, to the handler of its kind. */
export function createResourceRouter(handlers: readonly ResourceHandler[]): (path: string) => Promise<Resource | null> {
  const byKind = new Map<ResourceKind, ResourceHandler>();
  for (const h of handlers) {
    if (byKind.has(h.kind)) throw new Error(`resource ${h.kind} is served by two handlers`);
    byKind.set(h.kind, h);
  }
  return async (path) => {
    const ref = parseResourcePath(path);
    const handler = ref ? byKind.get(ref.kind) : undefined;
    if (!ref || !handler) return null;
    const query = new URL(path, 'http://local').searchParams;
    return (handler.handle as (r: ResourceRef, q: URLSearchParams) => Promise<Resource | null>)(ref, query);
  };
}
