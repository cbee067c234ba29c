import type { ReportLanguage, ReportState } from '../api/reports.js';
import type { DeidentificationReport, ScrubKind } from './model.js';

/** The words exporters print around the reader's text, per report language. */
export interface ReportLabels {
  patient: string;
  patientId: string;
  sex: string;
  birthDate: string;
  age: string;
  studyDate: string;
  accession: string;
  institution: string;
  referringPhysician: string;
  state: Record<ReportState, string>;
  signedBy: string;
  notSigned: string;
  addendum: string;
  keyImage: string;
  heatmap: string;
  aiSectionMark: string;
  /** Footer page number: `{n}` and `{total}` are replaced (a DOCX fills them in as fields). */
  page: string;
  deidentified: string;
  deid: {
    removed: string;
    rules: string;
    found: (list: string) => string;
    nothingFound: string;
    kinds: Record<ScrubKind, string>;
    notCleaned: string;
    imagesOmitted: (n: number) => string;
    imagesKept: (n: number) => string;
  };
}

const en: ReportLabels = {
  patient: 'Patient',
  patientId: 'Patient ID',
  sex: 'Sex',
  birthDate: 'Birth date',
  age: 'Age',
  studyDate: 'Study date',
  accession: 'Accession',
  institution: 'Institution',
  referringPhysician: 'Referring physician',
  state: { draft: 'DRAFT', preliminary: 'PRELIMINARY', final: 'FINAL' },
  signedBy: 'Electronically signed by',
  notSigned: 'Not signed',
  addendum: 'Addendum',
  keyImage: 'Key image',
  heatmap: 'AI heatmap',
  aiSectionMark: '[contains AI-generated text]',
  page: 'Page {n} of {total}',
  deidentified: 'De-identified copy.',
  deid: {
    removed:
      'Removed or replaced: patient name and ID (pseudonym), birth date, sex, age, accession number, institution, referring physician, study description and reader names; every date shifted back by the same number of days; UIDs remapped.',
    rules:
      "Typed text cleaned of: the patient's known identifiers in any spacing or punctuation (also as the bare number), the names of the people in the report and common nicknames of their given names, phone numbers, street addresses, e-mail addresses, UIDs and dates in their common forms.",
    found: (l) => `Found and cleaned in the typed text: ${l}.`,
    nothingFound: 'Nothing of these kinds was found in the typed text.',
    kinds: { name: 'name(s)', identifier: 'identifier(s)', date: 'date(s) shifted or removed', phone: 'phone number(s)', address: 'address(es)', email: 'e-mail address(es)', institution: 'institution name(s)', uid: 'UID(s)' },
    notCleaned:
      'Not cleaned: names of other people, nicknames outside the built-in table, and details that identify in other ways (occupation, events). Read the text before sharing it.',
    imagesOmitted: (n) => `Key image(s) left out (${n}): burned-in annotation is YES or not stated, so the pixels may show the patient's identity.`,
    imagesKept: (n) => `Key image(s) included (${n}): the file states no burned-in annotation (0028,0301 = NO); the pixels are not otherwise altered.`,
  },
};

const fr: ReportLabels = {
  patient: 'Patient',
  patientId: 'ID patient',
  sex: 'Sexe',
  birthDate: 'Date de naissance',
  age: 'Âge',
  studyDate: "Date de l'examen",
  accession: "N° d'examen",
  institution: 'Établissement',
  referringPhysician: 'Médecin demandeur',
  state: { draft: 'BROUILLON', preliminary: 'PRÉLIMINAIRE', final: 'DÉFINITIF' },
  signedBy: 'Signé électroniquement par',
  notSigned: 'Non signé',
  addendum: 'Addendum',
  keyImage: 'Image clé',
  heatmap: 'Carte de chaleur IA',
  aiSectionMark: '[contient du texte généré par IA]',
  page: 'Page {n} sur {total}',
  deidentified: 'Copie anonymisée.',
  deid: {
    removed:
      "Supprimés ou remplacés : nom et ID du patient (pseudonyme), date de naissance, sexe, âge, n° d'examen, établissement, médecin demandeur, description de l'examen et noms des lecteurs ; toutes les dates décalées du même nombre de jours ; UID remplacés.",
    rules:
      "Texte saisi nettoyé : identifiants connus du patient quels que soient espaces ou ponctuation (aussi le nombre seul), noms des personnes du compte rendu et diminutifs courants de leurs prénoms, numéros de téléphone, adresses postales, adresses e-mail, UID et dates sous leurs formes courantes.",
    found: (l) => `Trouvés et nettoyés dans le texte saisi : ${l}.`,
    nothingFound: "Rien de ces catégories n'a été trouvé dans le texte saisi.",
    kinds: { name: 'nom(s)', identifier: 'identifiant(s)', date: 'date(s) décalée(s) ou supprimée(s)', phone: 'numéro(s) de téléphone', address: 'adresse(s)', email: 'adresse(s) e-mail', institution: "nom(s) d'établissement", uid: 'UID' },
    notCleaned:
      "Non nettoyés : noms d'autres personnes, diminutifs absents de la table intégrée, et détails identifiants d'autre nature (profession, événements). Relisez le texte avant de le partager.",
    imagesOmitted: (n) => `Image(s) clé(s) omise(s) (${n}) : annotation incrustée OUI ou non indiquée, les pixels peuvent montrer l'identité du patient.`,
    imagesKept: (n) => `Image(s) clé(s) incluse(s) (${n}) : le fichier indique l'absence d'annotation incrustée (0028,0301 = NO) ; les pixels ne sont pas modifiés autrement.`,
  },
};

const es: ReportLabels = {
  patient: 'Paciente',
  patientId: 'ID del paciente',
  sex: 'Sexo',
  birthDate: 'Fecha de nacimiento',
  age: 'Edad',
  studyDate: 'Fecha del estudio',
  accession: 'N.º de acceso',
  institution: 'Institución',
  referringPhysician: 'Médico solicitante',
  state: { draft: 'BORRADOR', preliminary: 'PRELIMINAR', final: 'DEFINITIVO' },
  signedBy: 'Firmado electrónicamente por',
  notSigned: 'Sin firmar',
  addendum: 'Adenda',
  keyImage: 'Imagen clave',
  heatmap: 'Mapa de calor IA',
  aiSectionMark: '[contiene texto generado por IA]',
  page: 'Página {n} de {total}',
  deidentified: 'Copia anonimizada.',
  deid: {
    removed:
      'Eliminados o sustituidos: nombre e ID del paciente (seudónimo), fecha de nacimiento, sexo, edad, n.º de acceso, institución, médico solicitante, descripción del estudio y nombres de los lectores; todas las fechas desplazadas el mismo número de días; UID reasignados.',
    rules:
      'Texto escrito limpiado de: identificadores conocidos del paciente con cualquier espaciado o puntuación (también el número solo), nombres de las personas del informe y diminutivos comunes de sus nombres, teléfonos, direcciones postales, correos electrónicos, UID y fechas en sus formas comunes.',
    found: (l) => `Encontrados y limpiados en el texto escrito: ${l}.`,
    nothingFound: 'No se encontró nada de estas clases en el texto escrito.',
    kinds: { name: 'nombre(s)', identifier: 'identificador(es)', date: 'fecha(s) desplazada(s) o eliminada(s)', phone: 'teléfono(s)', address: 'dirección(es)', email: 'correo(s) electrónico(s)', institution: 'nombre(s) de institución', uid: 'UID' },
    notCleaned:
      'No limpiados: nombres de otras personas, diminutivos fuera de la tabla incorporada y detalles que identifican de otro modo (profesión, sucesos). Lea el texto antes de compartirlo.',
    imagesOmitted: (n) => `Imagen(es) clave omitida(s) (${n}): anotación incrustada SÍ o no indicada; los píxeles pueden mostrar la identidad del paciente.`,
    imagesKept: (n) => `Imagen(es) clave incluida(s) (${n}): el archivo indica que no hay anotación incrustada (0028,0301 = NO); los píxeles no se modifican de otro modo.`,
  },
};

const pt: ReportLabels = {
  patient: 'Paciente',
  patientId: 'ID do paciente',
  sex: 'Sexo',
  birthDate: 'Data de nascimento',
  age: 'Idade',
  studyDate: 'Data do exame',
  accession: 'N.º de acesso',
  institution: 'Instituição',
  referringPhysician: 'Médico solicitante',
  state: { draft: 'RASCUNHO', preliminary: 'PRELIMINAR', final: 'DEFINITIVO' },
  signedBy: 'Assinado eletronicamente por',
  notSigned: 'Não assinado',
  addendum: 'Adendo',
  keyImage: 'Imagem-chave',
  heatmap: 'Mapa de calor IA',
  aiSectionMark: '[contém texto gerado por IA]',
  page: 'Página {n} de {total}',
  deidentified: 'Cópia anonimizada.',
  deid: {
    removed:
      'Removidos ou substituídos: nome e ID do paciente (pseudônimo), data de nascimento, sexo, idade, n.º de acesso, instituição, médico solicitante, descrição do exame e nomes dos leitores; todas as datas deslocadas o mesmo número de dias; UIDs substituídos.',
    rules:
      'Texto digitado limpo de: identificadores conhecidos do paciente com qualquer espaçamento ou pontuação (também o número isolado), nomes das pessoas do laudo e apelidos comuns de seus prenomes, telefones, endereços, e-mails, UIDs e datas nas formas comuns.',
    found: (l) => `Encontrados e limpos no texto digitado: ${l}.`,
    nothingFound: 'Nada destes tipos foi encontrado no texto digitado.',
    kinds: { name: 'nome(s)', identifier: 'identificador(es)', date: 'data(s) deslocada(s) ou removida(s)', phone: 'telefone(s)', address: 'endereço(s)', email: 'e-mail(s)', institution: 'nome(s) de instituição', uid: 'UID(s)' },
    notCleaned:
      'Não limpos: nomes de outras pessoas, apelidos fora da tabela embutida e detalhes que identificam de outra forma (profissão, eventos). Leia o texto antes de compartilhá-lo.',
    imagesOmitted: (n) => `Imagem(ns)-chave omitida(s) (${n}): anotação gravada SIM ou não informada; os pixels podem mostrar a identidade do paciente.`,
    imagesKept: (n) => `Imagem(ns)-chave incluída(s) (${n}): o arquivo informa que não há anotação gravada (0028,0301 = NO); os pixels não são alterados de outra forma.`,
  },
};

const byLanguage: Record<ReportLanguage, ReportLabels> = { en, fr, es, pt };

export function reportLabels(language: ReportLanguage): ReportLabels {
  return byLanguage[language];
}

/** What a de-identified export says about its de-identification: what was removed, found, not cleaned, and the images. */
export function deidentificationLines(d: DeidentificationReport, language: ReportLanguage): string[] {
  const L = reportLabels(language);
  const found = (Object.entries(d.freeText) as Array<[ScrubKind, number]>).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${L.deid.kinds[k]}`);
  const lines = [L.deidentified, L.deid.removed, L.deid.rules, found.length ? L.deid.found(found.join(', ')) : L.deid.nothingFound, L.deid.notCleaned];
  if (d.imagesOmitted) lines.push(L.deid.imagesOmitted(d.imagesOmitted));
  if (d.imagesKept) lines.push(L.deid.imagesKept(d.imagesKept));
  return lines;
}
