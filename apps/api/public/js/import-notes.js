// @ts-check
// The letter reader's notes in Norwegian: how it read a date (its convention) and what it warns about
// in a letter. The reader speaks English (its notes are also read in the CLI and the logs); the
// dashboard says the same in Norwegian.

import { MONTHS } from './format.js';

const MONTHS_EN =
  'January February March April May June July August September October November December'.split(' ');
/** @param {string} month */
const nb = (month) => MONTHS[MONTHS_EN.indexOf(month)] ?? month;

/** @type {Array<[RegExp, (match: RegExpExecArray) => string]>} */
const NOTES = [
  [
    /^season: spring is the first half-year \((\d+) (\w+)\)$/,
    (m) => `våren regnes som første halvår (${m[1]}. ${nb(m[2] ?? '')})`,
  ],
  [/^season: end of summer \((\d+) (\w+)\)$/, (m) => `slutten av sommeren (${m[1]}. ${nb(m[2] ?? '')})`],
  [
    /^season: autumn is the second half-year \((\d+) (\w+)\)$/,
    (m) => `høsten regnes som andre halvår (${m[1]}. ${nb(m[2] ?? '')})`,
  ],
  [/^season: end of winter \(last day of February\)$/, () => 'slutten av vinteren (siste dag i februar)'],
  [/^period: last day of the half-year$/, () => 'siste dag i halvåret'],
  [/^period: last day of the quarter$/, () => 'siste dag i kvartalet'],
  [/^period: last day of the tertial$/, () => 'siste dag i tertialet'],
  [/^period: last day of the month$/, () => 'siste dag i måneden'],
  [/^period: last day of the period[’']s last year$/, () => 'siste dag i periodens siste år'],
  [/^period: last day of the year$/, () => 'siste dag i året'],
  [/^year taken from the letter \((\d{4})\)$/, (m) => `året er hentet fra brevet (${m[1]})`],
  [
    /^(?:(.+): )?lines (\d+)-(\d+) repeat the letter at lines ([\d?]+)-([\d?]+): (\d+) oppdrag counted once$/,
    (m) =>
      `${m[1] ? `${m[1]}: ` : ''}linje ${m[2]}–${m[3]} gjentar brevet fra linje ${m[4]}–${m[5]}; ${m[6]} oppdrag er telt bare én gang`,
  ],
  [
    /^(.+): the letters disagree; check lead and dates$/,
    (m) => `${m[1]}: brevene sier ulikt om dette oppdraget; sjekk ledende RHF og datoene`,
  ],
];

/**
 * A note from the letter reader in Norwegian. A note it does not know yet is not shown in English: it
 * says that the reader made a note, which the technical details hold.
 * @param {string} note
 * @returns {{ text: string, known: boolean }}
 */
export function norwegianNote(note) {
  for (const [pattern, say] of NOTES) {
    const match = pattern.exec(note);
    if (match) return { text: say(match), known: true };
  }
  return { text: 'Innlesingen har en merknad her (se tekniske detaljer).', known: false };
}
