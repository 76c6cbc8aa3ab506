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

describe('lists of things are no task lists: judged by their lead-in and heading', () => {
  const nynorsk = [
    'Oppdragsdokument 2021',
    'Helse Vest RHF',
    '',
    '4. Nasjonal helse- og sjukehusplan',
    '',
    'Planen gir følgjande innsatsområde:',
    '– Dei regionale helseføretaka skal utvikle helsefellesskapa i samarbeid med kommunane.',
    '– Dei regionale helseføretaka skal styrkje akuttkjeda innan 1. mars 2021.',
    '',
    'Følgjande dokument skal leggjast til grunn for arbeidet:',
    '• Helse Vest RHF skal i samarbeid med NAV nytte rettleiaren for arbeid og helse.',
    '',
    'Andre oppgåver 2021:',
    'Måla for arbeidet i 2021 er mellom anna:',
    '• Kortare ventetid',
    '• Færre fristbrot',
    '',
    '• Helse Vest RHF skal greie ut tilbodet til innsette innan 1. juni 2021.',
    'Arbeidet skal mellom anna omfatte følgjande område:',
    '• Psykisk helsevern',
    '• Rusbehandling',
    '',
    'Vedlegg 2 Oppdrag til Helsedirektoratet',
    'Oppdrag 2021:',
    '• Helsedirektoratet skal i samarbeid med dei regionale helseføretaka utvikle ein indikator.',
  ].join('\n');
  const bokmal = [
    'Oppdragsdokument 2021',
    'Helse Nord RHF',
    '',
    '4. Nasjonal helse- og sykehusplan',
    '',
    'Planen gir følgende innsatsområder:',
    '– De regionale helseforetakene skal utvikle helsefellesskapene i samarbeid med kommunene.',
    '– De regionale helseforetakene skal styrke akuttkjeden innen 1. mars 2021.',
    '',
    'Følgende dokumenter skal legges til grunn for arbeidet:',
    '• Helse Nord RHF skal i samarbeid med NAV bruke veilederen for arbeid og helse.',
    '',
    'Oppdrag 2021:',
    'Målene for arbeidet i 2021 er blant annet:',
    '• Kortere ventetid',
    '• Færre fristbrudd',
    '',
    '• Helse Nord RHF skal utrede tilbudet til innsatte innen 1. juni 2021.',
    'Arbeidet skal blant annet omfatte følgende områder:',
    '• Psykisk helsevern',
    '• Rusbehandling',
    '',
    'Vedlegg 2 Oppdrag til Helsedirektoratet',
    'Oppdrag 2021:',
    '• Helsedirektoratet skal i samarbeid med de regionale helseforetakene utvikle en indikator.',
  ].join('\n');

  it.each([
    ['nynorsk', nynorsk],
    ['bokmål', bokmal],
  ])('%s: only the task under the oppdrag heading, with the list of areas inside it', (_, text) => {
    const letter = parseLetter(text);
    expect(letter.oppdrag.map((o) => [o.source.lineStart, o.source.lineEnd])).toEqual([[18, 21]]);
    expect(letter.oppdrag[0]?.description).toMatch(/\n- Psykisk helsevern\n- Rusbehandling$/);
  });
});

describe('unbulleted items in a row under an oppdrag heading', () => {
  it.each([
    [
      'nynorsk',
      [
        'Oppdragsdokument 2021',
        'Helse Nord RHF',
        '',
        'Oppdrag 2021:',
        'Dei regionale helseføretaka skal, under leiing av Helse Nord RHF, greie ut tilbodet til',
        'samiske pasientar.',
        'Helse Nord RHF skal etablere eit kompetansesenter for samisk helse innan utgangen av 2021.',
        'Alle akuttsjukehus skal ha traumeteam.',
        '',
        'Med helsing',
      ],
      [
        ['all', 'helse-nord', null],
        ['helse-nord', 'helse-nord', '2021-12-31'],
        ['all', null, null],
      ],
    ],
    [
      'bokmål',
      [
        'Oppdragsdokument 2021',
        'Helse Sør-Øst RHF',
        '',
        'Oppdrag 2021:',
        'De regionale helseforetakene skal, under ledelse av Helse Nord RHF, utrede tilbudet til',
        'samiske pasienter.',
        'Helse Sør-Øst RHF skal etablere et kompetansesenter for barn innen utgangen av 2021.',
        'Alle akuttsykehus skal ha traumeteam.',
        '',
        'Med hilsen',
      ],
      [
        ['all', 'helse-nord', null],
        ['helse-sor-ost', 'helse-sor-ost', '2021-12-31'],
        ['all', null, null],
      ],
    ],
  ])('%s: each is an oppdrag of its own, with its own addressee', (_, lines, expected) => {
    const letter = parseLetter(lines.join('\n'));
    expect(letter.oppdrag.map((o) => [o.source.lineStart, o.source.lineEnd])).toEqual([
      [5, 6],
      [7, 7],
      [8, 8],
    ]);
    expect(letter.oppdrag.map((o) => [o.addressedTo, o.lead, o.deadline])).toEqual(expected);
  });
});

describe('a protocol whose decisions are numbered under "Føretaksmøtet fatta slikt vedtak:"', () => {
  it.each([
    [
      'nynorsk',
      'Protokoll frå føretaksmøte i Helse Vest RHF',
      'Sak 3 Oppdrag og bestillingar 2020',
      'Føretaksmøtet fatta slikt vedtak:',
      '1. Føretaksmøtet bad Helse Vest RHF om å leggje fram ein plan innan 1. september 2020.',
    ],
    [
      'bokmål',
      'Protokoll fra foretaksmøte i Helse Vest RHF',
      'Sak 3 Oppdrag og bestillinger 2020',
      'Foretaksmøtet fattet følgende vedtak:',
      '1. Foretaksmøtet ba Helse Vest RHF om å legge fram en plan innen 1. september 2020.',
    ],
  ])('%s: the decision stands under the item’s heading', (_, title, item, leadIn, decision) => {
    const letter = parseLetter([title, 'Tid: 14. januar 2020', '', item, leadIn, decision].join('\n'));
    expect(letter.oppdrag.map((o) => [o.source.lineStart, o.source.heading, o.deadline])).toEqual([
      [6, item.replace(/^Sak 3 /, ''), '2020-09-01'],
    ]);
  });
});

describe('a foretaksmøte protocol and older headings ("Krav og rammer", "Styringsbudskap")', () => {
  const nynorsk = [
    'Protokoll frå føretaksmøte i Helse Vest RHF',
    'Tid: 14. januar 2021 kl. 12.00',
    'Stad: Helse- og omsorgsdepartementet',
    '',
    'Sak 1 Opning av føretaksmøtet og godkjenning av innkalling og dagsorden',
    'Helse- og omsorgsministeren ønskte velkomen. Det kom ingen merknader til innkallinga.',
    'Føretaksmøtet vedtok at innkalling og dagsorden er godkjend.',
    '',
    'Sak 2 Val av ein person til å skrive under protokollen saman med møteleiar',
    'Føretaksmøtet bad styreleiar om å skrive under protokollen.',
    '',
    'Sak 3 Krav og rammer for 2021',
    'Føretaksmøtet bad Helse Vest RHF om å gjennomgå akuttilbodet i regionen innan hausten 2021.',
    '',
    'Føretaksmøtet la til grunn at dei regionale helseføretaka, under leiing av Helse Nord RHF,',
    'etablerer ei felles løysing for tolketenester i 2021.',
    '',
    'Sak 4 Styringsbudskap',
    'Helse Vest RHF skal halde fram arbeidet med pasientsikkerheit og rapportere i årleg melding.',
    '',
    'Møtet vart heva kl. 12.30.',
  ].join('\n');
  const bokmal = [
    'Protokoll fra foretaksmøte i Helse Sør-Øst RHF',
    'Tid: 14. januar 2021 kl. 12.00',
    'Sted: Helse- og omsorgsdepartementet',
    '',
    'Sak 1 Åpning av foretaksmøtet og godkjenning av innkalling og dagsorden',
    'Helse- og omsorgsministeren ønsket velkommen. Det var ingen merknader til innkallingen.',
    'Foretaksmøtet vedtok at innkalling og dagsorden er godkjent.',
    '',
    'Sak 2 Valg av en person til å undertegne protokollen sammen med møtelederen',
    'Foretaksmøtet ba styrelederen om å undertegne protokollen.',
    '',
    'Sak 3 Krav og rammer for 2021',
    'Foretaksmøtet ba Helse Sør-Øst RHF om å gjennomgå akuttilbudet i regionen innen høsten 2021.',
    '',
    'Foretaksmøtet la til grunn at de regionale helseforetakene, under ledelse av Helse Nord RHF,',
    'etablerer en felles løsning for tolketjenester i 2021.',
    '',
    'Sak 4 Styringsbudskap',
    'Helse Sør-Øst RHF skal fortsette arbeidet med pasientsikkerhet og rapportere i årlig melding.',
    '',
    'Møtet ble hevet kl. 12.30.',
  ].join('\n');

  it.each([
    ['nynorsk', nynorsk, 'helse-vest'],
    ['bokmål', bokmal, 'helse-sor-ost'],
  ])('%s: the meeting date, its decisions as oppdrag, and no formalities', (_, text, rhf) => {
    const letter = parseLetter(text);
    expect(letter).toMatchObject({
      recipient: rhf,
      year: 2021,
      date: '2021-01-14',
      kind: 'foretaksprotokoll',
    });
    expect(letter.oppdrag.map((o) => [o.source.lineStart, o.addressedTo, o.lead, o.deadline])).toEqual([
      [13, rhf, rhf, '2021-12-31'],
      [15, 'all', 'helse-nord', '2021-12-31'],
      [19, rhf, rhf, null],
    ]);
  });
});

describe('nynorsk and bokmål headings of goals, reporting and the closing', () => {
  it.each([
    ['Styringsparametrar 2021:', 'Rapportering i årleg melding', 'Venleg helsing'],
    ['Styringsparametere 2021:', 'Rapportering i årlig melding', 'Vennlig hilsen'],
  ])('%s / %s / %s hold no oppdrag', (goals, reporting, closing) => {
    const text = [
      'Oppdragsdokument 2021',
      'Helse Vest RHF',
      '',
      'Oppdrag 2021:',
      '• Helse Vest RHF skal greie ut tilbodet til innsette innan 1. juni 2021.',
      '',
      goals,
      '• Helse Vest RHF skal redusere ventetida innan 1. desember 2021.',
      '',
      reporting,
      'Helse Vest RHF skal rapportere om alle oppdrag innan 15. mars 2022 i samarbeid med helseføretaka.',
      '',
      closing,
      '',
      'Helse Vest RHF skal sende inn budsjett innan 1. februar 2021 i samarbeid med Helsedirektoratet.',
    ].join('\n');
    expect(parseLetter(text).oppdrag.map((o) => o.source.lineStart)).toEqual([5]);
  });
});

describe('titles people can scan', () => {
  const titleOf = (bullet: string) =>
    parseLetter(['Oppdragsdokument 2021', 'Helse Vest RHF', '', 'Oppdrag 2021:', `• ${bullet}`].join('\n'))
      .oppdrag[0]?.title;

  it.each([
    [
      'Helse Nord RHF skal bidra til at pasientane får tilbod nær heimen.',
      'Bidra til at pasientane får tilbod nær heimen.',
    ],
    [
      'Helse Nord RHF skal bidra til at pasientene får tilbud nær hjemmet.',
      'Bidra til at pasientene får tilbud nær hjemmet.',
    ],
    [
      'Dei regionale helseføretaka skal, under leiing av Helse Vest RHF og i samarbeid med Helsedirektoratet, greie ut tilbodet.',
      'Greie ut tilbodet.',
    ],
    [
      'De regionale helseforetakene skal, under ledelse av Helse Vest RHF og i samarbeid med Helsedirektoratet, utrede tilbudet.',
      'Utrede tilbudet.',
    ],
    [
      'Helse Vest RHF skal i samarbeid med Bergen kommune etablere eit prøveprosjekt.',
      'Etablere eit prøveprosjekt.',
    ],
    [
      'Helse Vest RHF skal i samarbeid med Bergen kommune etablere et prøveprosjekt.',
      'Etablere et prøveprosjekt.',
    ],
    ['Helse Vest RHF vert beden om å vurdere tilbodet.', 'Vurdere tilbodet.'],
    ['Helse Vest RHF bes om å vurdere tilbudet.', 'Vurdere tilbudet.'],
    ['Dei regionale helseføretaka skal i fellesskap setje i verk tiltak.', 'Setje i verk tiltak.'],
    [
      'De regionale helseforetakene skal i samarbeid, og under ledelse av Helse Vest RHF, gjennomgå kravene.',
      'Gjennomgå kravene.',
    ],
    ['Det vises til rapporten. Helse Nord RHF skal følgje opp tilrådingane.', 'Følgje opp tilrådingane.'],
    [
      'Helse Sør-Aust RHF tek ei leiarrolle for helseregionane i arbeidet med å vidareutvikle persontilpassa medisin.',
      'Vidareutvikle persontilpassa medisin.',
    ],
    [
      'Helse Sør-Øst RHF tar en lederrolle for regionene i arbeidet med å videreutvikle persontilpasset medisin.',
      'Videreutvikle persontilpasset medisin.',
    ],
  ])('%s → %s', (bullet, title) => {
    expect(titleOf(bullet)).toBe(title);
  });

  it('is at most about 120 characters, cut at a word', () => {
    const long =
      'Dei regionale helseføretaka skal greie ut korleis pasientforløpa for eldre med samansette lidingar kan bli betre ' +
      'samordna mellom sjukehus, kommunar og fastlegar i heile landet.';
    const title = titleOf(long)!;
    expect(title.length).toBeLessThanOrEqual(120);
    expect(title).toMatch(/^Greie ut korleis .* [\p{L}]+…$/u);
    expect(long.toLowerCase()).toContain(title.slice(0, -1).toLowerCase());
  });
});

describe('words broken at a line end, as PDF extraction leaves them', () => {
  it.each([
    [
      'nynorsk',
      'Dei regionale helseføretaka skal styrkje spesialisthelse-',
      'tenesta for barn i Helse Midt-',
      'Noreg og i helse- og omsorgstenesta.',
      'Styrkje spesialisthelsetenesta for barn i Helse Midt-Noreg og i helse- og omsorgstenesta.',
    ],
    [
      'bokmål',
      'De regionale helseforetakene skal styrke spesialisthelse-',
      'tjenesten for barn i Helse Midt-',
      'Norge og i helse- og omsorgstjenesten.',
      'Styrke spesialisthelsetjenesten for barn i Helse Midt-Norge og i helse- og omsorgstjenesten.',
    ],
  ])('%s: hyphenation is joined, a compound keeps its hyphen', (_, first, second, third, title) => {
    const letter = parseLetter(
      ['Oppdragsdokument 2021', 'Helse Nord RHF', '', 'Oppdrag 2021:', `• ${first}`, second, third].join(
        '\n',
      ),
    );
    expect(letter.oppdrag[0]?.title).toBe(title);
  });
});

describe('the letter date as a numeric date under a label', () => {
  it.each([
    ['nynorsk', 'Vår dato: 19.12.2019', 'Helse Vest RHF skal greie ut tilbodet innan 1. juni 2020.'],
    ['bokmål', 'Dato: 19.12.2019', 'Helse Vest RHF skal utrede tilbudet innen 1. juni 2020.'],
  ])('%s', (_, dateLine, task) => {
    const letter = parseLetter(
      ['Oppdragsdokument 2020', 'Helse Vest RHF', dateLine, '', 'Oppdrag 2020:', `• ${task}`].join('\n'),
    );
    expect(letter).toMatchObject({ year: 2020, date: '2019-12-19' });
    expect(letter.oppdrag[0]?.deadline).toBe('2020-06-01');
  });
});

describe('a list of RHFs that each take the lead on an item of their own', () => {
  it.each([
    [
      'nynorsk',
      [
        'Oppdragsdokument 2020',
        'Helse Vest RHF',
        '',
        '4. Nasjonal helse- og sjukehusplan',
        'Regjeringa har lagt fram planen. Det gjeld mellom anna desse områda:',
        '– Helse Sør-Aust RHF tek ei leiarrolle for helseregionane i arbeidet med persontilpassa medisin.',
        '– Helse Vest RHF tek ei leiarrolle for helseregionane i arbeidet med kunstig intelligens.',
        '– Helse Nord RHF tek ei leiarrolle for helseregionane i arbeidet med samisk helseteneste.',
      ],
    ],
    [
      'bokmål',
      [
        'Oppdragsdokument 2020',
        'Helse Vest RHF',
        '',
        '4. Nasjonal helse- og sykehusplan',
        'Regjeringen har lagt fram planen. Det gjelder blant annet disse områdene:',
        '– Helse Sør-Øst RHF tar en lederrolle for helseregionene i arbeidet med persontilpasset medisin.',
        '– Helse Vest RHF tar en lederrolle for helseregionene i arbeidet med kunstig intelligens.',
        '– Helse Nord RHF tar en lederrolle for helseregionene i arbeidet med samisk helsetjeneste.',
      ],
    ],
  ])('%s: one oppdrag per item, addressed to all, each with its own lead', (_, lines) => {
    const letter = parseLetter(lines.join('\n'));
    expect(letter.oppdrag.map((o) => [o.source.lineStart, o.addressedTo, o.lead])).toEqual([
      [6, 'all', 'helse-sor-ost'],
      [7, 'all', 'helse-vest'],
      [8, 'all', 'helse-nord'],
    ]);
  });
});

describe('foretaksmøte decisions in a row, without bullets', () => {
  it.each([
    [
      'nynorsk',
      'Føretaksmøtet bad Helse Nord RHF om å gjennomgå akuttilbodet og rapportere innan 1. juni 2022.',
      'Føretaksmøtet la til grunn at dei regionale helseføretaka, under leiing av Helse Sør-Aust RHF, etablerer ei felles løysing.',
    ],
    [
      'bokmål',
      'Foretaksmøtet ba Helse Nord RHF om å gjennomgå akuttilbudet og rapportere innen 1. juni 2022.',
      'Foretaksmøtet la til grunn at de regionale helseforetakene, under ledelse av Helse Sør-Øst RHF, etablerer en felles løsning.',
    ],
  ])('%s: each decision is an oppdrag', (_, first, second) => {
    const letter = parseLetter(
      ['Oppdragsdokument 2022', 'Helse Nord RHF', '', 'Oppdrag frå føretaksmøtet', first, second].join('\n'),
    );
    expect(letter.oppdrag.map((o) => [o.source.lineStart, o.addressedTo, o.lead, o.deadline])).toEqual([
      [5, 'helse-nord', 'helse-nord', '2022-06-01'],
      [6, 'all', 'helse-sor-ost', null],
    ]);
  });
});

describe('another agency’s tasks are no oppdrag for the RHFs', () => {
  it.each([
    [
      'nynorsk',
      [
        'Oppdragsdokument 2021',
        'Helse Vest RHF',
        '',
        'Andre oppgåver 2021:',
        '• Helsedirektoratet skal, i samarbeid med dei regionale helseføretaka, utvikle ein indikator.',
        '• Helse Vest RHF skal greie ut tilbodet til innsette.',
        '',
        'Vedlegg 2 Helsedirektoratets oppdrag som gjeld spesialisthelsetenesta',
        'Oppdrag 2021:',
        '• Direktoratet skal vurdere tilbodet i samarbeid med dei regionale helseføretaka.',
      ],
    ],
    [
      'bokmål',
      [
        'Oppdragsdokument 2021',
        'Helse Vest RHF',
        '',
        'Oppdrag 2021:',
        '• Helsedirektoratet skal, i samarbeid med de regionale helseforetakene, utvikle en indikator.',
        '• Helse Vest RHF skal utrede tilbudet til innsatte.',
        '',
        'Vedlegg 2 Helsedirektoratets oppdrag som gjelder spesialisthelsetjenesten',
        'Oppdrag 2021:',
        '• Direktoratet skal vurdere tilbudet i samarbeid med de regionale helseforetakene.',
      ],
    ],
  ])('%s: only the RHF’s own task', (_, lines) => {
    expect(parseLetter(lines.join('\n')).oppdrag.map((o) => o.source.lineStart)).toEqual([6]);
  });
});

describe('an unnumbered hovedmål heading ends the task list before it', () => {
  it.each([
    [
      'nynorsk',
      'Helse Vest RHF skal innrette verksemda si med sikte på å nå følgjande hovudmål:',
      'Andre oppgåver 2021:',
      '• Helse Vest RHF skal greie ut tilbodet til innsette.',
      'Dei regionale helseføretaka skal halde fram å prioritere psykisk helsevern i samarbeid med kommunane.',
    ],
    [
      'bokmål',
      'Helse Vest RHF skal innrette sin virksomhet med sikte på å nå følgende hovedmål:',
      'Oppdrag 2021:',
      '• Helse Vest RHF skal utrede tilbudet til innsatte.',
      'De regionale helseforetakene skal fortsatt prioritere psykisk helsevern i samarbeid med kommunene.',
    ],
  ])('%s: the prose under the next hovedmål is no continuation', (_, intro, heading, task, prose) => {
    const text = [
      'Oppdragsdokument 2021',
      'Helse Vest RHF',
      '',
      intro,
      '1. Redusere ventetider',
      '2. Prioritere psykisk helsevern',
      '',
      'Redusere ventetider',
      '',
      heading,
      task,
      '',
      'Prioritere psykisk helsevern',
      '',
      prose,
    ].join('\n');
    const letter = parseLetter(text);
    expect(
      letter.oppdrag.map((o) => [o.source.lineStart, o.source.lineEnd, o.source.section?.number]),
    ).toEqual([
      [11, 11, 1],
      [15, 15, 2],
    ]);
    expect(letter.oppdrag[1]?.outsideList).toBe(true);
  });
});

describe('headings of goal lists and task lists beyond "Mål 20XX" and "Oppdrag 20XX"', () => {
  it.each([
    [
      'nynorsk',
      'Mål for planperioden:',
      'Oppgåver knytt til Nasjonal helse- og sjukehusplan:',
      'Dei regionale helseføretaka skal auke talet på samval.',
      'Dei regionale helseføretaka skal etablere helsefellesskap saman med kommunane.',
    ],
    [
      'bokmål',
      'Målene for planperioden:',
      'Oppgaver knyttet til Nasjonal helse- og sykehusplan:',
      'De regionale helseforetakene skal øke bruken av samvalg.',
      'De regionale helseforetakene skal etablere helsefellesskap sammen med kommunene.',
    ],
  ])('%s: goals are passed over, tasks are read', (_, goals, tasks, goal, task) => {
    const text = [
      'Oppdragsdokument 2020',
      'Helse Vest RHF',
      '',
      goals,
      `• ${goal}`,
      '',
      tasks,
      `• ${task}`,
    ].join('\n');
    expect(parseLetter(text).oppdrag.map((o) => [o.source.lineStart, o.source.heading])).toEqual([
      [8, tasks.replace(/:$/, '')],
    ]);
  });
});
