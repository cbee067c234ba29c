import { LanguageSchema, type Language } from '../../api/common.js';
import type { Laterality, Zone } from '../localize.js';
import type { Certainty, Severity } from '../structuredFinding.js';

export const LANGUAGES = LanguageSchema.options;
export type { Language };

/** The words of one language. Every sentence is assembled from these and the numbers of a structured finding. */
export interface Phrases {
  /** Finding names by label; unknown labels are written from the label itself (underscores as spaces). */
  findings: Record<string, string>;
  decimal: string;
  percent: (n: number) => string;
  header: (model: string, version: string) => string;
  /** Certainty and name, in the order the language puts them. */
  named: (certainty: Certainty, finding: string) => string;
  side: Record<'right' | 'left', string>;
  zone: (zone: Zone, sideWord: string) => string;
  bilateral: (zone: Zone) => string;
  mediastinum: string;
  diaphragm: (laterality: Laterality) => string;
  severity: Record<Severity, string>;
  evidence: (p: string, t: string, extent: string | null) => string;
  normal: (count: number, top: { finding: string; p: string; t: string } | null) => string;
  withheld: (reasons: string) => string;
  quality: Record<string, string>;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const PHRASES: Record<Language, Phrases> = {
  en: {
    findings: {
      Atelectasis: 'atelectasis', Cardiomegaly: 'cardiomegaly', Effusion: 'pleural effusion', Infiltration: 'infiltrate', Mass: 'mass',
      Nodule: 'nodule', Pneumonia: 'pneumonia', Pneumothorax: 'pneumothorax', Consolidation: 'consolidation', Edema: 'pulmonary edema',
      Emphysema: 'emphysema', Fibrosis: 'fibrosis', Pleural_Thickening: 'pleural thickening', Hernia: 'hiatal hernia',
    },
    decimal: '.',
    percent: (n) => `${n}%`,
    header: (m, v) => `AI-generated draft (model ${m}, version ${v}); to be checked and edited by the reader.`,
    named: (c, f) => `${c === 'probable' ? 'Probable' : 'Possible'} ${f}`,
    side: { right: 'right', left: 'left' },
    zone: (z, s) => ` in the ${s} ${z} zone`,
    bilateral: (z) => `, bilateral, most marked in the ${z} zones`,
    mediastinum: ' in the mediastinum',
    diaphragm: (l) => (l === 'bilateral' ? ' at the diaphragm' : ` at the ${l} hemidiaphragm`),
    severity: { small: ', small extent', moderate: ', moderate extent', extensive: ', extensive' },
    evidence: (p, t, e) => ` (${e ? `about ${e} of the lung field; ` : ''}AI probability ${p}, threshold ${t})`,
    normal: (n, top) =>
      `No finding above its operating threshold among the ${n} findings assessed${top ? ` (highest: ${top.finding}, AI probability ${top.p}, threshold ${top.t})` : ''}.`,
    withheld: (r) => `AI findings withheld: ${r}.`,
    quality: {
      lateral_view: 'lateral or oblique view', not_chest: 'not a chest image', not_radiograph: 'not a projection radiograph',
      lateralised: 'single-side image', inverted_polarity: 'image looks inverted', not_frontal_or_rotated: 'image looks rotated or not frontal',
      low_contrast: 'nearly uniform image',
    },
  },
  fr: {
    findings: {
      Atelectasis: 'atélectasie', Cardiomegaly: 'cardiomégalie', Effusion: 'épanchement pleural', Infiltration: 'infiltrat', Mass: 'masse',
      Nodule: 'nodule', Pneumonia: 'pneumopathie', Pneumothorax: 'pneumothorax', Consolidation: 'condensation', Edema: 'œdème pulmonaire',
      Emphysema: 'emphysème', Fibrosis: 'fibrose', Pleural_Thickening: 'épaississement pleural', Hernia: 'hernie hiatale',
    },
    decimal: ',',
    percent: (n) => `${n} %`,
    header: (m, v) => `Brouillon généré par IA (modèle ${m}, version ${v}) ; à vérifier et corriger par le lecteur.`,
    named: (c, f) => `${cap(f)} ${c === 'probable' ? 'probable' : 'possible'}`,
    side: { right: 'droite', left: 'gauche' },
    zone: (z, s) => ` dans la zone ${{ upper: 'supérieure', middle: 'moyenne', lower: 'inférieure' }[z]} ${s}`,
    bilateral: (z) => `, des deux côtés, à prédominance dans les zones ${{ upper: 'supérieures', middle: 'moyennes', lower: 'inférieures' }[z]}`,
    mediastinum: ' dans le médiastin',
    diaphragm: (l) => (l === 'bilateral' ? ' au niveau du diaphragme' : ` au niveau de la coupole diaphragmatique ${l === 'right' ? 'droite' : 'gauche'}`),
    severity: { small: ', de petite étendue', moderate: ", d'étendue modérée", extensive: ", d'étendue importante" },
    evidence: (p, t, e) => ` (${e ? `environ ${e} du champ pulmonaire ; ` : ''}probabilité IA ${p}, seuil ${t})`,
    normal: (n, top) =>
      `Aucune anomalie au-dessus de son seuil parmi les ${n} anomalies évaluées${top ? ` (la plus élevée : ${top.finding}, probabilité IA ${top.p}, seuil ${top.t})` : ''}.`,
    withheld: (r) => `Résultats IA non affichés : ${r}.`,
    quality: {
      lateral_view: 'incidence de profil ou oblique', not_chest: "pas une image thoracique", not_radiograph: 'pas une radiographie de projection',
      lateralised: "image d'un seul côté", inverted_polarity: 'image apparemment inversée', not_frontal_or_rotated: 'image apparemment tournée ou non frontale',
      low_contrast: 'image presque uniforme',
    },
  },
  es: {
    findings: {
      Atelectasis: 'atelectasia', Cardiomegaly: 'cardiomegalia', Effusion: 'derrame pleural', Infiltration: 'infiltrado', Mass: 'masa',
      Nodule: 'nódulo', Pneumonia: 'neumonía', Pneumothorax: 'neumotórax', Consolidation: 'consolidación', Edema: 'edema pulmonar',
      Emphysema: 'enfisema', Fibrosis: 'fibrosis', Pleural_Thickening: 'engrosamiento pleural', Hernia: 'hernia de hiato',
    },
    decimal: ',',
    percent: (n) => `${n} %`,
    header: (m, v) => `Borrador generado por IA (modelo ${m}, versión ${v}); debe ser revisado y corregido por el lector.`,
    named: (c, f) => `${c === 'probable' ? 'Probable' : 'Posible'} ${f}`,
    side: { right: 'derecha', left: 'izquierda' },
    zone: (z, s) => ` en la zona ${{ upper: 'superior', middle: 'media', lower: 'inferior' }[z]} ${s}`,
    bilateral: (z) => `, en ambos lados, con predominio en las zonas ${{ upper: 'superiores', middle: 'medias', lower: 'inferiores' }[z]}`,
    mediastinum: ' en el mediastino',
    diaphragm: (l) => (l === 'bilateral' ? ' en el diafragma' : ` en el hemidiafragma ${l === 'right' ? 'derecho' : 'izquierdo'}`),
    severity: { small: ', de pequeña extensión', moderate: ', de extensión moderada', extensive: ', de gran extensión' },
    evidence: (p, t, e) => ` (${e ? `aproximadamente ${e} del campo pulmonar; ` : ''}probabilidad IA ${p}, umbral ${t})`,
    normal: (n, top) =>
      `Ningún hallazgo por encima de su umbral entre los ${n} hallazgos evaluados${top ? ` (el más alto: ${top.finding}, probabilidad IA ${top.p}, umbral ${top.t})` : ''}.`,
    withheld: (r) => `Hallazgos de IA no mostrados: ${r}.`,
    quality: {
      lateral_view: 'proyección lateral u oblicua', not_chest: 'no es una imagen de tórax', not_radiograph: 'no es una radiografía de proyección',
      lateralised: 'imagen de un solo lado', inverted_polarity: 'la imagen parece invertida', not_frontal_or_rotated: 'la imagen parece girada o no frontal',
      low_contrast: 'imagen casi uniforme',
    },
  },
  pt: {
    findings: {
      Atelectasis: 'atelectasia', Cardiomegaly: 'cardiomegalia', Effusion: 'derrame pleural', Infiltration: 'infiltrado', Mass: 'massa',
      Nodule: 'nódulo', Pneumonia: 'pneumonia', Pneumothorax: 'pneumotórax', Consolidation: 'consolidação', Edema: 'edema pulmonar',
      Emphysema: 'enfisema', Fibrosis: 'fibrose', Pleural_Thickening: 'espessamento pleural', Hernia: 'hérnia de hiato',
    },
    decimal: ',',
    percent: (n) => `${n}%`,
    header: (m, v) => `Rascunho gerado por IA (modelo ${m}, versão ${v}); deve ser revisto e corrigido pelo leitor.`,
    named: (c, f) => `${c === 'probable' ? 'Provável' : 'Possível'} ${f}`,
    side: { right: 'direita', left: 'esquerda' },
    zone: (z, s) => ` na zona ${{ upper: 'superior', middle: 'média', lower: 'inferior' }[z]} ${s}`,
    bilateral: (z) => `, em ambos os lados, com predomínio nas zonas ${{ upper: 'superiores', middle: 'médias', lower: 'inferiores' }[z]}`,
    mediastinum: ' no mediastino',
    diaphragm: (l) => (l === 'bilateral' ? ' no diafragma' : ` na hemicúpula diafragmática ${l === 'right' ? 'direita' : 'esquerda'}`),
    severity: { small: ', de pequena extensão', moderate: ', de extensão moderada', extensive: ', de grande extensão' },
    evidence: (p, t, e) => ` (${e ? `cerca de ${e} do campo pulmonar; ` : ''}probabilidade IA ${p}, limiar ${t})`,
    normal: (n, top) =>
      `Nenhum achado acima do seu limiar entre os ${n} achados avaliados${top ? ` (o mais alto: ${top.finding}, probabilidade IA ${top.p}, limiar ${top.t})` : ''}.`,
    withheld: (r) => `Achados de IA não exibidos: ${r}.`,
    quality: {
      lateral_view: 'incidência lateral ou oblíqua', not_chest: 'não é uma imagem de tórax', not_radiograph: 'não é uma radiografia de projeção',
      lateralised: 'imagem de um só lado', inverted_polarity: 'a imagem parece invertida', not_frontal_or_rotated: 'a imagem parece rodada ou não frontal',
      low_contrast: 'imagem quase uniforme',
    },
  },
};
