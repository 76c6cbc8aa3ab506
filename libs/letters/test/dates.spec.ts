/**
 * Deadline dates: real dates a task must meet, in bokmål and nynorsk, and the conventions for periods.
 * Dates that are merely mentioned are not deadlines.
 */
import { classifyDate, findDeadlines } from '../src/index.js';

const ctx = { year: 2024, letterDate: null };
const dates = (text: string, context = ctx) => findDeadlines(text, context).map((d) => d.date);

describe('a day, month and year after a deadline word', () => {
  it.each([
    ['Vurderingene skal oversendes departementet innen 1. oktober 2024.', '2024-10-01'],
    ['Rapport skal sendast departementet innan 1. november 2020.', '2020-11-01'],
    ['Det bes om en underveisrapportering til departementet innen 15.september 2024.', '2024-09-15'],
    ['Frist for oppdraget er 1. juni 2025.', '2025-06-01'],
    ['Fristen for å levere rapporten er 1. mars 2021.', '2021-03-01'],
    ['Svaret skal ligge føre seinast 30. april 2022.', '2022-04-30'],
    ['Planen skal leveres senest 01.12.2024.', '2024-12-01'],
    ['Utredningen leveres med frist 1. okt. 2024.', '2024-10-01'],
    ['Helse Vest RHF skal levere rapporten 1. mars 2021.', '2021-03-01'],
    ['Fristen er satt til 1. mars 2022.', '2022-03-01'],
    ['Planen skal være ferdigstilt 15. juni 2022.', '2022-06-15'],
    ['Helse Vest RHF skal leggje fram planen 1. mars 2021.', '2021-03-01'],
    ['Helse Vest RHF skal legge fram planen 1. mars 2021.', '2021-03-01'],
    ['Vurderinga skal liggje føre 1. mars 2021.', '2021-03-01'],
    ['Vurderingen skal ligge føre 1. mars 2021.', '2021-03-01'],
  ])('%s → %s', (text, expected) => {
    expect(dates(text)).toEqual([expected]);
  });

  it('reads every date one deadline word governs', () => {
    expect(dates('Det skal leveres statusrapporter innen 1. oktober 2024 og 1. april 2025.')).toEqual([
      '2024-10-01',
      '2025-04-01',
    ]);
  });
});

describe('periods become the last day of the period', () => {
  it.each([
    ['Arbeidet skal være ferdig innen utgangen av 2024.', '2024-12-31'],
    ['Arbeidet skal vere ferdig innan utgangen av 2020.', '2020-12-31'],
    ['Tiltaket skal være på plass innen utgangen av mars 2025.', '2025-03-31'],
    ['Tiltaket skal vere på plass innan utgangen av februar 2024.', '2024-02-29'],
    ['Ordningen skal evalueres innen første halvår 2025.', '2025-06-30'],
    ['Ordninga skal evaluerast innan andre tertial 2021.', '2021-08-31'],
    ['Planen skal være klar i løpet av 2025.', '2025-12-31'],
    ['Rapporten skal leggjast fram innan juni 2021.', '2021-06-30'],
  ])('%s → %s', (text, expected) => {
    const [found] = findDeadlines(text, ctx);
    expect(found?.date).toBe(expected);
    expect(found?.convention).toMatch(/last day/);
  });

  it.each([
    ['Helse Vest RHF skal vurdere tiltak innan hausten 2020.', '2020-12-31', /autumn/],
    ['Helse Sør-Øst RHF skal vurdere tiltak innen høsten 2020.', '2020-12-31', /autumn/],
    ['Helse Nord RHF skal levere ei vurdering innan våren 2021.', '2021-06-30', /spring/],
    ['Helse Nord RHF skal levere en vurdering innen våren 2021.', '2021-06-30', /spring/],
    ['Saken skal avklares innen sommeren 2024.', '2024-08-31', /summer/],
    ['Saken skal avklarast innan vinteren 2024.', '2024-02-29', /winter/],
  ])('season: %s → %s (documented convention)', (text, expected, convention) => {
    const [found] = findDeadlines(text, ctx);
    expect(found?.date).toBe(expected);
    expect(found?.convention).toMatch(convention);
  });

  it('a season without a year takes the letter year', () => {
    expect(dates('Helse Vest RHF skal gjere dette innan hausten.', { year: 2020, letterDate: null })).toEqual(
      ['2020-12-31'],
    );
  });
});

describe('periods the task is placed in, without a deadline word (LABELLING.md)', () => {
  const task = { year: 2021, letterDate: null, task: true };
  const found = (text: string) => findDeadlines(text, task).map((d) => [d.date, d.convention]);

  it.each([
    ['Bidra til at indikatoren blir publisert første halvår 2021.', '2021-06-30', /half-year/],
    ['Bidra til at indikatoren blir publisert fyrste halvår 2021.', '2021-06-30', /half-year/],
    ['Helse Vest RHF skal etablere eit prosjekt for oppstart andre halvår 2021.', '2021-12-31', /half-year/],
    ['Helse Nord RHF skal etablere et prosjekt med oppstart andre halvår 2021.', '2021-12-31', /half-year/],
    ['Dei regionale helseføretaka skal leggje fram ein plan våren 2021.', '2021-06-30', /spring/],
    ['De regionale helseforetakene skal legge fram en plan våren 2021.', '2021-06-30', /spring/],
    ['Helse Vest RHF skal starte opp tilbodet hausten 2021.', '2021-12-31', /autumn/],
    ['Helse Midt-Norge RHF skal starte opp tilbudet høsten 2021.', '2021-12-31', /autumn/],
    [
      'Dei regionale helseføretaka skal sende ei vurdering til departementet i mai 2021.',
      '2021-05-31',
      /month/,
    ],
    [
      'De regionale helseforetakene skal sende en vurdering til departementet i mai 2021.',
      '2021-05-31',
      /month/,
    ],
    ['Helse Vest RHF skal gjennomføre evalueringa i 2021.', '2021-12-31', /year/],
    ['Helse Sør-Øst RHF skal gjennomføre evalueringen i 2021.', '2021-12-31', /year/],
    ['Dei regionale helseføretaka skal i løpet av 2021 etablere tilbodet.', '2021-12-31', /year/],
    ['Helse Nord RHF skal innan utgangen av 2021 etablere tilbodet.', '2021-12-31', /year/],
    ['Tiltaka skal gjennomførast i løpet av planperioden 2021–2024.', '2024-12-31', /period/],
    ['Tiltakene skal gjennomføres i planperioden 2021-2024.', '2024-12-31', /period/],
    ['Ventetida skal vere under 50 dagar ved utgangen av 2022.', '2022-12-31', /year/],
  ])('%s → %s', (text, date, convention) => {
    const [first, ...rest] = found(text);
    expect(rest).toEqual([]);
    expect(first?.[0]).toBe(date);
    expect(first?.[1]).toMatch(convention);
  });

  it.each([
    // An earlier oppdrag or a report of a past year.
    'Dei regionale helseføretaka skal, med utgangspunkt i oppdrag i 2019, etablere eit kartotek.',
    'De regionale helseforetakene skal følge opp rapporten fra 2020.',
    // A reference or a range, not the task's own time.
    'Helse Vest RHF skal følgje opp tilrådingane i rapporten frå våren 2021.',
    'Helse Vest RHF skal følge opp anbefalingene i rapporten fra høsten 2021.',
    'Dei regionale helseføretaka skal vidareføre ordninga fram til 2022.',
    'De regionale helseforetakene skal lage en plan for 2022.',
    // Something that happened, in a relative clause.
    'Helse Nord RHF skal følgje opp ordninga som vart innført i mai 2021.',
    'Helse Nord RHF skal følge opp ordningen som ble innført i mai 2021.',
    // What the government or an agency will do.
    'Regjeringa vil leggje fram ei ny melding våren 2021.',
    'Helsedirektoratet skal levere en rapport høsten 2021.',
  ])('%s → no deadline', (text) => {
    expect(findDeadlines(text, task)).toEqual([]);
  });

  it('needs the oppdrag context: prose outside a task reads periods only after a deadline word', () => {
    expect(findDeadlines('Helse Vest RHF skal gjennomføre evalueringa i 2021.', ctx)).toEqual([]);
  });
});

describe('referenced dates are not deadlines, in both written standards', () => {
  const task = { year: 2021, letterDate: null, task: true };
  it.each([
    'Helse Vest RHF skal arbeide i tråd med rapporten av 3. mai 2021.',
    'Helse Vest RHF skal arbeide i tråd med rapporten datert 3. mai 2021.',
    'De regionale helseforetakene skal følge opp forslaget som ble sendt på høring 12. mars 2021.',
    'Dei regionale helseføretaka skal følgje opp forslaget som vart sendt på høyring 12. mars 2021.',
    'Helse Midt-Norge RHF skal gjennomføre tiltakene som ble vedtatt i foretaksmøtet 14. januar.',
    'Helse Midt-Noreg RHF skal gjennomføre tiltaka som vart vedtekne i føretaksmøtet 14. januar.',
    'Helse Vest RHF skal følgje opp rapporten, SIFER 12. januar 2018 og tilrådingane i brev av 19. mars 2018.',
  ])('%s', (text) => {
    expect(findDeadlines(text, task)).toEqual([]);
  });
});

describe('a day and month without a year', () => {
  it('takes the letter year', () => {
    expect(dates('Rapporten skal sendes innen 1. oktober.', { year: 2024, letterDate: null })).toEqual([
      '2024-10-01',
    ]);
  });

  it('rolls over to the next year when the day is already past at the letter date', () => {
    const ctxJuly = { year: 2024, letterDate: '2024-07-03' as never };
    expect(dates('Rapporten skal sendes innen 1. mars.', ctxJuly)).toEqual(['2025-03-01']);
  });
});

describe('merely mentioned dates are no deadlines', () => {
  it.each([
    'Det vises til Politidirektoratets brev av 8. februar 2024 til landets politidistrikter.',
    'De regionale helseforetakene leverte en statusrapport 1. desember 2023 med tilhørende plan.',
    'Helsedirektoratets rapport (Gjennomgang av Fristbrudd og avtaleverk 7.12.2023) synliggjør ulik praksis.',
    'Ekspertutvalget leverte rapport om tvang i juni 2023.',
    'Det vises til oppdragsdokument 2024 av 24. januar 2024.',
    'Minst 70 pst. av epikrisene skal være sendt innen 1 dag etter utskrivning.',
    'Det skal legges fram en ny opptrappingsplan for psykisk helse i 2023.',
    'Regjeringen skal legge frem en ny prioriteringsmelding våren 2025.',
    'Tiltaket gjelder perioden 2024 til 2025.',
    'Meld. St. 40 (2020-2021) Mål med mening, jf. NOU 2022: 5.',
  ])('%s', (text) => {
    expect(findDeadlines(text, ctx)).toEqual([]);
  });
});

describe('the kind of a date comes from its own clause', () => {
  it('tells a status report, an interim report, a report and the task deadline apart', () => {
    const text =
      'Det skal leveres en statusrapport innen 1. april 2024. Det bes om en underveisrapportering innen 15. september 2024. ' +
      'Rapport skal sendes departementet innen 30. november 2024. Frist for oppdraget er 1. juni 2025.';
    expect(findDeadlines(text, ctx).map((d) => [d.kind, d.date])).toEqual([
      ['statusrapport', '2024-04-01'],
      ['underveisrapportering', '2024-09-15'],
      ['rapport', '2024-11-30'],
      ['frist', '2025-06-01'],
    ]);
  });

  it('reads two dates in one sentence with their own clauses (nynorsk "undervegsrapport")', () => {
    const text =
      'Det skal leverast ein undervegsrapport innan 15. mars 2020 og arbeidet skal vere ferdig innan utgangen av 2020.';
    expect(findDeadlines(text, ctx).map((d) => [d.kind, d.date])).toEqual([
      ['underveisrapportering', '2020-03-15'],
      ['frist', '2020-12-31'],
    ]);
  });

  it('classifies by wording', () => {
    expect(classifyDate('skal rapportere om status til departementet innen')).toBe('statusrapport');
    expect(classifyDate('skal rapportere på dette i årleg melding innan')).toBe('årlig melding');
    expect(classifyDate('skal oppsummere vurderinger og tiltak til departementet innen')).toBe('frist');
    expect(classifyDate('Det bes om en kortfattet rapportering på dette punktet innen')).toBe('rapport');
    expect(classifyDate('Helse Vest RHF skal gjere greie for arbeidet innan')).toBe('rapport');
    expect(classifyDate('Helse Vest RHF skal gjøre rede for arbeidet innen')).toBe('rapport');
  });

  it('keeps the sentence as evidence', () => {
    const [found] = findDeadlines('Frist for oppdraget er 1. juni 2025.', ctx);
    expect(found?.evidence).toBe('Frist for oppdraget er 1. juni 2025.');
    expect(found?.expression).toBe('1. juni 2025');
  });
});
