/** A served file: bytes and content type. Both transports (custom protocol, HTTP GET) answer with this. */
export interface Resource {
  contentType: string;
  body: Buffer;
  /** Extra headers, e.g. the pixel format of a raw pixel buffer. */
  headers?: Record<string, string>;
}

export interface ResourceHandler {
  /** e.g. `/files/instances/`; the longest matching prefix wins. */
  prefix: string;
  /** `rest` is the path after the prefix; answers null when there is no such resource (404). */
  handle(rest: string, query: URLSearchParams): Promise<Resource | null>;
}

/**
 * Routes a `/files/...` path to the handler with the longest matching prefix. Refuses `..` after decoding, so no
 * handler ever sees a path that climbs out of its folder.
 */
export function createResourceRouter(handlers: readonly ResourceHandler[]): (path: string) => Promise<Resource | null> {
  const sorted = [...handlers].sort((a, b) => b.prefix.length - a.prefix.length);
  return async (path) => {
    const url = new URL(path, 'http://local');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return null; // malformed percent-encoding
    }
    if (pathname.includes('..')) return null;
    const handler = sorted.find((h) => pathname.startsWith(h.prefix));
    return handler ? handler.handle(pathname.slice(handler.prefix.length), url.searchParams) : null;
  };
}
