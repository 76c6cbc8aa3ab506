/**
 * Layouts of letters from other regions and years, each written both in bokmål and in nynorsk: short made-up
 * excerpts that follow the real letters' conventions.
 */
import { parseLetter, type ParsedLetter } from '../src/index.js';
import { lineOf } from './fixtures.js';

const spans = (letter: ParsedLetter) =>
  letter.oppdrag.map((o) => [o.source.lineStart, o.source.lineEnd, o.source.section?.number ?? null]);

describe('hovedmål headings of a PDF letter that end with a stop and follow a list without a blank line', () => {
  const nynorsk = [
    'Oppdragsdokument 2021',
    'Helse Nord RHF',
    '',
    'Helse Nord RHF skal innrette verksemda si med sikte på å nå følgjande hovudmål:',
    '',
    '1. Redusere unødvendig venting. ',
    '2. Prioritere psykisk helsevern. ',
    '',
    '1. Redusere unødvendig venting ',
    '',
    'Andre oppgåver 2021: ',
    '• Dei regionale helseføretaka skal, under leiing av Helse Nord RHF, etablere eit felles register, ',
    'mellom anna: ',
    'o Bidra til at registeret blir publisert første halvår 2021. ',
    ' 2. Prioritere psykisk helsevern. ',
    'Dei regionale helseføretaka skal halde fram å prioritere psykisk helsevern. ',
    '',
    'Andre oppgåver 2021: ',
    '• Helse Nord RHF skal greie ut tilbodet til innsette. ',
  ].join('\n');
  const bokmal = [
    'Oppdragsdokument 2021',
    'Helse Sør-Øst RHF',
    '',
    'Helse Sør-Øst RHF skal innrette sin virksomhet med sikte på å nå følgende hovedmål:',
    '',
    '1. Redusere unødvendig venting. ',
    '2. Prioritere psykisk helsevern. ',
    '',
    '1. Redusere unødvendig venting ',
    '',
    'Oppdrag 2021: ',
    '• De regionale helseforetakene skal, under ledelse av Helse Sør-Øst RHF, etablere et felles register, ',
    'blant annet: ',
    'o Bidra til at registeret blir publisert første halvår 2021. ',
    ' 2. Prioritere psykisk helsevern. ',
    'De regionale helseforetakene skal fortsatt prioritere psykisk helsevern. ',
    '',
    'Oppdrag 2021: ',
    '• Helse Sør-Øst RHF skal utrede tilbudet til innsatte. ',
  ].join('\n');

  it.each([
    ['nynorsk', nynorsk],
    ['bokmål', bokmal],
  ])('%s: the item ends at the heading, and each oppdrag has its hovedmål', (_, text) => {
    const letter = parseLetter(text);
    expect(letter.hovedmal.map((h) => h.number)).toEqual([1, 2]);
    expect(spans(letter)).toEqual([
      [12, 14, 1],
      [19, 19, 2],
    ]);
    expect(letter.oppdrag[0]?.deadline).toBe('2021-06-30');
    expect(lineOf(text, ' 2. Prioritere')).toBe(15);
  });
});
