import type { z } from 'zod';
import type { FindingSideSchema, LocationReasonSchema } from '../api/analysis.js';
import { PLACE_CRITERIA, type AnatomyRule, type Site } from './anatomyRules.js';
import type { HotRegion, Localisation } from './localize.js';

export type Side = z.infer<typeof FindingSideSchema>;

/** A place the text may name: a side, and a site when the rule names one (null: both sides at different sites). */
export interface Place {
  side: Side;
  site: Site | null;
}

/** Why no place is named, for the AI details appendix. */
export type UnstatedReason = z.infer<typeof LocationReasonSchema>;

export type PlaceDecision = { stated: true; place: Place } | { stated: false; reason: UnstatedReason };

/** The site of one hot region under a rule, or null when the rule does not allow where it lies. */
function siteOf(rule: AnatomyRule, r: HotRegion): Site | null {
  if (rule.place.kind === 'lungZone') return r.zone === 'upper' ? 'upper' : r.zone === 'middle' ? 'mid' : 'base';
  if (rule.place.kind !== 'pleural') return null;
  const site = r.zone === 'upper' ? 'apex' : r.zone === 'lower' ? 'base' : r.lateral ? 'lateral' : null;
  return site && rule.place.sites.includes(site) ? site : null;
}

/**
 * Whether the text may name a place for a finding, and which: the localisation's facts read against the finding's
 * anatomical rule under the criterion of PLACE_CRITERIA (anatomyRules.ts). Anything short of it gives no place.
 */
export function decidePlace(rule: AnatomyRule, loc: Localisation | null): PlaceDecision {
  if (rule.place.kind === 'none') return { stated: false, reason: 'whole_organ' };
  if (!loc) return { stated: false, reason: 'no_map' };
  const f = loc.facts;
  if (f?.version !== 2) return { stated: false, reason: 'old_analysis' };
  if (f.lungField !== 'image') return { stated: false, reason: 'template_lung_field' };
  if (f.peakOnBorder) return { stated: false, reason: 'peak_on_border' };
  if (!f.peakInLungField) return { stated: false, reason: 'outside_lung_field' };
  const parts = f.regions.filter((r) => r.share >= PLACE_CRITERIA.MIN_REGION_SHARE);
  if (!parts.length || parts.some((r) => r.side === 'midline')) return { stated: false, reason: 'sides_unclear' };
  if (parts.some((r) => !r.inLungField)) return { stated: false, reason: 'outside_lung_field' };
  const right = parts.filter((r) => r.side === 'right');
  const left = parts.filter((r) => r.side === 'left');
  if (right.length && left.length) {
    if (!rule.bilateral) return { stated: false, reason: 'sides_unclear' };
    // The largest part on each side decides that side's site.
    const a = siteOf(rule, right[0]!);
    const b = siteOf(rule, left[0]!);
    if (!a || !b) return { stated: false, reason: 'site_not_anatomical' };
    return { stated: true, place: { side: 'both', site: a === b ? a : null } };
  }
  const main = parts[0]!;
  const site = siteOf(rule, main);
  if (!site) return { stated: false, reason: 'site_not_anatomical' };
  return { stated: true, place: { side: main.side as 'right' | 'left', site } };
}
