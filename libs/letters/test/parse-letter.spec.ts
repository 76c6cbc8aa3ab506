/**
 * parseLetter reads the structure of a letter: which passages are oppdrag (one per bullet under an oppdrag
 * heading, with its sub-bullets and continuation paragraphs), where they stand, and their fields.
 */
import { LetterError, parseLetter, type ParsedOppdrag } from '../src/index.js';
import {
  MARKDOWN_LETTER,
  NYNORSK_LETTER,
  PDF_LETTER,
  REPEATED_COPY,
  SUPPLEMENT,
  lineOf,
} from './fixtures.js';

const byLine = (oppdrag: readonly ParsedOppdrag[], line: number) =>
  oppdrag.find((o) => o.source.lineStart <= line && line <= o.source.lineEnd);

describe('a markdown-like letter', () => {
  const letter = parseLetter(MARKDOWN_LETTER, { fileName: '2024-helse-vest-rhf.txt' });
  const at = (marker: string) => byLine(letter.oppdrag, lineOf(MARKDOWN_LETTER, marker));

  it('reads the recipient, year, kind and date', () => {
    expect(letter).toMatchObject({
      letterId: '2024-helse-vest-rhf.txt',
      recipient: 'helse-vest',
      year: 2024,
      kind: 'hoveddokument',
      date: '2024-01-16',
    });
    expect(letter.hovedmal).toEqual([
      { number: 1, title: 'Styrke psykisk helsevern og tverrfaglig spesialisert rusbehandling' },
      { number: 2, title: 'Rask tilgang til helsetjenester og sammenhengende pasientforløp' },
    ]);
  });

  it('finds one oppdrag per bullet under the oppdrag headings, plus an explicit task in the prose', () => {
    expect(letter.oppdrag.map((o) => o.source.lineStart)).toEqual([
      lineOf(MARKDOWN_LETTER, 'i et samarbeid med Nav'),
      lineOf(MARKDOWN_LETTER, '- De regionale helseforetakene skal, under ledelse av Helse Sør-Øst RHF'),
      lineOf(MARKDOWN_LETTER, '- Helse Vest RHF skal avklare'),
      lineOf(MARKDOWN_LETTER, '- De regionale helseforetakene skal følge opp anbefalingene'),
      lineOf(MARKDOWN_LETTER, '- De regionale helseforetakene skal gjennomgå sine rutiner'),
      lineOf(MARKDOWN_LETTER, '- De regionale helseforetakene skal under ledelse av Helse Vest RHF'),
    ]);
    expect(letter.oppdrag.map((o) => o.index)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('excludes the Mål lists, the reporting section and the funding annex', () => {
    for (const marker of [
      'Styrke psykisk helsevern slik at pasientene',
      'Helse Vest RHF skal redusere ventetiden innen 1. desember 2024',
      'I Årlig melding 2024 skal Helse Vest RHF',
      'sende inn budsjett innen 1. februar 2024',
    ]) {
      expect(at(marker)).toBeUndefined();
    }
  });

  it('keeps sub-bullets and continuation paragraphs with their bullet', () => {
    const withSubs = at('- De regionale helseforetakene skal følge opp anbefalingene');
    expect(withSubs?.source.lineEnd).toBe(
      lineOf(MARKDOWN_LETTER, ' - I samarbeid med helseforetak og kommuner'),
    );
    expect(withSubs?.description).toBe(
      'De regionale helseforetakene skal følge opp anbefalingene fra Helsedirektoratets rapport om følgetjenesten. ' +
        'De regionale helseforetakene skal:\n- Gjennomføre en nasjonal evaluering av følgetjenesten. Helse Midt-Norge RHF leder arbeidet.' +
        '\n- I samarbeid med helseforetak og kommuner vurdere forbedringstiltak.',
    );
    const withParagraphs = at('- De regionale helseforetakene skal gjennomgå sine rutiner');
    expect(withParagraphs?.source.lineEnd).toBe(
      lineOf(MARKDOWN_LETTER, 'Helsedirektoratets rapport om fristbruddordningen'),
    );
    expect(withParagraphs?.description).toContain('hvordan best praksis bør være for å unngå fristbrudd.');
  });

  it('leaves footnotes out (a footnote between two bullets ends neither)', () => {
    const before = at('- Helse Vest RHF skal avklare');
    expect(before?.source.lineEnd).toBe(before?.source.lineStart);
    expect(letter.oppdrag.some((o) => o.description.includes('nominell vekst'))).toBe(false);
  });

  it('reads section, heading and fields', () => {
    expect(at('pilotere brukerstyrt poliklinikk')).toMatchObject({
      year: 2024,
      title: 'Pilotere brukerstyrt poliklinikk i psykisk helsevern.',
      source: {
        section: { number: 1, title: 'Styrke psykisk helsevern og tverrfaglig spesialisert rusbehandling' },
        heading: 'Oppdrag 2024',
        letterKind: 'hoveddokument',
      },
      addressedTo: 'all',
      lead: 'helse-sor-ost',
      collaborators: [],
      deadline: null,
      milestones: [],
      outsideList: false,
    });
    expect(at('- Helse Vest RHF skal avklare')).toMatchObject({
      addressedTo: 'helse-vest',
      lead: 'helse-vest',
      deadline: '2024-11-30',
      evidence: { lead: 'Helse Vest RHF skal' },
    });
    expect(at('- De regionale helseforetakene skal gjennomgå sine rutiner')).toMatchObject({
      lead: 'helse-nord',
      deadline: null,
      evidence: { lead: 'Arbeidet ledes av Helse Nord RHF' },
    });
    expect(at('samarbeide om oppfølging av rammeverk')).toMatchObject({
      lead: 'helse-vest',
      deadline: '2025-06-01',
      source: { section: { number: 2 } },
    });
  });

  it('marks a prose task as outside the lists, with its sentence as span and text', () => {
    const prose = at('i et samarbeid med Nav');
    expect(prose).toMatchObject({
      outsideList: true,
      addressedTo: 'helse-vest',
      lead: 'helse-vest',
      collaborators: [{ id: 'nav', name: 'NAV' }],
      source: { section: null, heading: 'Overordnede føringer' },
    });
    expect(prose?.description.startsWith('Helse Vest RHF skal bidra til')).toBe(true);
    expect(prose?.confidence).toBeLessThan(0.9);
  });

  it('gives list bullets a higher confidence than prose tasks, within 0..1', () => {
    for (const o of letter.oppdrag) {
      expect(o.confidence).toBeGreaterThan(0);
      expect(o.confidence).toBeLessThanOrEqual(1);
    }
    expect(at('pilotere brukerstyrt')?.confidence).toBeGreaterThan(
      at('i et samarbeid med Nav')?.confidence ?? 1,
    );
  });
});

describe('a file that holds the letter twice and a supplement', () => {
  const text = MARKDOWN_LETTER + REPEATED_COPY + SUPPLEMENT;
  const letter = parseLetter(text, { fileName: '2024-helse-vest-rhf.txt' });
  const copyStart = lineOf(text, 'Oppdragsdokument 2024', 2);
  const supplementStart = lineOf(text, 'Tilleggsdokument');

  it('counts the repeated letter’s oppdrag once, keeping the first copy', () => {
    const main = letter.oppdrag.filter((o) => o.source.letterKind === 'hoveddokument');
    expect(main).toHaveLength(6);
    expect(main.every((o) => o.source.lineEnd < copyStart)).toBe(true);
    expect(letter.parts.map((p) => [p.kind, p.repeats, p.date])).toEqual([
      ['hoveddokument', null, '2024-01-16'],
      ['hoveddokument', 0, '2024-01-24'],
      ['tilleggsdokument', null, '2024-07-03'],
    ]);
    expect(letter.warnings.join(' ')).toMatch(/repeat/);
  });

  it('reads the supplement’s oppdrag, with its own kind and sections', () => {
    const supplement = letter.oppdrag.filter((o) => o.source.letterKind === 'tilleggsdokument');
    expect(supplement.map((o) => o.source.lineStart)).toEqual([
      lineOf(text, '- De regionale helseforetakene skal innen rusfeltet'),
      lineOf(text, '- De regionale helseforetakene skal utrede en ordning'),
    ]);
    expect(supplement.every((o) => o.source.lineStart > supplementStart)).toBe(true);
    expect(supplement[0]).toMatchObject({
      lead: 'helse-sor-ost',
      collaborators: [{ id: 'kommunene' }],
      source: { lineEnd: lineOf(text, 'Det skal legges til rette for følgeforskning') },
    });
    expect(supplement[0]?.description).not.toContain('*');
    expect(supplement[1]).toMatchObject({
      lead: 'helse-sor-ost',
      collaborators: [{ id: 'direktoratet-for-medisinske-produkter' }],
      deadline: null,
      milestones: [{ id: 'statusrapport-2024-10-01', kind: 'statusrapport', dueDate: '2024-10-01' }],
      source: { lineEnd: lineOf(text, 'Oppdraget konkretiseres nærmere') },
    });
  });

  it('ignores the address list and the supplement’s annex', () => {
    expect(letter.oppdrag.some((o) => o.description.includes('oppfølgingsmøtet i november'))).toBe(false);
  });

  it('alone, a supplement "ifølge liste" is addressed to all four RHFs', () => {
    const supplement = parseLetter(SUPPLEMENT);
    expect(supplement.kind).toBe('tilleggsdokument');
    expect(supplement.recipient).toBeNull();
    expect(supplement.addressees).toEqual(['helse-sor-ost', 'helse-vest', 'helse-midt-norge', 'helse-nord']);
    expect(supplement.oppdrag).toHaveLength(2);
  });
});

describe('a PDF extraction', () => {
  const letter = parseLetter(PDF_LETTER, { fileName: 'brev.txt' });
  const at = (marker: string) => byLine(letter.oppdrag, lineOf(PDF_LETTER, marker));

  it('reads recipient and the date of the signature line', () => {
    expect(letter).toMatchObject({ recipient: 'helse-nord', year: 2023, date: '2023-01-17' });
  });

  it('finds the bullets under "Oppdrag 2023:" and its sub-heading "Utredningsoppdrag:"', () => {
    expect(letter.oppdrag.map((o) => [o.source.lineStart, o.source.heading])).toEqual([
      [
        lineOf(PDF_LETTER, '• De regionale helseforetakene skal i samarbeid, og under ledelse'),
        'Utredningsoppdrag',
      ],
      [lineOf(PDF_LETTER, '• Helse Nord RHF skal gjennomgå finansieringen'), 'Oppdrag 2023'],
      [lineOf(PDF_LETTER, '• De regionale helseforetakene skal i fellesskap'), 'Oppdrag 2023'],
    ]);
  });

  it('joins wrapped lines, drops page numbers and glued footnote digits', () => {
    const first = at('skal i samarbeid, og under ledelse');
    expect(first?.source.lineEnd).toBe(lineOf(PDF_LETTER, 'krav og forslag til tiltak'));
    expect(first?.description).toBe(
      'De regionale helseforetakene skal i samarbeid, og under ledelse av Helse Vest RHF, gjennomgå rapporteringskrav ' +
        'i psykisk helsevern og TSB. Det bes om forslag til endringer i rapporteringskrav og forslag til tiltak.',
    );
    const second = at('skal gjennomgå finansieringen');
    expect(second?.description).toContain('og vurdere tiltak. Helse Nord RHF skal oppsummere');
    expect(second?.deadline).toBe('2023-10-15');
    expect(second?.source.section).toEqual({
      number: 2,
      title: 'Styrke forskning, innovasjon og kompetanse og forbedre kvalitet og pasientsikkerhet',
    });
  });

  it('keeps "o" sub-bullets, split by blank lines, with their bullet and reads the first lead', () => {
    const joint = at('skal i fellesskap');
    expect(joint?.source.lineEnd).toBe(lineOf(PDF_LETTER, 'involveres i arbeidet. Det bes om en kortfattet'));
    expect(joint?.description).toContain(
      '\n- under ledelse av Helse Nord RHF, implementere ordninger for revurdering og utfasing av behandlingsmetoder.',
    );
    expect(joint).toMatchObject({
      lead: 'helse-nord',
      collaborators: [{ id: 'helseatlas' }],
      deadline: '2023-05-01',
    });
    expect(joint?.confidence).toBeLessThan(at('skal gjennomgå finansieringen')?.confidence ?? 0);
  });

  it('ignores the goal list, the reporting section and the footnote and annex text', () => {
    expect(at('voksne skal reduseres')).toBeUndefined();
    expect(at('Frist for innsendelse av styrets årlige melding')).toBeUndefined();
    expect(at('basere sin virksomhet på tildelte midler')).toBeUndefined();
  });
});

describe('a nynorsk letter', () => {
  const letter = parseLetter(NYNORSK_LETTER, { fileName: '2020-helse-vest-rhf.txt' });
  const at = (marker: string) => byLine(letter.oppdrag, lineOf(NYNORSK_LETTER, marker));

  it('reads recipient and year, and no hovedmål number for a chapter that is no hovedmål', () => {
    expect(letter).toMatchObject({ recipient: 'helse-vest', year: 2020, kind: 'hoveddokument' });
    expect(at('i eit samarbeid med NAV')).toMatchObject({
      outsideList: true,
      collaborators: [{ id: 'nav' }],
      source: { section: { number: null, title: 'Innleiing' } },
    });
  });

  it('reads "Andre oppgåver 2020:" with its sub-headings', () => {
    expect(letter.oppdrag.filter((o) => !o.outsideList).map((o) => o.source.heading)).toEqual([
      'Kvalitet og pasienttryggleik',
      'Kvalitet og pasienttryggleik',
      'Psykisk helsevern',
      'Psykisk helsevern',
      'Oppdrag frå føretaksmøtet',
    ]);
  });

  it('reads "under leiing av", "innan", seasons and "saman med"', () => {
    expect(at('under leiing av Helse Vest RHF')).toMatchObject({
      addressedTo: 'all',
      lead: 'helse-vest',
      deadline: '2020-11-01',
      source: {
        section: { number: 1, title: 'Redusere unødvendig venting og variasjon i kapasitetsutnyttinga' },
      },
    });
    const season = at('saman med Helse Nord RHF');
    expect(season).toMatchObject({
      addressedTo: 'helse-vest',
      lead: 'helse-vest',
      deadline: '2020-12-31',
      collaborators: [{ id: 'helse-nord' }, { id: 'folkehelseinstituttet' }],
    });
    expect(season?.evidence.dates[0]?.convention).toMatch(/autumn/);
  });

  it('reads "skal leie arbeidet", "skal involverast", an interim report and "innan utgangen av"', () => {
    expect(at('felles kvalitetsregister')).toMatchObject({
      lead: 'helse-nord',
      collaborators: [{ id: 'helsedirektoratet' }],
      deadline: '2020-12-31',
      milestones: [
        { id: 'underveisrapportering-2020-03-15', kind: 'underveisrapportering', dueDate: '2020-03-15' },
      ],
      source: { lineEnd: lineOf(NYNORSK_LETTER, 'o Registeret skal omfatte') },
    });
  });

  it('reads "Dei regionale helseføretaka, ved X, skal" and ignores a merely mentioned date', () => {
    expect(at('ved Helse Sør-Aust RHF')).toMatchObject({
      lead: 'helse-sor-ost',
      deadline: null,
      milestones: [],
    });
  });

  it('reads a task quoted from the foretaksmøte', () => {
    expect(at('Føretaksmøtet 14. januar 2020 bad')).toMatchObject({
      addressedTo: 'helse-vest',
      lead: 'helse-vest',
      collaborators: [{ id: 'kommunene' }],
      deadline: '2020-06-01',
    });
  });

  it('excludes the goal list and the annex', () => {
    expect(at('Gjennomsnittleg ventetid')).toBeUndefined();
    expect(at('sende inn budsjett')).toBeUndefined();
  });
});

describe('other layouts', () => {
  it('reads unbulleted paragraphs under an oppdrag heading as one oppdrag each', () => {
    const text = [
      'Oppdragsdokument 2021',
      '',
      'Helse Nord RHF',
      '',
      'Oppdrag 2021:',
      '',
      'De regionale helseforetakene skal, under ledelse av Helse Nord RHF, utrede et felles tilbud.',
      'Utredningen skal sendes departementet innen 1. september 2021.',
      '',
      'Helse Nord RHF skal etablere et tilbud i Finnmark. Tilbudet skal være på plass innen utgangen av 2021.',
      '',
      'Tilbudet skal omfatte døgnplasser.',
      '',
    ].join('\n');
    const letter = parseLetter(text);
    expect(letter.oppdrag.map((o) => [o.source.lineStart, o.source.lineEnd, o.lead, o.deadline])).toEqual([
      [7, 8, 'helse-nord', '2021-09-01'],
      [10, 12, 'helse-nord', '2021-12-31'],
    ]);
  });

  it('reads numbered oppdrag and headings written in markdown or bold', () => {
    const text = [
      '# Oppdragsdokument 2022',
      '',
      'Helse Sør-Øst RHF',
      '',
      '## 1. Styrke psykisk helsevern',
      '',
      '**Oppdrag 2022:**',
      '',
      '1. De regionale helseforetakene skal, under ledelse av Helse Sør-Øst RHF, etablere et register.',
      '2. Helse Sør-Øst RHF skal vurdere kapasiteten innen 1. mars 2022.',
      '',
      '## Oppfølging og rapportering',
      '',
      '1. Helse Sør-Øst RHF skal rapportere i årlig melding innen 15. mars 2023.',
      '',
    ].join('\n');
    const letter = parseLetter(text);
    expect(letter.recipient).toBe('helse-sor-ost');
    expect(
      letter.oppdrag.map((o) => [o.source.lineStart, o.source.heading, o.source.section?.number]),
    ).toEqual([
      [9, 'Oppdrag 2022', 1],
      [10, 'Oppdrag 2022', 1],
    ]);
    expect(letter.oppdrag[1]?.deadline).toBe('2022-03-01');
  });

  it('reads task bullets under a section without an oppdrag heading, with less confidence', () => {
    const text = [
      'Tillegg til oppdragsdokument 2021',
      '',
      'Helse Midt-Norge RHF',
      '',
      '1. Beredskap',
      '',
      'Pandemien krever mye av tjenesten.',
      '',
      '- Helse Midt-Norge RHF skal opprettholde beredskapen for intensivbehandling.',
      '- De regionale helseforetakene skal, under ledelse av Helse Vest RHF, lage en felles plan innen 1. juni 2021.',
      '',
      'Departementet vil følge opp arbeidet i oppfølgingsmøtene.',
      '',
    ].join('\n');
    const letter = parseLetter(text);
    expect(letter.kind).toBe('tilleggsdokument');
    expect(letter.oppdrag.map((o) => [o.source.lineStart, o.source.lineEnd, o.lead])).toEqual([
      [9, 9, 'helse-midt-norge'],
      [10, 10, 'helse-vest'],
    ]);
    expect(letter.oppdrag[1]?.confidence).toBeLessThan(0.9);
  });

  it('passes over running page headers and footers of a PDF extraction', () => {
    const page = (n: number) => ['', `Side ${n} av 3`, 'Oppdragsdokument 2023 – Helse Vest RHF', ''];
    const text = [
      'Oppdragsdokument 2023 – Helse Vest RHF',
      '',
      'Oppdrag 2023:',
      '',
      '• De regionale helseforetakene skal, under ledelse av Helse Vest RHF, etablere et felles',
      ...page(1),
      'register for sjeldne diagnoser. Registeret skal være i drift innen 1. juni 2023.',
      '• Helse Vest RHF skal vurdere kapasiteten i akuttmottakene.',
      ...page(2),
      '• Helse Vest RHF skal etablere et tilbud til barn.',
      ...page(3),
    ].join('\n');
    const letter = parseLetter(text);
    expect(letter.parts).toHaveLength(1);
    expect(letter.oppdrag.map((o) => [o.source.lineStart, o.lead, o.deadline])).toEqual([
      [lineOf(text, '• De regionale'), 'helse-vest', '2023-06-01'],
      [lineOf(text, '• Helse Vest RHF skal vurdere'), 'helse-vest', null],
      [lineOf(text, '• Helse Vest RHF skal etablere'), 'helse-vest', null],
    ]);
    expect(letter.oppdrag[0]?.description).toBe(
      'De regionale helseforetakene skal, under ledelse av Helse Vest RHF, etablere et felles register for sjeldne diagnoser. ' +
        'Registeret skal være i drift innen 1. juni 2023.',
    );
  });

  it('reads a lead-in paragraph between bullets as the start of the next bullets, and foretaksmøte headings', () => {
    const text = [
      'Oppdragsdokument 2020',
      '',
      'Helse Nord RHF',
      '',
      'Oppdrag gitt i foretaksmøtet 14. januar 2020',
      '',
      '- De regionale helseforetakene skal etablere et felles register.',
      '',
      'Helse Nord RHF skal i tillegg:',
      '',
      '- utrede et nytt tilbud i Finnmark innen 1. oktober 2020.',
      '- vurdere kapasiteten i Bodø.',
      '',
    ].join('\n');
    const letter = parseLetter(text);
    expect(
      letter.oppdrag.map((o) => [o.source.lineStart, o.source.lineEnd, o.addressedTo, o.source.heading]),
    ).toEqual([
      [7, 7, 'all', 'Oppdrag gitt i foretaksmøtet 14. januar 2020'],
      [11, 11, 'helse-nord', 'Oppdrag gitt i foretaksmøtet 14. januar 2020'],
      [12, 12, 'helse-nord', 'Oppdrag gitt i foretaksmøtet 14. januar 2020'],
    ]);
    expect(letter.oppdrag[1]?.deadline).toBe('2020-10-01');
  });

  it('numbers sections by the list of hovedmål, not by another numbered list before it', () => {
    const text = [
      'Oppdragsdokument 2022',
      '',
      'Helse Vest RHF',
      '',
      'Regjeringens mål er:',
      '',
      '1. God helse i befolkningen',
      '2. Rask tilgang til tjenester',
      '',
      'Helse Vest RHF skal innrette sin virksomhet med sikte på å nå følgende hovedmål:',
      '',
      '1. Styrke psykisk helsevern',
      '2. Bedre kvalitet og pasientsikkerhet',
      '',
      '4.2 Bedre kvalitet og pasientsikkerhet',
      '',
      'Oppdrag 2022:',
      '',
      '- Helse Vest RHF skal etablere et kvalitetsregister.',
      '',
    ].join('\n');
    const letter = parseLetter(text);
    expect(letter.hovedmal).toEqual([
      { number: 1, title: 'Styrke psykisk helsevern' },
      { number: 2, title: 'Bedre kvalitet og pasientsikkerhet' },
    ]);
    expect(letter.oppdrag[0]?.source.section).toEqual({
      number: 2,
      title: 'Bedre kvalitet og pasientsikkerhet',
    });
  });

  it('takes the task sentence as title when the bullet opens with a reference', () => {
    const text = [
      'Oppdragsdokument 2024',
      '',
      'Helse Nord RHF',
      '',
      'Oppdrag 2024:',
      '',
      '- Det vises til indikator for intensivkapasitet. Helse Nord RHF skal årlig rapportere den totale kapasiteten.',
      '',
    ].join('\n');
    expect(parseLetter(text).oppdrag[0]?.title).toBe('Årlig rapportere den totale kapasiteten.');
  });

  it('uses the file name for the recipient when the text does not name it', () => {
    const text = [
      'Oppdrag 2024:',
      '',
      '- De regionale helseforetakene skal utvikle en felles strategi.',
      '',
    ].join('\n');
    expect(parseLetter(text, { fileName: 'letters/2024-helse-nord-rhf.txt' }).recipient).toBe('helse-nord');
  });
});

describe('bad input is refused with a LetterError naming the rule', () => {
  const refusal = (text: string) => {
    try {
      parseLetter(text, { fileName: 'x.txt' });
    } catch (error) {
      if (error instanceof LetterError) return error;
      throw error;
    }
    throw new Error('expected a LetterError');
  };

  it('an empty or blank text', () => {
    expect(refusal('').rule).toBe('empty');
    expect(refusal(' \n\t\n').rule).toBe('empty');
    expect(refusal('').message).toMatch(/x\.txt: the text is empty \[rule: empty\]/);
  });

  it('binary content: NUL bytes or many control characters', () => {
    expect(refusal('Oppdrag 2024:\u0000\u0000binary').rule).toBe('binary');
    expect(refusal(`Oppdrag 2024: ${'\u0001\u0002\u0003'.repeat(40)}`).rule).toBe('binary');
  });

  it('a letter saved as Latin-1 and read as UTF-8: not UTF-8, saying which encoding is expected', () => {
    const latin1 = new TextDecoder('utf-8').decode(
      Buffer.from(`${MARKDOWN_LETTER}\nSærlig økonomi på tvers. `.repeat(3), 'latin1'),
    );
    const error = refusal(latin1);
    expect(error.rule).toBe('not-utf8');
    expect(error.message).toMatch(
      /x\.txt: the text is not UTF-8 .*Latin-1.*: save the letter as UTF-8 and try again/,
    );
    // The same letter in UTF-8 is read.
    expect(() =>
      parseLetter(`${MARKDOWN_LETTER}\nSærlig økonomi på tvers. `, { fileName: 'x.txt' }),
    ).not.toThrow();
  });

  it('an enormous text (over 2 MB)', () => {
    const error = refusal(MARKDOWN_LETTER + 'x'.repeat(2 * 1024 * 1024));
    expect(error.rule).toBe('too-large');
    expect(error.message).toMatch(/2 MB/);
  });

  it('a text that is no letter: no recipient', () => {
    const error = refusal(
      'Regjeringen vil styrke helsetjenesten. Sykehusene skal samarbeide bedre med kommunene.\n',
    );
    expect(error.rule).toBe('not-a-letter');
    expect(error.message).toMatch(/no recipient/);
  });

  it('a text that is no letter: a recipient but no oppdrag', () => {
    const error = refusal(
      'Oppdragsdokument 2024\n\nHelse Vest RHF\n\nRegjeringen vil styrke helsetjenesten.\n',
    );
    expect(error.rule).toBe('not-a-letter');
    expect(error.message).toMatch(/no oppdrag/);
  });

  it('a large letter is still read in bounded time (no pairwise comparison of all passages)', () => {
    const bullets = Array.from(
      { length: 3000 },
      (_, i) => `- De regionale helseforetakene skal gjennomføre tiltak nummer ${i} innen 1. mars 2024.`,
    );
    const text = [
      'Oppdragsdokument 2024',
      '',
      'Helse Vest RHF',
      '',
      'Oppdrag 2024:',
      '',
      ...bullets,
      '',
    ].join('\n');
    const started = performance.now();
    expect(parseLetter(text).oppdrag).toHaveLength(3000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('a value that is not text', () => {
    expect(() => parseLetter(42 as unknown as string)).toThrow(LetterError);
  });
});

describe('a nynorsk letter with an address block and a named university', () => {
  const text = [
    'Helse- og omsorgsdepartementet',
    '',
    'Helse Nord RHF',
    'Postboks 1445',
    '8038 Bodø',
    '',
    'Oppdragsdokument 2020',
    '',
    '3.1 Redusere unødvendig venting og variasjon',
    '',
    'Mål 2020:',
    '- Gjennomsnittleg ventetid skal vere under 50 dagar.',
    '',
    'Oppdrag 2020:',
    '- Dei regionale helseføretaka skal, under leiing av Helse Vest RHF, greie ut korleis pasientforløp for eldre kan bli betre, i samarbeid med kommunane og Helsedirektoratet. Frist for oppdraget er 1. november 2020.',
    '',
    'Andre oppgåver 2020:',
    '- Helse Nord RHF skal saman med Universitetet i Tromsø vurdere behovet for fleire utdanningsplassar, og rapportere til departementet innan 1. juni 2020.',
  ].join('\n');

  it('finds the recipient in the address block, the goals are not oppdrag, and the partner keeps its full name', () => {
    const letter = parseLetter(text);
    expect(letter.recipient).toBe('helse-nord');
    expect(letter.year).toBe(2020);
    expect(letter.oppdrag).toHaveLength(2);
    const [joint, own] = letter.oppdrag;
    expect(joint).toMatchObject({ addressedTo: 'all', lead: 'helse-vest', deadline: '2020-11-01' });
    expect(joint?.collaborators.map((c) => c.id)).toEqual(['kommunene', 'helsedirektoratet']);
    expect(own).toMatchObject({ addressedTo: 'helse-nord', lead: 'helse-nord', deadline: '2020-06-01' });
    expect(own?.collaborators.map((c) => c.name)).toEqual(['Universitetet i Tromsø']);
  });
});
