import { LanguageSchema, type Language } from '../../api/common.js';
import type { AnatomyRule, Site } from '../anatomyRules.js';
import type { Place, UnstatedReason } from '../place.js';
import type { Certainty, Severity } from '../structuredFinding.js';
import type { LabelThreshold } from '../thresholds.js';

export const LANGUAGES = LanguageSchema.options;
export type { Language };

/** A finding's name in one language: singular, plural (for bilateral countable findings) and grammatical gender. */
export interface FindingName {
  sg: string;
  pl: string;
  gender: 'm' | 'f';
}

/** Everything one finding sentence is made of, already decided from the structured finding. */
export interface FindingWords {
  certainty: Certainty;
  name: FindingName;
  /** Plural: a countable finding stated on both sides. */
  plural: boolean;
  rule: AnatomyRule;
  place: Place | null;
  extent: { kind: 'size' | 'spread'; severity: Severity } | null;
}

/** One line of the AI details appendix. */
export interface DetailWords {
  name: string;
  p: string;
  t: string;
  source: LabelThreshold['source'];
  called: Certainty | null;
  place: Place | null;
  unstated: UnstatedReason | null;
}

/** The words of one language. Every sentence is assembled from these and the facts of a structured finding. */
export interface Phrases {
  /** Finding names by label; unknown labels are written from the label itself (underscores as spaces). */
  names: Record<string, FindingName>;
  decimal: string;
  header: (model: string, version: string) => string;
  /** The clinical sentence of a called finding (no numbers: they go to the details appendix). */
  finding: (w: FindingWords) => string;
  /** "No A, B or C." from finding names (singular). */
  negatives: (names: string[]) => string;
  /** Validated findings exist, none was called, none is a pertinent negative. */
  noneCalled: (count: number) => string;
  /** No finding has a validated operating point: the text states nothing. */
  noValidated: string;
  withheld: (reasons: string) => string;
  quality: Record<string, string>;
  /** A stated place in plain words for lists and the details ("right side, base"). */
  place: (place: Place) => string;
  details: {
    title: string;
    line: (d: DetailWords) => string;
  };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const join = (parts: (string | null | false | undefined)[]) => parts.filter(Boolean).join(' ');
/** "a, b or c" with the language's conjunction. */
const list = (items: string[], conj: string) => (items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${conj} ${items[items.length - 1]}`);

/* ---------------------------------------------------------------- English */

const EN_SITE_ONE_SIDE: Record<Site, string> = { upper: 'upper lung', mid: 'midlung', base: 'basilar', apex: 'apical', lateral: 'lateral' };
const EN_SITE_BOTH: Record<Site, string> = { upper: 'bilateral upper lung', mid: 'bilateral midlung', base: 'bibasilar', apex: 'biapical', lateral: 'bilateral lateral' };

function enPlace(rule: AnatomyRule, place: Place): string {
  const named = rule.place.kind === 'lungZone' || (rule.place.kind === 'pleural' && rule.place.nameSite);
  const pleuralBase = rule.place.kind === 'pleural' ? 'basal' : 'basilar';
  const site = named && place.site ? place.site : null;
  if (place.side === 'both') return site ? (site === 'base' && rule.place.kind === 'pleural' ? 'bilateral basal' : EN_SITE_BOTH[site]) : 'bilateral';
  return join([place.side, site ? (site === 'base' ? pleuralBase : EN_SITE_ONE_SIDE[site]) : null]);
}

const EN_EXTENT = {
  size: { small: 'small', moderate: 'moderate', extensive: 'large' },
  spread: { small: 'focal', moderate: '', extensive: 'extensive' },
} as const;

const en: Phrases = {
  names: {
    Atelectasis: { sg: 'atelectasis', pl: 'atelectasis', gender: 'f' },
    Cardiomegaly: { sg: 'cardiomegaly', pl: 'cardiomegaly', gender: 'f' },
    Effusion: { sg: 'pleural effusion', pl: 'pleural effusions', gender: 'm' },
    Infiltration: { sg: 'infiltrate', pl: 'infiltrates', gender: 'm' },
    Mass: { sg: 'mass', pl: 'masses', gender: 'f' },
    Nodule: { sg: 'nodule', pl: 'nodules', gender: 'm' },
    Pneumonia: { sg: 'pneumonia', pl: 'pneumonia', gender: 'f' },
    Pneumothorax: { sg: 'pneumothorax', pl: 'pneumothoraces', gender: 'm' },
    Consolidation: { sg: 'consolidation', pl: 'consolidation', gender: 'f' },
    Edema: { sg: 'pulmonary edema', pl: 'pulmonary edema', gender: 'm' },
    Emphysema: { sg: 'emphysema', pl: 'emphysema', gender: 'm' },
    Fibrosis: { sg: 'fibrosis', pl: 'fibrosis', gender: 'f' },
    Pleural_Thickening: { sg: 'pleural thickening', pl: 'pleural thickening', gender: 'm' },
    Hernia: { sg: 'hiatal hernia', pl: 'hiatal hernia', gender: 'f' },
  },
  decimal: '.',
  header: (m, v) => `AI-generated draft (model ${m}, version ${v}); to be checked and edited by the reader.`,
  finding: (w) =>
    `${join([
      w.certainty === 'probable' ? 'Probable' : 'Possible',
      w.extent ? EN_EXTENT[w.extent.kind][w.extent.severity] : null,
      w.place ? enPlace(w.rule, w.place) : null,
      w.plural ? w.name.pl : w.name.sg,
    ])}.`,
  negatives: (names) => `No ${list(names, 'or')}.`,
  noneCalled: (n) => `No finding called by the AI among the ${n} findings with a validated operating point.`,
  noValidated: 'No AI finding is stated: no finding of this model has a validated operating point.',
  withheld: (r) => `AI findings withheld: ${r}.`,
  quality: {
    lateral_view: 'lateral or oblique view', not_chest: 'not a chest image', not_radiograph: 'not a projection radiograph',
    lateralised: 'single-side image', inverted_polarity: 'image looks inverted', not_frontal_or_rotated: 'image looks rotated or not frontal',
    low_contrast: 'nearly uniform image', too_small: 'image too small to read',
  },
  place: (pl) => `${{ right: 'right side', left: 'left side', both: 'both sides' }[pl.side]}${pl.site ? `, ${EN_SITE_NOUN[pl.site]}` : ''}`,
  details: {
    title: 'AI details',
    line: (d) => {
      const source = { calibration: 'site calibration', pack: 'shipped with the model', default: 'default, not validated' }[d.source];
      const status = d.called ? `called (${d.called})` : 'not called';
      const where = d.place
        ? `; location: ${en.place(d.place)}`
        : d.unstated && d.unstated !== 'whole_organ'
          ? `; location not stated: ${EN_REASON[d.unstated]}`
          : '';
      return `${cap(d.name)}: AI probability ${d.p}, threshold ${d.t} (${source}); ${status}${where}.`;
    },
  },
};
const EN_SITE_NOUN: Record<Site, string> = { upper: 'upper lung', mid: 'midlung', base: 'base', apex: 'apex', lateral: 'lateral chest wall' };
const EN_REASON: Record<UnstatedReason, string> = {
  whole_organ: '',
  no_map: 'no activation map',
  old_analysis: 'analysed before the location rules (analyse again)',
  template_lung_field: 'lung field not found in the image',
  peak_on_border: "the map's maximum lies on its outer edge",
  outside_lung_field: "the map's maximum lies outside the lung field",
  sides_unclear: 'the map does not single out one side',
  site_not_anatomical: "the map's maximum is not where this finding lies",
  localisation_not_validated: "the model's localisation is not validated",
};

/* ------------------------------------------------- French, Spanish, Portuguese */

/** An adjective's four forms: masculine/feminine, singular/plural. */
type Adj = [m: string, f: string, mp: string, fp: string];
const agree = (a: Adj, gender: 'm' | 'f', plural: boolean) => a[(gender === 'f' ? 1 : 0) + (plural ? 2 : 0)]!;

/**
 * The three Romance languages share one sentence shape: certainty, name, adjectives agreeing with the name
 * (side and pleural site, spread), then a lung-zone phrase ("in the right base") and a size phrase.
 */
interface RomanceWords {
  certainty: Record<Certainty, [sg: string, pl: string]>;
  right: Adj;
  left: Adj;
  bilateral: Adj;
  pleuralSite: Record<'apex' | 'lateral' | 'base', Adj>;
  /** Lung-zone phrases: one side (by side), both sides. */
  zone: Record<'upper' | 'mid' | 'base', { right: string; left: string; both: string }>;
  spread: { small: Adj; extensive: Adj };
  size: Record<Severity, string>;
}

function romanceFinding(r: RomanceWords, w: FindingWords): string {
  const g = w.name.gender;
  const pl = w.plural;
  // Spread first ("condensation focale de la base droite"), then the pleural site and the side ("pneumothorax apical droit").
  const adjs: string[] = [];
  if (w.extent?.kind === 'spread' && w.extent.severity !== 'moderate') adjs.push(agree(r.spread[w.extent.severity === 'small' ? 'small' : 'extensive'], g, pl));
  let zone: string | null = null;
  if (w.place) {
    const { side, site } = w.place;
    const sideAdj = side === 'both' ? r.bilateral : side === 'right' ? r.right : r.left;
    if (w.rule.place.kind === 'lungZone' && site && site !== 'apex' && site !== 'lateral') {
      zone = r.zone[site][side];
    } else {
      const siteNamed = w.rule.place.kind === 'pleural' && w.rule.place.nameSite && site && site !== 'upper' && site !== 'mid';
      if (siteNamed) adjs.push(agree(r.pleuralSite[site], g, pl));
      adjs.push(agree(sideAdj, g, pl));
    }
  }
  const size = w.extent?.kind === 'size' ? r.size[w.extent.severity] : null;
  return `${join([r.certainty[w.certainty][pl ? 1 : 0], pl ? w.name.pl : w.name.sg, ...adjs, zone, size])}.`;
}

const FR_SITE_NOUN: Record<Site, string> = { upper: 'champ supérieur', mid: 'champ moyen', base: 'base', apex: 'apex', lateral: 'paroi latérale' };
const FR_REASON: Record<UnstatedReason, string> = {
  whole_organ: '',
  no_map: "pas de carte d'activation",
  old_analysis: 'analyse antérieure aux règles de localisation (relancer l’analyse)',
  template_lung_field: "champ pulmonaire non trouvé dans l'image",
  peak_on_border: 'le maximum de la carte est sur son bord',
  outside_lung_field: 'le maximum de la carte est hors du champ pulmonaire',
  sides_unclear: "la carte ne désigne pas un côté",
  site_not_anatomical: "le maximum de la carte n'est pas là où siège cette anomalie",
  localisation_not_validated: "la localisation du modèle n'est pas validée",
};
const FR: RomanceWords = {
  certainty: { probable: ['Probable', 'Probables'], possible: ['Possible', 'Possibles'] },
  right: ['droit', 'droite', 'droits', 'droites'],
  left: ['gauche', 'gauche', 'gauches', 'gauches'],
  bilateral: ['bilatéral', 'bilatérale', 'bilatéraux', 'bilatérales'],
  pleuralSite: {
    apex: ['apical', 'apicale', 'apicaux', 'apicales'],
    lateral: ['latéral', 'latérale', 'latéraux', 'latérales'],
    base: ['basal', 'basale', 'basaux', 'basales'],
  },
  zone: {
    upper: { right: 'du champ pulmonaire supérieur droit', left: 'du champ pulmonaire supérieur gauche', both: 'des deux champs pulmonaires supérieurs' },
    mid: { right: 'du champ pulmonaire moyen droit', left: 'du champ pulmonaire moyen gauche', both: 'des deux champs pulmonaires moyens' },
    base: { right: 'de la base droite', left: 'de la base gauche', both: 'des deux bases' },
  },
  spread: { small: ['focal', 'focale', 'focaux', 'focales'], extensive: ['étendu', 'étendue', 'étendus', 'étendues'] },
  size: { small: 'de faible abondance', moderate: "d'abondance modérée", extensive: 'de grande abondance' },
};
/** "de" before a consonant (and the aspirated h of "hernie"), "d'" before a vowel. */
const frDe = (noun: string) => (/^[aeiouyàâéèêëîïôœù]/i.test(noun) ? `d'${noun}` : `de ${noun}`);

const fr: Phrases = {
  names: {
    Atelectasis: { sg: 'atélectasie', pl: 'atélectasies', gender: 'f' },
    Cardiomegaly: { sg: 'cardiomégalie', pl: 'cardiomégalie', gender: 'f' },
    Effusion: { sg: 'épanchement pleural', pl: 'épanchements pleuraux', gender: 'm' },
    Infiltration: { sg: 'infiltrat', pl: 'infiltrats', gender: 'm' },
    Mass: { sg: 'masse', pl: 'masses', gender: 'f' },
    Nodule: { sg: 'nodule', pl: 'nodules', gender: 'm' },
    Pneumonia: { sg: 'pneumopathie', pl: 'pneumopathies', gender: 'f' },
    Pneumothorax: { sg: 'pneumothorax', pl: 'pneumothorax', gender: 'm' },
    Consolidation: { sg: 'condensation', pl: 'condensations', gender: 'f' },
    Edema: { sg: 'œdème pulmonaire', pl: 'œdème pulmonaire', gender: 'm' },
    Emphysema: { sg: 'emphysème', pl: 'emphysème', gender: 'm' },
    Fibrosis: { sg: 'fibrose', pl: 'fibrose', gender: 'f' },
    Pleural_Thickening: { sg: 'épaississement pleural', pl: 'épaississements pleuraux', gender: 'm' },
    Hernia: { sg: 'hernie hiatale', pl: 'hernie hiatale', gender: 'f' },
  },
  decimal: ',',
  header: (m, v) => `Brouillon généré par IA (modèle ${m}, version ${v}) ; à vérifier et corriger par le lecteur.`,
  finding: (w) => romanceFinding(FR, w),
  negatives: (names) => `Pas ${list(names.map(frDe), 'ni')}.`,
  noneCalled: (n) => `Aucune anomalie retenue par l'IA parmi les ${n} anomalies dotées d'un seuil validé.`,
  noValidated: "Aucun résultat IA n'est énoncé : aucune anomalie de ce modèle n'a de seuil validé.",
  withheld: (r) => `Résultats IA non affichés : ${r}.`,
  quality: {
    lateral_view: 'incidence de profil ou oblique', not_chest: 'pas une image thoracique', not_radiograph: 'pas une radiographie de projection',
    lateralised: "image d'un seul côté", inverted_polarity: 'image apparemment inversée', not_frontal_or_rotated: 'image apparemment tournée ou non frontale',
    low_contrast: 'image presque uniforme', too_small: 'image trop petite pour être lue',
  },
  place: (pl) => `${{ right: 'côté droit', left: 'côté gauche', both: 'des deux côtés' }[pl.side]}${pl.site ? `, ${FR_SITE_NOUN[pl.site]}` : ''}`,
  details: {
    title: 'Détails IA',
    line: (d) => {
      const source = { calibration: 'calibration du site', pack: 'fourni avec le modèle', default: 'par défaut, non validé' }[d.source];
      const status = d.called ? `retenu (${d.called === 'probable' ? 'probable' : 'possible'})` : 'non retenu';
      const where = d.place
        ? ` ; localisation : ${fr.place(d.place)}`
        : d.unstated && d.unstated !== 'whole_organ'
          ? ` ; localisation non indiquée : ${FR_REASON[d.unstated]}`
          : '';
      return `${cap(d.name)} : probabilité IA ${d.p}, seuil ${d.t} (${source}) ; ${status}${where}.`;
    },
  },
};

const ES_SITE_NOUN: Record<Site, string> = { upper: 'campo superior', mid: 'campo medio', base: 'base', apex: 'vértice', lateral: 'pared lateral' };
const ES_REASON: Record<UnstatedReason, string> = {
  whole_organ: '',
  no_map: 'sin mapa de activación',
  old_analysis: 'análisis anterior a las reglas de localización (repetir el análisis)',
  template_lung_field: 'campo pulmonar no encontrado en la imagen',
  peak_on_border: 'el máximo del mapa está en su borde',
  outside_lung_field: 'el máximo del mapa está fuera del campo pulmonar',
  sides_unclear: 'el mapa no señala un lado',
  site_not_anatomical: 'el máximo del mapa no está donde se localiza este hallazgo',
  localisation_not_validated: 'la localización del modelo no está validada',
};
const ES: RomanceWords = {
  certainty: { probable: ['Probable', 'Probables'], possible: ['Posible', 'Posibles'] },
  right: ['derecho', 'derecha', 'derechos', 'derechas'],
  left: ['izquierdo', 'izquierda', 'izquierdos', 'izquierdas'],
  bilateral: ['bilateral', 'bilateral', 'bilaterales', 'bilaterales'],
  pleuralSite: {
    apex: ['apical', 'apical', 'apicales', 'apicales'],
    lateral: ['lateral', 'lateral', 'laterales', 'laterales'],
    base: ['basal', 'basal', 'basales', 'basales'],
  },
  zone: {
    upper: { right: 'en el campo pulmonar superior derecho', left: 'en el campo pulmonar superior izquierdo', both: 'en ambos campos pulmonares superiores' },
    mid: { right: 'en el campo pulmonar medio derecho', left: 'en el campo pulmonar medio izquierdo', both: 'en ambos campos pulmonares medios' },
    base: { right: 'en la base derecha', left: 'en la base izquierda', both: 'en ambas bases' },
  },
  spread: { small: ['focal', 'focal', 'focales', 'focales'], extensive: ['extenso', 'extensa', 'extensos', 'extensas'] },
  size: { small: 'de pequeño tamaño', moderate: 'de tamaño moderado', extensive: 'de gran tamaño' },
};

const es: Phrases = {
  names: {
    Atelectasis: { sg: 'atelectasia', pl: 'atelectasias', gender: 'f' },
    Cardiomegaly: { sg: 'cardiomegalia', pl: 'cardiomegalia', gender: 'f' },
    Effusion: { sg: 'derrame pleural', pl: 'derrames pleurales', gender: 'm' },
    Infiltration: { sg: 'infiltrado', pl: 'infiltrados', gender: 'm' },
    Mass: { sg: 'masa', pl: 'masas', gender: 'f' },
    Nodule: { sg: 'nódulo', pl: 'nódulos', gender: 'm' },
    Pneumonia: { sg: 'neumonía', pl: 'neumonías', gender: 'f' },
    Pneumothorax: { sg: 'neumotórax', pl: 'neumotórax', gender: 'm' },
    Consolidation: { sg: 'consolidación', pl: 'consolidaciones', gender: 'f' },
    Edema: { sg: 'edema pulmonar', pl: 'edema pulmonar', gender: 'm' },
    Emphysema: { sg: 'enfisema', pl: 'enfisema', gender: 'm' },
    Fibrosis: { sg: 'fibrosis', pl: 'fibrosis', gender: 'f' },
    Pleural_Thickening: { sg: 'engrosamiento pleural', pl: 'engrosamientos pleurales', gender: 'm' },
    Hernia: { sg: 'hernia de hiato', pl: 'hernia de hiato', gender: 'f' },
  },
  decimal: ',',
  header: (m, v) => `Borrador generado por IA (modelo ${m}, versión ${v}); debe ser revisado y corregido por el lector.`,
  finding: (w) => romanceFinding(ES, w),
  negatives: (names) => `Sin ${list(names, 'ni')}.`,
  noneCalled: (n) => `La IA no señala ningún hallazgo entre los ${n} hallazgos con un umbral validado.`,
  noValidated: 'No se enuncia ningún hallazgo de IA: ningún hallazgo de este modelo tiene un umbral validado.',
  withheld: (r) => `Hallazgos de IA no mostrados: ${r}.`,
  quality: {
    lateral_view: 'proyección lateral u oblicua', not_chest: 'no es una imagen de tórax', not_radiograph: 'no es una radiografía de proyección',
    lateralised: 'imagen de un solo lado', inverted_polarity: 'la imagen parece invertida', not_frontal_or_rotated: 'la imagen parece girada o no frontal',
    low_contrast: 'imagen casi uniforme', too_small: 'imagen demasiado pequeña para leerla',
  },
  place: (pl) => `${{ right: 'lado derecho', left: 'lado izquierdo', both: 'ambos lados' }[pl.side]}${pl.site ? `, ${ES_SITE_NOUN[pl.site]}` : ''}`,
  details: {
    title: 'Detalles de la IA',
    line: (d) => {
      const source = { calibration: 'calibración del centro', pack: 'incluido con el modelo', default: 'por defecto, no validado' }[d.source];
      const status = d.called ? `señalado (${d.called === 'probable' ? 'probable' : 'posible'})` : 'no señalado';
      const where = d.place
        ? `; localización: ${es.place(d.place)}`
        : d.unstated && d.unstated !== 'whole_organ'
          ? `; localización no indicada: ${ES_REASON[d.unstated]}`
          : '';
      return `${cap(d.name)}: probabilidad IA ${d.p}, umbral ${d.t} (${source}); ${status}${where}.`;
    },
  },
};

const PT_SITE_NOUN: Record<Site, string> = { upper: 'campo superior', mid: 'campo médio', base: 'base', apex: 'ápice', lateral: 'parede lateral' };
const PT_REASON: Record<UnstatedReason, string> = {
  whole_organ: '',
  no_map: 'sem mapa de ativação',
  old_analysis: 'análise anterior às regras de localização (repetir a análise)',
  template_lung_field: 'campo pulmonar não encontrado na imagem',
  peak_on_border: 'o máximo do mapa está na sua borda',
  outside_lung_field: 'o máximo do mapa está fora do campo pulmonar',
  sides_unclear: 'o mapa não indica um lado',
  site_not_anatomical: 'o máximo do mapa não está onde este achado se localiza',
  localisation_not_validated: 'a localização do modelo não está validada',
};
const PT: RomanceWords = {
  certainty: { probable: ['Provável', 'Prováveis'], possible: ['Possível', 'Possíveis'] },
  right: ['direito', 'direita', 'direitos', 'direitas'],
  left: ['esquerdo', 'esquerda', 'esquerdos', 'esquerdas'],
  bilateral: ['bilateral', 'bilateral', 'bilaterais', 'bilaterais'],
  pleuralSite: {
    apex: ['apical', 'apical', 'apicais', 'apicais'],
    lateral: ['lateral', 'lateral', 'laterais', 'laterais'],
    base: ['basal', 'basal', 'basais', 'basais'],
  },
  zone: {
    upper: { right: 'no campo pulmonar superior direito', left: 'no campo pulmonar superior esquerdo', both: 'em ambos os campos pulmonares superiores' },
    mid: { right: 'no campo pulmonar médio direito', left: 'no campo pulmonar médio esquerdo', both: 'em ambos os campos pulmonares médios' },
    base: { right: 'na base direita', left: 'na base esquerda', both: 'em ambas as bases' },
  },
  spread: { small: ['focal', 'focal', 'focais', 'focais'], extensive: ['extenso', 'extensa', 'extensos', 'extensas'] },
  size: { small: 'de pequeno volume', moderate: 'de volume moderado', extensive: 'de grande volume' },
};

const pt: Phrases = {
  names: {
    Atelectasis: { sg: 'atelectasia', pl: 'atelectasias', gender: 'f' },
    Cardiomegaly: { sg: 'cardiomegalia', pl: 'cardiomegalia', gender: 'f' },
    Effusion: { sg: 'derrame pleural', pl: 'derrames pleurais', gender: 'm' },
    Infiltration: { sg: 'infiltrado', pl: 'infiltrados', gender: 'm' },
    Mass: { sg: 'massa', pl: 'massas', gender: 'f' },
    Nodule: { sg: 'nódulo', pl: 'nódulos', gender: 'm' },
    Pneumonia: { sg: 'pneumonia', pl: 'pneumonias', gender: 'f' },
    Pneumothorax: { sg: 'pneumotórax', pl: 'pneumotórax', gender: 'm' },
    Consolidation: { sg: 'consolidação', pl: 'consolidações', gender: 'f' },
    Edema: { sg: 'edema pulmonar', pl: 'edema pulmonar', gender: 'm' },
    Emphysema: { sg: 'enfisema', pl: 'enfisema', gender: 'm' },
    Fibrosis: { sg: 'fibrose', pl: 'fibrose', gender: 'f' },
    Pleural_Thickening: { sg: 'espessamento pleural', pl: 'espessamentos pleurais', gender: 'm' },
    Hernia: { sg: 'hérnia de hiato', pl: 'hérnia de hiato', gender: 'f' },
  },
  decimal: ',',
  header: (m, v) => `Rascunho gerado por IA (modelo ${m}, versão ${v}); deve ser revisto e corrigido pelo leitor.`,
  finding: (w) => romanceFinding(PT, w),
  negatives: (names) => `Sem ${list(names, 'ou')}.`,
  noneCalled: (n) => `Nenhum achado indicado pela IA entre os ${n} achados com limiar validado.`,
  noValidated: 'Nenhum achado de IA é enunciado: nenhum achado deste modelo tem um limiar validado.',
  withheld: (r) => `Achados de IA não exibidos: ${r}.`,
  quality: {
    lateral_view: 'incidência lateral ou oblíqua', not_chest: 'não é uma imagem de tórax', not_radiograph: 'não é uma radiografia de projeção',
    lateralised: 'imagem de um só lado', inverted_polarity: 'a imagem parece invertida', not_frontal_or_rotated: 'a imagem parece rodada ou não frontal',
    low_contrast: 'imagem quase uniforme', too_small: 'imagem pequena demais para ser lida',
  },
  place: (pl) => `${{ right: 'lado direito', left: 'lado esquerdo', both: 'ambos os lados' }[pl.side]}${pl.site ? `, ${PT_SITE_NOUN[pl.site]}` : ''}`,
  details: {
    title: 'Detalhes da IA',
    line: (d) => {
      const source = { calibration: 'calibração do serviço', pack: 'fornecido com o modelo', default: 'padrão, não validado' }[d.source];
      const status = d.called ? `indicado (${d.called === 'probable' ? 'provável' : 'possível'})` : 'não indicado';
      const where = d.place
        ? `; localização: ${pt.place(d.place)}`
        : d.unstated && d.unstated !== 'whole_organ'
          ? `; localização não indicada: ${PT_REASON[d.unstated]}`
          : '';
      return `${cap(d.name)}: probabilidade IA ${d.p}, limiar ${d.t} (${source}); ${status}${where}.`;
    },
  },
};

export const PHRASES: Record<Language, Phrases> = { en, fr, es, pt };
