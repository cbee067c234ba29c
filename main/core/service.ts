import type { CoreApi } from '../api/contract.js';
import type { ResourceHandler } from '../platform/resources.js';

/**
 * A service implements the operations of one domain. The composition root (main/createCore.ts) builds each one with
 * exactly what it needs and merges them into one CoreApi; a name implemented twice, or not at all, is an error there.
 */
export type Service = Partial<CoreApi> & {
  /** Files this domain serves by URL (thumbnails, pixels, heatmaps, exports), keyed by path prefix. */
  resources?: ResourceHandler[];
  dispose?: () => Promise<void> | void;
};
