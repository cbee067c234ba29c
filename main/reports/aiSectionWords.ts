import type { AiDecision, ReportLanguage } from '../api/reports.js';

/** The words of the generated AI section, per report language (numbers and names are filled in by aiSection.ts). */
export interface AiSectionWords {
  title: string;
  notUsed: string;
  model: (title: string, idVersion: string) => string;
  intendedUse: (text: string) => string;
  noIntendedUse: string;
  image: (n: number, analysedAt: string, thresholds: string) => string;
  withheld: (reason: string) => string;
  shown: (list: string) => string;
  noneCalled: string;
  reader: string;
  decisions: Record<AiDecision, string>;
  none: string;
  certainty: { probable: string; possible: string };
  side: { right: string; left: string; bilateral: string };
  frozen: (at: string) => string;
  live: string;
  notAnalysed: (n: number) => string;
  details: string;
  detail: (label: string, p: string, t: string, source: string, called: boolean) => string;
  noThreshold: string;
}

const en: AiSectionWords = {
  title: 'AI decision support',
  notUsed: 'Not used: no image of this study was analysed by the AI.',
  model: (t, iv) => `Model: ${t} (${iv}).`,
  intendedUse: (x) => `Intended use, from the model pack: "${x}"`,
  noIntendedUse: 'Intended use: not stated by the model pack.',
  image: (n, at, th) => `Image ${n}: analysed ${at}, operating points: ${th}.`,
  withheld: (r) => `No findings shown (quality/view check): ${r}.`,
  shown: (l) => `Findings shown to the reader: ${l}.`,
  noneCalled: 'No finding was called.',
  reader: 'Reader',
  decisions: { accepted: 'accepted', edited: 'edited', rejected: 'rejected', unreviewed: 'not reviewed' },
  none: 'none',
  certainty: { probable: 'probable', possible: 'possible' },
  side: { right: 'right', left: 'left', bilateral: 'bilateral' },
  frozen: (at) => `Recorded when the report was signed (${at}); later calibrations, packs or analyses do not change it.`,
  live: 'The report is not signed: this is what the AI shows now.',
  notAnalysed: (n) => `${n} image(s) of the study not analysed.`,
  details: 'AI details (probabilities and operating thresholds; not clinical text):',
  detail: (l, p, t, s, c) => `${l}: ${p}, threshold ${t} (${s})${c ? ', called' : ''}`,
  noThreshold: 'none',
};

const fr: AiSectionWords = {
  title: "Aide à la décision par IA",
  notUsed: "Non utilisée : aucune image de cet examen n'a été analysée par l'IA.",
  model: (t, iv) => `Modèle : ${t} (${iv}).`,
  intendedUse: (x) => `Usage prévu, selon le paquet du modèle : « ${x} »`,
  noIntendedUse: "Usage prévu : non indiqué par le paquet du modèle.",
  image: (n, at, th) => `Image ${n} : analysée le ${at}, seuils : ${th}.`,
  withheld: (r) => `Aucun résultat affiché (contrôle de qualité/incidence) : ${r}.`,
  shown: (l) => `Résultats montrés au lecteur : ${l}.`,
  noneCalled: "Aucun résultat n'a été retenu.",
  reader: 'Lecteur',
  decisions: { accepted: 'acceptés', edited: 'modifiés', rejected: 'rejetés', unreviewed: 'non revus' },
  none: 'aucun',
  certainty: { probable: 'probable', possible: 'possible' },
  side: { right: 'droite', left: 'gauche', bilateral: 'bilatéral' },
  frozen: (at) => `Enregistré à la signature du compte rendu (${at}) ; les calibrations, modèles ou analyses ultérieurs ne le modifient pas.`,
  live: "Le compte rendu n'est pas signé : voici ce que l'IA affiche maintenant.",
  notAnalysed: (n) => `${n} image(s) de l'examen non analysée(s).`,
  details: 'Détails IA (probabilités et seuils ; pas un texte clinique) :',
  detail: (l, p, t, s, c) => `${l} : ${p}, seuil ${t} (${s})${c ? ', retenu' : ''}`,
  noThreshold: 'aucun',
};

const es: AiSectionWords = {
  title: 'Apoyo a la decisión por IA',
  notUsed: 'No utilizada: ninguna imagen de este estudio fue analizada por la IA.',
  model: (t, iv) => `Modelo: ${t} (${iv}).`,
  intendedUse: (x) => `Uso previsto, según el paquete del modelo: «${x}»`,
  noIntendedUse: 'Uso previsto: no indicado por el paquete del modelo.',
  image: (n, at, th) => `Imagen ${n}: analizada el ${at}, umbrales: ${th}.`,
  withheld: (r) => `No se mostraron hallazgos (control de calidad/proyección): ${r}.`,
  shown: (l) => `Hallazgos mostrados al lector: ${l}.`,
  noneCalled: 'No se señaló ningún hallazgo.',
  reader: 'Lector',
  decisions: { accepted: 'aceptados', edited: 'editados', rejected: 'rechazados', unreviewed: 'sin revisar' },
  none: 'ninguno',
  certainty: { probable: 'probable', possible: 'posible' },
  side: { right: 'derecho', left: 'izquierdo', bilateral: 'bilateral' },
  frozen: (at) => `Registrado al firmar el informe (${at}); calibraciones, modelos o análisis posteriores no lo cambian.`,
  live: 'El informe no está firmado: esto es lo que la IA muestra ahora.',
  notAnalysed: (n) => `${n} imagen(es) del estudio sin analizar.`,
  details: 'Detalles de IA (probabilidades y umbrales; no es texto clínico):',
  detail: (l, p, t, s, c) => `${l}: ${p}, umbral ${t} (${s})${c ? ', señalado' : ''}`,
  noThreshold: 'ninguno',
};

const pt: AiSectionWords = {
  title: 'Apoio à decisão por IA',
  notUsed: 'Não utilizada: nenhuma imagem deste exame foi analisada pela IA.',
  model: (t, iv) => `Modelo: ${t} (${iv}).`,
  intendedUse: (x) => `Uso previsto, segundo o pacote do modelo: “${x}”`,
  noIntendedUse: 'Uso previsto: não indicado pelo pacote do modelo.',
  image: (n, at, th) => `Imagem ${n}: analisada em ${at}, limiares: ${th}.`,
  withheld: (r) => `Nenhum achado mostrado (controle de qualidade/incidência): ${r}.`,
  shown: (l) => `Achados mostrados ao leitor: ${l}.`,
  noneCalled: 'Nenhum achado foi apontado.',
  reader: 'Leitor',
  decisions: { accepted: 'aceitos', edited: 'editados', rejected: 'rejeitados', unreviewed: 'não revisados' },
  none: 'nenhum',
  certainty: { probable: 'provável', possible: 'possível' },
  side: { right: 'direito', left: 'esquerdo', bilateral: 'bilateral' },
  frozen: (at) => `Registrado na assinatura do laudo (${at}); calibrações, modelos ou análises posteriores não o alteram.`,
  live: 'O laudo não está assinado: isto é o que a IA mostra agora.',
  notAnalysed: (n) => `${n} imagem(ns) do exame não analisada(s).`,
  details: 'Detalhes da IA (probabilidades e limiares; não é texto clínico):',
  detail: (l, p, t, s, c) => `${l}: ${p}, limiar ${t} (${s})${c ? ', apontado' : ''}`,
  noThreshold: 'nenhum',
};

const byLanguage: Record<ReportLanguage, AiSectionWords> = { en, fr, es, pt };

export function aiSectionWords(language: ReportLanguage): AiSectionWords {
  return byLanguage[language];
}
