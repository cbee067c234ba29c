/**
 * The ChestX-ray14 labels the model packs and the NIH reference files use, in the packs' order. The worklist's
 * finding filter offers them, and the UI translates each through `labels.<name>` (unknown labels are shown as is).
 */
export const FINDING_LABELS = [
  'Atelectasis',
  'Cardiomegaly',
  'Effusion',
  'Infiltration',
  'Mass',
  'Nodule',
  'Pneumonia',
  'Pneumothorax',
  'Consolidation',
  'Edema',
  'Emphysema',
  'Fibrosis',
  'Pleural_Thickening',
  'Hernia',
] as const;

/** i18n key of a finding label, or null when it is not one we translate. */
export function labelKey(label: string): string | null {
  return (FINDING_LABELS as readonly string[]).includes(label) ? `labels.${label}` : null;
}
