import type { CoreApi } from '../api/contract.js';
import type { DbHandle } from '../db/connection.js';
import type { EventBus } from './eventBus.js';
import type { JobRunner } from './jobRunner.js';

export interface CoreConfig {
  /** Where the index, thumbnails, heatmaps and exports live (one folder a site can back up). */
  dataDir: string;
  /** Folders searched for model packs, in order (the repo's models/ first, then the per-user folder). */
  modelsDirs: string[];
}

/** What every service receives from the composition root. */
export interface CoreContext {
  readonly config: CoreConfig;
  readonly db: DbHandle;
  readonly events: EventBus;
  readonly jobs: JobRunner;
}

/**
 * A service implements the operations of one domain. createCore merges them into one CoreApi; a name implemented
 * twice is an error there.
 */
export type Service = Partial<CoreApi> & {
  /** Files this domain serves by URL (thumbnails, pixels, heatmaps, exports), keyed by path prefix. */
  resources?: ResourceHandler[];
  dispose?: () => Promise<void> | void;
};

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
export type ServiceFactory = (ctx: CoreContext) => Service;
