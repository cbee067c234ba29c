import type { WindowLevel } from './viewTransform.js';

/**
 * A window expressed relative to an image's own default window: centre offset and width in units of the default
 * width. Linking current and prior through it keeps them comparable when their detectors' value ranges differ
 * (CR/DX values have no common unit, unlike CT's Hounsfield units): widening the current's window by half widens
 * the prior's by half of its own.
 */
export interface RelativeWindow {
  center: number;
  width: number;
}

export function toRelative(w: WindowLevel, base: WindowLevel): RelativeWindow {
  const unit = Math.max(base.width, 1);
  return { center: (w.center - base.center) / unit, width: w.width / unit };
}

export function fromRelative(r: RelativeWindow, base: WindowLevel): WindowLevel {
  const unit = Math.max(base.width, 1);
  return { center: base.center + r.center * unit, width: Math.max(1, r.width * unit) };
}
