import { useEffect, useState } from 'react';
import { decodePixels, type PixelHeader } from '../../main/api/pixelFormat.js';
import { parseResourcePath, resourcePaths } from '../../main/api/resources.js';
import type { CoreClient } from '../app/coreClient.js';

/** Decoded stored values of one image, as served at `/files/instances/<id>/pixels`. */
export interface LoadedPixels {
  header: PixelHeader;
  stored: Uint16Array;
}

// A few recent images stay decoded so going back to a study (or its prior) does not fetch again.
const cache = new Map<string, Promise<LoadedPixels>>();
const CACHE_SIZE = 4;

/** Fetches and decodes an image's pixels; the promise is shared by concurrent callers of the same URL. */
export function loadPixels(client: CoreClient, resourcePath: string): Promise<LoadedPixels> {
  const url = client.resourceUrl(resourcePath);
  let entry = cache.get(url);
  if (entry) {
    cache.delete(url);
    cache.set(url, entry);
    return entry;
  }
  entry = fetch(url).then(async (res) => {
    if (!res.ok) throw new Error(`${resourcePath}: HTTP ${res.status} ${await res.text().catch(() => '')}`.trim());
    const bytes = await res.arrayBuffer();
    // Marks for the viewer benchmark's breakdown (fetch, decode, first draw).
    performance.mark('cxr:pixels-fetched', { detail: resourcePath });
    const decoded = decodePixels(bytes);
    performance.mark('cxr:pixels-decoded', { detail: resourcePath });
    return decoded;
  });
  entry.catch(() => cache.delete(url));
  cache.set(url, entry);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return entry;
}

export type PixelState = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; pixels: LoadedPixels } | { status: 'error'; message: string };

/** React binding of {@link loadPixels}; `null` path means nothing to show. */
export function usePixels(client: CoreClient, resourcePath: string | null): PixelState {
  const [state, setState] = useState<PixelState>({ status: 'idle' });
  useEffect(() => {
    if (!resourcePath) {
      setState({ status: 'idle' });
      return;
    }
    let stale = false;
    setState({ status: 'loading' });
    loadPixels(client, resourcePath).then(
      (pixels) => !stale && setState({ status: 'ready', pixels }),
      (err: unknown) => !stale && setState({ status: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      stale = true;
    };
  }, [client, resourcePath]);
  return state;
}

/**
 * Starts fetching the first image of a worklist row as the row is opened, in parallel with `studies:get`, so the
 * viewer finds the bytes already on their way (the in-flight promise is shared through the cache). The row names its
 * first image by its thumbnail; the contract's parser says which instance that is.
 */
export function prefetchFromThumbnail(client: CoreClient, thumbnail: string | null): void {
  const ref = thumbnail ? parseResourcePath(thumbnail) : null;
  if (ref?.kind === 'thumbnail') void loadPixels(client, resourcePaths.pixels(ref.instanceId)).catch(() => undefined);
}
