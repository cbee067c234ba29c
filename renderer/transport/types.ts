import type { CoreTransport } from '../../main/api/transport.js';

/** What the renderer uses to reach the core: typed calls and events, and URLs for pixels, thumbnails and files. */
export interface Transport extends CoreTransport {
  /** Which transport was chosen at start. */
  readonly kind: 'electron' | 'bridge';
  /** A URL for a `/files/...` resource path that an <img>, fetch() or canvas loader can use as is. */
  resourceUrl(path: string): string;
}
