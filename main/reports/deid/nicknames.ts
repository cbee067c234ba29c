/**
 * Common short forms of given names in the four report languages, so that de-identification also removes "Bob" from
 * the text of Robert Smith's report. A table, not a rule: a nickname it does not hold is not found, and every
 * de-identified export says so ("not cleaned: nicknames outside the built-in table").
 * Keys and values are lower case without diacritics; matching folds diacritics the same way. A short form is matched
 * only capitalised ("Will", "Sue"), so the words "will" and "sue" of the reader's prose are left alone.
 */
const GROUPS: readonly (readonly string[])[] = [
  ['robert', 'rob', 'robbie', 'bob', 'bobby', 'bert'],
  ['roberto', 'beto', 'tito'],
  ['william', 'will', 'willy', 'bill', 'billy', 'liam'],
  ['guillermo', 'memo', 'guille'],
  ['richard', 'rich', 'rick', 'ricky', 'dick'],
  ['ricardo', 'rica', 'cado'],
  ['james', 'jim', 'jimmy', 'jamie'],
  ['john', 'johnny', 'jack', 'jon'],
  ['jonathan', 'jon', 'jonny', 'nate'],
  ['joseph', 'joe', 'joey'],
  ['jose', 'pepe', 'pepito', 'ze', 'zezinho', 'chepe'],
  ['joao', 'joaozinho', 'jao'],
  ['michael', 'mike', 'mikey', 'mick'],
  ['thomas', 'tom', 'tommy'],
  ['tomas', 'tomi'],
  ['christopher', 'chris', 'kit'],
  ['charles', 'charlie', 'chuck', 'chas'],
  ['daniel', 'dan', 'danny', 'dani'],
  ['david', 'dave', 'davy'],
  ['edward', 'ed', 'eddie', 'ted', 'ned'],
  ['anthony', 'tony'],
  ['antonio', 'toni', 'tonho', 'tono', 'tonino'],
  ['francisco', 'paco', 'pancho', 'chico', 'kiko', 'xico', 'chiquinho', 'cisco'],
  ['francis', 'frank', 'frankie'],
  ['francois', 'francky'],
  ['alexander', 'alex', 'sasha', 'sandy', 'xander'],
  ['alejandro', 'alex', 'ale', 'jandro'],
  ['alexandre', 'alex', 'xande'],
  ['manuel', 'manolo', 'manu', 'mane'],
  ['eduardo', 'edu', 'lalo', 'dudu'],
  ['fernando', 'nando', 'fer'],
  ['ignacio', 'nacho'],
  ['jesus', 'chucho', 'chuy'],
  ['luis', 'lucho', 'luisito'],
  ['pedro', 'pedrinho', 'perico'],
  ['rafael', 'rafa'],
  ['margaret', 'maggie', 'meg', 'peggy', 'marge', 'margie'],
  ['elizabeth', 'liz', 'lizzie', 'beth', 'betty', 'eliza', 'libby', 'bess'],
  ['isabel', 'isa', 'bel', 'chabela'],
  ['catherine', 'cathy', 'kate', 'katie', 'kitty', 'cat'],
  ['katherine', 'kathy', 'kate', 'katie', 'kitty'],
  ['jennifer', 'jen', 'jenny'],
  ['patricia', 'pat', 'patty', 'trish', 'patri', 'paty'],
  ['rebecca', 'becky', 'becca'],
  ['susan', 'sue', 'suzy'],
  ['deborah', 'deb', 'debbie'],
  ['dorothy', 'dot', 'dottie'],
  ['victoria', 'vicky', 'tori'],
  ['maria', 'mari', 'mariquinha', 'maruja', 'mery'],
  ['dolores', 'lola', 'loli'],
  ['concepcion', 'concha', 'conchita'],
  ['conceicao', 'ceicinha'],
  ['mercedes', 'merche', 'meche'],
  ['rosario', 'charo', 'chayo'],
  ['guadalupe', 'lupe', 'lupita'],
  ['josefa', 'pepa', 'pepita'],
  ['francisca', 'paca', 'panchita', 'chica', 'quica'],
  ['ana', 'aninha', 'anita'],
  ['beatriz', 'bia', 'bea'],
  ['fernanda', 'nanda', 'fer'],
  ['gabriela', 'gabi'],
  ['gabriel', 'gabi', 'biel'],
  ['helene', 'lene'],
  ['marguerite', 'margot', 'maguy'],
  ['jacqueline', 'jacky'],
  ['nicolas', 'nico', 'colas'],
  ['guillaume', 'guigui'],
];

const byName = new Map<string, Set<string>>();
for (const group of GROUPS) {
  for (const name of group) {
    const set = byName.get(name) ?? new Set<string>();
    for (const other of group) if (other !== name) set.add(other);
    byName.set(name, set);
  }
}

/** Folds case and diacritics: "Conceição" → "conceicao". */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The known short forms (and long forms) of a given name, folded; empty when the table has none. */
export function nicknamesOf(givenName: string): string[] {
  return [...(byName.get(fold(givenName)) ?? [])];
}
