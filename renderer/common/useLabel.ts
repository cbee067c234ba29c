import { useTranslation } from 'react-i18next';
import { labelKey } from './findingLabels.js';

/** Translates a finding label when it is a known one; model packs may bring others, shown as they come. */
export function useLabel(): (label: string) => string {
  const { t } = useTranslation();
  return (label) => {
    const key = labelKey(label);
    return key ? t(key) : label.replace(/_/g, ' ');
  };
}
