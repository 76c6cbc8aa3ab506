/**
 * Whom a task addresses, who leads it and who takes part, from the letters' fixed phrases in bokmål and
 * nynorsk.
 */
import {
  decideAddressees,
  decideLead,
  findCollaborators,
  findLeadPhrases,
  findSubject,
} from '../src/index.js';

const collaboratorIds = (text: string, exclude: string[] = []) =>
  findCollaborators(text, exclude).map((c) => c.ref.id);

describe('the subject: whom a task is addressed to', () => {
  it.each([
    ['De regionale helseforetakene skal, under ledelse av Helse Vest RHF, gjennomgå kravene.', 'all'],
    ['Dei regionale helseføretaka skal, under leiing av Helse Vest RHF, greie ut saka.', 'all'],
    ['Regionene skal utrede innretning av tilbud for barn.', 'all'],
    ['RHF-ene skal samarbeide om dette.', 'all'],
    ['Helse Midt-Norge RHF skal gjennomgå finansieringen.', 'helse-midt-norge'],
    ['Helse Midt-Norge skal planlegge for at alle institusjoner får et tilbud.', 'helse-midt-norge'],
    ['Helse  Midt-Norge RHF bes fortsette arbeidet.', 'helse-midt-norge'],
    ['Helse Sør-Aust RHF skal leggje fram ein plan.', 'helse-sor-ost'],
    ['I tråd med opptrappingsplanen skal Helse Nord RHF gi en årlig status.', 'helse-nord'],
    ['Helse Vest RHF vert bedd om å vurdere tilbodet.', 'helse-vest'],
    ['Føretaksmøtet 14. januar 2020 bad Helse Vest RHF om å gjennomgå akuttilbodet.', 'helse-vest'],
    ['Foretaksmøtet ba de regionale helseforetakene om å etablere et register.', 'all'],
    ['I foretaksmøtet 31. mars 2020 ble de regionale helseforetakene bedt om å lage en plan.', 'all'],
    ['Alle dei regionale helseføretaka skal ha ein plan for beredskap.', 'all'],
    ['Alle de regionale helseforetakene skal ha en plan for beredskap.', 'all'],
    ['Regionane skal greie ut tilbodet til barn.', 'all'],
    ['RHF-a skal samarbeide om dette.', 'all'],
    ['Alle RHF-ene skal ha en felles rutine.', 'all'],
    ['Alle akuttsjukehus skal ha traumeteam.', 'all'],
    ['Alle akuttsykehus skal ha traumeteam.', 'all'],
    ['Alle helseføretak skal ha eit tilbod om samval.', 'all'],
    ['Alle helseforetak skal ha et tilbud om samvalg.', 'all'],
    ['Departementet ber dei regionale helseføretaka om å vurdere tilbodet.', 'all'],
    ['Departementet ber Helse Nord RHF om å vurdere tilbudet.', 'helse-nord'],
    ['Helse Vest RHF tek ei leiarrolle for helseregionane i arbeidet med kunstig intelligens.', 'all'],
    ['Helse Vest RHF tar en lederrolle for regionene i arbeidet med kunstig intelligens.', 'all'],
    ['Helse Nord RHF tek ei leiarrolle i arbeidet med samisk helseteneste.', 'helse-nord'],
  ])('%s → %s', (text, addressed) => {
    expect(findSubject(text)?.addressed).toBe(addressed);
  });

  it('skips sentences that give no task and reads the first that does', () => {
    const text =
      'Det vises til nasjonal strategi. De regionale helseforetakene leverte en statusrapport 1. desember 2023. ' +
      'De regionale helseforetakene, ved Helse Sør-Øst RHF, skal rapportere om status.';
    expect(findSubject(text)).toEqual({
      addressed: 'all',
      phrase: 'De regionale helseforetakene, ved Helse Sør-Øst RHF, skal',
    });
  });

  it('finds nothing in a text that gives no RHF a task', () => {
    expect(
      findSubject('Regjeringen vil legge fram en stortingsmelding. Det skal prøves ut i 2024.'),
    ).toBeNull();
  });
});

describe('the addressees: the RHFs that must do and report it', () => {
  const addressees = (text: string, recipient = 'helse-vest' as const) => {
    const subject = findSubject(text);
    const addressed = subject?.addressed ?? 'all';
    const lead = decideLead(text, subject, addressed).lead;
    return decideAddressees(text, subject, addressed, lead, recipient).addressees;
  };
  const ALL = ['helse-sor-ost', 'helse-vest', 'helse-midt-norge', 'helse-nord'];

  it.each([
    ['Helse Vest RHF skal greie ut tilbodet.', ['helse-vest']],
    ['Helse Vest RHF skal utrede tilbudet.', ['helse-vest']],
    ['Dei regionale helseføretaka skal greie ut tilbodet.', ALL],
    ['De regionale helseforetakene skal utrede tilbudet.', ALL],
    ['Regionane skal greie ut tilbodet.', ALL],
    ['RHF-ene skal utrede tilbudet.', ALL],
    ['Alle akuttsjukehus skal ha traumeteam.', ALL],
    ['Alle akuttsykehus skal ha traumeteam.', ALL],
    ['Helse Nord RHF skal greie ut samisk helse.', ['helse-nord']],
    ['Helse Nord RHF skal utrede samisk helse.', ['helse-nord']],
    [
      'Helse Sør-Aust RHF skal etablere tilbodet. Helse Vest RHF skal bidra i arbeidet.',
      ['helse-sor-ost', 'helse-vest'],
    ],
    [
      'Helse Sør-Øst RHF skal etablere tilbudet. Helse Vest RHF skal bidra i arbeidet.',
      ['helse-sor-ost', 'helse-vest'],
    ],
    [
      'Helse Sør-Øst RHF skal etablere tilbudet. Tilbudet skal være landsdekkende. Helse Vest RHF skal bidra.',
      ['helse-sor-ost'],
    ],
    ['Helse Vest RHF skal, under leiing av Helse Nord RHF, greie ut tilbodet.', ['helse-vest', 'helse-nord']],
  ])('%s → %j', (text, expected) => {
    expect(addressees(text)).toEqual(expected);
  });
});

describe('the lead', () => {
  it.each([
    [
      'De regionale helseforetakene skal, under ledelse av Helse Sør-Øst RHF, pilotere ordningen.',
      'helse-sor-ost',
    ],
    ['Dei regionale helseføretaka skal, under leiing av Helse Vest RHF, greie ut saka.', 'helse-vest'],
    [
      'De regionale helseforetakene skal under ledelse av Helse Vest RHF samarbeide om rammeverket.',
      'helse-vest',
    ],
    [
      'De regionale helseforetakene skal utvikle tjenesten. Arbeidet ledes av Helse Sør-Øst RHF.',
      'helse-sor-ost',
    ],
    [
      'Dei regionale helseføretaka skal byggje opp tilbodet. Arbeidet vert leia av Helse Nord RHF.',
      'helse-nord',
    ],
    [
      'De regionale helseforetakene skal evaluere følgetjenesten. Helse Midt-Norge RHF leder arbeidet.',
      'helse-midt-norge',
    ],
    [
      'Dei regionale helseføretaka skal etablere registeret. Helse Nord RHF skal leie arbeidet.',
      'helse-nord',
    ],
    ['De regionale helseforetakene skal utrede registeret. Helse Vest RHF skal lede arbeidet.', 'helse-vest'],
    [
      'Helse Midt-Norge RHF skal følge opp planen. Helse Sør-Øst RHF bes om å koordinere arbeid på tvers.',
      'helse-sor-ost',
    ],
    [
      'De regionale helseforetakene skal utarbeide et mandat. Helse Sør RHF skal koordinere arbeidet.',
      'helse-sor-ost',
    ],
    ['De regionale helseforetakene, ved Helse Sør-Øst RHF, skal rapportere om status.', 'helse-sor-ost'],
    ['Dei regionale helseføretaka, ved Helse Vest RHF, skal samordne innkjøpa.', 'helse-vest'],
    ['Helse Vest RHF vert bedd om å koordinere arbeidet.', 'helse-vest'],
    [
      'Helse Midt-Norge RHF skal følgje opp planen. Helse Sør-Aust RHF blir beden om å koordinere arbeid på tvers.',
      'helse-sor-ost',
    ],
    [
      'Dei regionale helseføretaka skal utvikle tenesta. Arbeidet blir leidd av Helse Sør-Aust RHF.',
      'helse-sor-ost',
    ],
    [
      'Dei regionale helseføretaka skal etablere registeret. Helse Midt-Norge RHF leiar arbeidet.',
      'helse-midt-norge',
    ],
    [
      'Dei regionale helseføretaka skal greie ut saka. Helse Vest RHF får i oppdrag å leie arbeidet.',
      'helse-vest',
    ],
    [
      'De regionale helseforetakene skal lage en plan. Helse Nord RHF er ansvarlig for å koordinere arbeidet.',
      'helse-nord',
    ],
    ['Dei regionale helseføretaka skal, under leiinga til Helse Nord RHF, greie ut saka.', 'helse-nord'],
    [
      'De regionale helseforetakene skal lage en plan. Helse Vest RHF skal ha det koordinerende ansvaret.',
      'helse-vest',
    ],
    ['Helse Vest RHF tek ei leiarrolle for helseregionane i arbeidet med kunstig intelligens.', 'helse-vest'],
    ['Helse Vest RHF tar en lederrolle for helseregionene i arbeidet med kunstig intelligens.', 'helse-vest'],
    ['Dei regionale helseføretaka skal byggje ut tilbodet. Helse Nord RHF har leiarrolla.', 'helse-nord'],
    ['De regionale helseforetakene skal bygge ut tilbudet. Helse Nord RHF har lederrollen.', 'helse-nord'],
    ['Dei regionale helseføretaka skal greie ut saka med Helse Sør-Aust RHF i spissen.', 'helse-sor-ost'],
    ['De regionale helseforetakene skal utrede saken med Helse Sør-Øst RHF i spissen.', 'helse-sor-ost'],
    [
      'Dei regionale helseføretaka skal lage ein plan. Helse Midt-Noreg RHF har ansvaret for å koordinere.',
      'helse-midt-norge',
    ],
    [
      'De regionale helseforetakene skal lage en plan. Helse Midt-Norge RHF har ansvaret for å koordinere.',
      'helse-midt-norge',
    ],
    [
      'Dei regionale helseføretaka skal lage ein plan. Helse Vest RHF får i oppgåve å koordinere arbeidet.',
      'helse-vest',
    ],
    [
      'De regionale helseforetakene skal lage en plan. Helse Vest RHF får i oppgave å koordinere arbeidet.',
      'helse-vest',
    ],
  ])('%s → %s', (text, lead) => {
    expect(decideLead(text, findSubject(text), findSubject(text)?.addressed ?? 'all').lead).toBe(lead);
  });

  it('is the addressed RHF when it alone is addressed and no other lead is named', () => {
    const text = 'Helse Midt-Norge RHF skal gjennomgå finansieringen av fødselsomsorgen.';
    expect(decideLead(text, findSubject(text), 'helse-midt-norge')).toEqual({
      lead: 'helse-midt-norge',
      evidence: 'Helse Midt-Norge RHF skal',
      distinctLeads: 0,
    });
  });

  it('is nobody when all RHFs are addressed and no lead is named', () => {
    const text = 'De regionale helseforetakene skal sørge for at kapasiteten bygges opp.';
    expect(decideLead(text, findSubject(text), 'all').lead).toBeNull();
  });

  it('is never a body that is no RHF ("som ledes av Helsedirektoratet")', () => {
    const text =
      'De regionale helseforetakene skal bidra inn i samarbeidet om KI som ledes av Helsedirektoratet.';
    expect(findLeadPhrases(text)).toEqual([]);
    expect(decideLead(text, findSubject(text), 'all').lead).toBeNull();
  });

  it('takes the first lead phrase and counts the distinct leads named', () => {
    const text =
      'De regionale helseforetakene skal i fellesskap iverksette tiltak: under ledelse av Helse Midt-Norge RHF, ' +
      'implementere ordninger; under ledelse av Helse Vest RHF kartlegge variasjon.';
    expect(decideLead(text, findSubject(text), 'all')).toMatchObject({
      lead: 'helse-midt-norge',
      distinctLeads: 2,
    });
  });

  it('does not read "Helse Nord-Trøndelag HF" as Helse Nord RHF', () => {
    expect(findLeadPhrases('Arbeidet ledes av Helse Nord-Trøndelag HF.')).toEqual([]);
  });
});

describe('collaborators', () => {
  it('reads a list after "i samarbeid med"', () => {
    expect(
      collaboratorIds(
        'Helse Midt-Norge skal, i samarbeid med Direktoratet for medisinske produkter, Folkehelseinstituttet og Helsedirektoratet, fortsette arbeidet.',
      ),
    ).toEqual(['direktoratet-for-medisinske-produkter', 'folkehelseinstituttet', 'helsedirektoratet']);
  });

  it('resolves aliases and abbreviations through the registry (FHI, Nav, SKDE)', () => {
    expect(
      collaboratorIds('Helse Sør-Øst RHF skal lede arbeidet, i samarbeid med Helsedirektoratet og FHI.'),
    ).toEqual(['helsedirektoratet', 'folkehelseinstituttet']);
    expect(collaboratorIds('Tilbudet gis i et samarbeid med Nav, for å bli inkludert i arbeidsliv.')).toEqual(
      ['nav'],
    );
    expect(collaboratorIds('SKDE bør involveres i arbeidet.')).toEqual(['helseatlas']);
  });

  it('reads nynorsk: "saman med", "kommunane", "skal involverast"', () => {
    expect(
      collaboratorIds(
        'Helse Vest RHF skal saman med Helse Nord RHF og Folkehelseinstituttet vurdere tiltak.',
      ),
    ).toEqual(['helse-nord', 'folkehelseinstituttet']);
    expect(
      collaboratorIds('Dei regionale helseføretaka skal i samarbeid med kommunane greie ut tilbodet.'),
    ).toEqual(['kommunene']);
    expect(collaboratorIds('Helsedirektoratet skal involverast.')).toEqual(['helsedirektoratet']);
  });

  it('reads "samarbeide med", "bidra i Xs arbeid", "bidra i oppdrag til X og Y" and "X gis en koordinerende rolle"', () => {
    expect(
      collaboratorIds('Regionene bes om å samarbeide med Helsedirektoratet om problemstillinger.'),
    ).toEqual(['helsedirektoratet']);
    expect(
      collaboratorIds('Helse Sør-Øst RHF skal bidra i Helsedirektoratets arbeid om læring og mestring.'),
    ).toEqual(['helsedirektoratet']);
    expect(
      collaboratorIds(
        'Helse Midt-Norge RHF skal bidra i oppdrag til Helsedirektoratet og Arbeids- og velferdsdirektoratet om å vurdere behovet.',
      ),
    ).toEqual(['helsedirektoratet', 'nav']);
    expect(
      collaboratorIds('Nasjonal behandlingstjeneste for organtransplantasjon gis en koordinerende rolle.'),
    ).toEqual(['nasjonal-behandlingstjeneste-for-organtransplantasjon']);
  });

  it('reads nynorsk genitives, "blir leidd av" and "koordinerande rolle"', () => {
    expect(
      collaboratorIds(
        'Helse Sør-Aust RHF skal bidra i Helsedirektoratet sitt arbeid med læring og meistring.',
      ),
    ).toEqual(['helsedirektoratet']);
    expect(
      collaboratorIds(
        'Dei regionale helseføretaka skal bidra inn i samarbeidet om KI som blir leidd av Helsedirektoratet.',
      ),
    ).toEqual(['helsedirektoratet']);
    expect(
      collaboratorIds('Nasjonal behandlingsteneste for organtransplantasjon får ei koordinerande rolle.'),
    ).toEqual(['nasjonal-behandlingsteneste-for-organtransplantasjon']);
  });

  it('keeps hyphen-coordinated names whole and names unknown partners by a slug', () => {
    expect(
      collaboratorIds(
        'Oppdraget løses i samarbeid med Helsedirektoratet og Barne-, ungdoms- og familiedirektoratet.',
      ),
    ).toEqual(['helsedirektoratet', 'bufdir']);
    expect(
      collaboratorIds('De skal i samarbeid med øvrige sentrale aktører, særlig fagskolene, utvikle løpene.'),
    ).toEqual(['ovrige-sentrale-aktorer', 'fagskolene']);
    expect(
      collaboratorIds('Partssamarbeidet skal benyttes og lokale tillitsvalgte skal involveres i arbeidet.'),
    ).toEqual(['lokale-tillitsvalgte']);
  });

  it('reads the other side of "samarbeid mellom" and the other regions', () => {
    expect(collaboratorIds('Samarbeidet mellom spesialisthelsetjenesten og kommunene skal styrkes.')).toEqual(
      ['kommunene'],
    );
    expect(
      collaboratorIds('Helse Sør-Øst RHF skal i samarbeid med de andre regionene vurdere funksjoner.'),
    ).toEqual(['de-andre-regionale-helseforetakene']);
  });

  it('leaves out the lead, HOD and the RHFs as a group', () => {
    const text =
      'Helse Vest RHF skal i samarbeid med Helse Vest RHF, departementet og de regionale helseforetakene vurdere dette.';
    expect(collaboratorIds(text, ['helse-vest'])).toEqual([]);
  });

  it('counts a body that is no RHF leading the work as a partner, but not a second RHF lead', () => {
    expect(
      collaboratorIds(
        'De regionale helseforetakene skal delta i arbeidet under ledelse av Helsedirektoratet.',
      ),
    ).toEqual(['helsedirektoratet']);
    expect(
      collaboratorIds(
        'Herunder: under ledelse av Helse Midt-Norge RHF, gjøre A; under ledelse av Helse Vest RHF gjøre B.',
        ['helse-midt-norge'],
      ),
    ).toEqual([]);
  });

  it('names no partner for "i samarbeid" without an object', () => {
    expect(
      collaboratorIds(
        'De regionale helseforetakene skal i samarbeid, og under ledelse av Helse Vest RHF, gjennomgå kravene.',
      ),
    ).toEqual([]);
  });
});
