import type { Actor, RhfId } from '#domain';
import type { Rng } from '../rng.js';

/**
 * Text fragments in the style of the oppdragsdokument letters, so that generated payloads have the size
 * and shape of real ones (a first-sentence title, a description of a few sentences, section titles).
 */

export const RHF_SHORT: Readonly<Record<RhfId, string>> = {
  'helse-sor-ost': 'hso',
  'helse-vest': 'hv',
  'helse-midt-norge': 'hmn',
  'helse-nord': 'hn',
};

export const RHF_NAMES: Readonly<Record<RhfId, string>> = {
  'helse-sor-ost': 'Helse Sør-Øst RHF',
  'helse-vest': 'Helse Vest RHF',
  'helse-midt-norge': 'Helse Midt-Norge RHF',
  'helse-nord': 'Helse Nord RHF',
};

export const HOVEDMAL = [
  { number: 1, title: 'Vi skal utdanne, rekruttere og beholde personell' },
  { number: 2, title: 'Vi skal styrke samhandlingen med kommunene og de andre tjenestene' },
  { number: 3, title: 'Vi skal ta i bruk ny teknologi og digitale løsninger i hele tjenesten' },
  { number: 4, title: 'Vi skal redusere ventetider og uønsket variasjon i kapasitetsutnyttelse' },
  { number: 5, title: 'Vi skal styrke psykisk helsevern og tverrfaglig spesialisert rusbehandling' },
  { number: 6, title: 'Vi skal sikre god beredskap, forsyningssikkerhet og økonomisk bærekraft' },
] as const;

const VERBS = [
  'utrede',
  'etablere',
  'kartlegge',
  'evaluere',
  'utarbeide',
  'videreutvikle',
  'gjennomgå',
  'rapportere på',
  'legge til rette for',
  'styrke arbeidet med',
  'sikre oppfølging av',
  'prøve ut',
];

const OBJECTS = [
  'en felles løsning for digital hjemmeoppfølging',
  'ventetider i psykisk helsevern for barn og unge',
  'bruken av kunstig intelligens i klinisk praksis',
  'felles innkjøp av legemidler til sjeldne sykdommer',
  'ordningen med akuttmedisinske kommunikasjonssentraler',
  'en nasjonal plan for rekruttering av spesialsykepleiere',
  'samarbeidet med kommunene om utskrivningsklare pasienter',
  'kapasiteten i tverrfaglig spesialisert rusbehandling',
  'tiltak for å redusere sykefraværet blant ansatte',
  'bruken av video- og telefonkonsultasjoner',
  'en felles modell for kvalitetsregistre',
  'beredskapslagre for legemidler og medisinsk utstyr',
  'pakkeforløp for kreft og oppfølging av måltall',
  'tilbudet til pasienter med langvarige og sammensatte behov',
  'tiltak mot uønsket variasjon i forbruket av helsetjenester',
  'felles regional IKT-arkitektur og informasjonssikkerhet',
  'prehospitale tjenester i distriktene',
  'lærlingordningen for helsefagarbeidere',
  'klimaavtrykket fra sykehusdriften',
  'pasientreiser og ventetid på transport',
];

const CONTEXT = [
  'Arbeidet skal skje i nært samarbeid med kommunene og brukerorganisasjonene.',
  'Det skal legges vekt på erfaringer fra helseforetakene og eksisterende nasjonale tiltak.',
  'Resultatene skal inngå i grunnlaget for neste nasjonale helse- og samhandlingsplan.',
  'Oppdraget skal ses i sammenheng med tidligere oppdrag på området og pågående arbeid i Helsedirektoratet.',
  'Det skal gjøres en vurdering av økonomiske og administrative konsekvenser av de foreslåtte tiltakene.',
  'Tillitsvalgte og vernetjenesten skal involveres på egnet måte.',
  'Det skal rapporteres på status og fremdrift i Årlig melding.',
  'Arbeidet skal bygge på kunnskapsgrunnlaget fra Folkehelseinstituttet og Senter for klinisk dokumentasjon og evaluering.',
  'Løsningene skal være i tråd med nasjonale føringer for digitalisering og informasjonssikkerhet.',
  'De regionale helseforetakene skal sikre at tilbudet er likeverdig i hele regionen.',
];

export const COLLABORATORS = [
  { id: 'helsedirektoratet', name: 'Helsedirektoratet' },
  { id: 'folkehelseinstituttet', name: 'Folkehelseinstituttet' },
  { id: 'direktoratet-for-medisinske-produkter', name: 'Direktoratet for medisinske produkter' },
  { id: 'direktoratet-for-e-helse', name: 'Direktoratet for e-helse' },
  { id: 'nav', name: 'NAV' },
  { id: 'kommunene', name: 'kommunene' },
  { id: 'ks', name: 'KS' },
  { id: 'norsk-helsenett', name: 'Norsk helsenett SF' },
  { id: 'sykehusinnkjop', name: 'Sykehusinnkjøp HF' },
  { id: 'universitetene', name: 'universitetene' },
  { id: 'pasientorganisasjonene', name: 'pasient- og brukerorganisasjonene' },
  { id: 'statsforvalterne', name: 'statsforvalterne' },
  { id: 'helse-sor-ost', name: 'Helse Sør-Øst RHF' },
  { id: 'helse-vest', name: 'Helse Vest RHF' },
  { id: 'helse-midt-norge', name: 'Helse Midt-Norge RHF' },
  { id: 'helse-nord', name: 'Helse Nord RHF' },
] as const;

export const REASONS = {
  deadline: [
    'Fristen forlenges etter søknad fra det regionale helseforetaket i oppfølgingsmøtet.',
    'Arbeidet må samordnes med et nytt oppdrag til Helsedirektoratet; fristen flyttes tilsvarende.',
    'Ny frist avtalt i oppfølgingsmøtet, jf. referat.',
  ],
  lead: [
    'Ledelsen av oppdraget legges til dette regionale helseforetaket etter avklaring i oppfølgingsmøtet.',
    'Etter dialog med de regionale helseforetakene gis ett RHF ansvaret for å lede arbeidet.',
  ],
  collaboratorAdded: [
    'Arbeidet berører også denne virksomhetens ansvarsområde.',
    'Tas med i arbeidet etter innspill i oppfølgingsmøtet.',
  ],
  collaboratorRemoved: ['Virksomheten deltar ikke lenger i arbeidet, jf. brev fra departementet.'],
  reopen: [
    'Rapporten svarer ikke fullt ut på oppdraget; departementet ber om en supplerende redegjørelse.',
    'Departementet ber om oppdaterte tall etter ny statistikk.',
  ],
  withdrawn: [
    'Oppdraget trekkes tilbake; det er ivaretatt gjennom et annet oppdrag.',
    'Oppdraget utgår etter endringer i statsbudsjettet.',
  ],
  superseded: ['Oppdraget erstattes av et nytt oppdrag i tilleggsdokumentet.'],
} as const;

export const SUMMARIES = [
  'Oppdraget er gjennomført som beskrevet; se vedlagt rapport.',
  'Oppdraget er gjennomført. Enkelte tiltak videreføres i ordinær drift.',
  'Rapporten er oversendt departementet og drøftet i oppfølgingsmøtet.',
  null,
] as const;

/** A few named users per RHF and at HOD, as the tokens in a real deployment would name them. */
export const RHF_USERS: Readonly<Record<RhfId, readonly Actor[]>> = {
  'helse-sor-ost': usersOf('helse-sor-ost', ['Siri Solberg', 'Ola Østby', 'Ingrid Aas']),
  'helse-vest': usersOf('helse-vest', ['Vegard Vik', 'Marte Mjelde', 'Arne Bø']),
  'helse-midt-norge': usersOf('helse-midt-norge', ['Mari Moe', 'Trond Tangen', 'Eli Engen']),
  'helse-nord': usersOf('helse-nord', ['Nils Nilsen', 'Hanne Hansen', 'Per Pedersen']),
};

export const COORDINATORS: readonly Actor[] = [
  { userId: 'kari.koordinator', name: 'Kari Koordinator', role: 'coordinator', organisationId: 'hod' },
  { userId: 'jon.jensen', name: 'Jon Jensen', role: 'coordinator', organisationId: 'hod' },
];

function usersOf(organisationId: RhfId, names: readonly string[]): Actor[] {
  return names.map((name) => ({
    userId: `${name.toLowerCase().replace(/[^a-zæøå]+/g, '.')}@${organisationId}`,
    name,
    role: 'rhf',
    organisationId,
  }));
}

/** A title (the letter's first sentence) and a description of several sentences. */
export function oppdragText(
  rng: Rng,
  lead: RhfId | null,
  joint: boolean,
): { title: string; description: string } {
  const verb = rng.pick(VERBS);
  const object = rng.pick(OBJECTS);
  const subject = joint
    ? lead
      ? `De regionale helseforetakene skal, under ledelse av ${RHF_NAMES[lead]},`
      : 'De regionale helseforetakene skal'
    : 'Det regionale helseforetaket skal';
  const title = `${capitalise(verb)} ${object}.`;
  const sentences = [`${subject} ${verb} ${object}.`];
  const extra = rng.int(1, 4);
  for (const sentence of rng.shuffled(CONTEXT).slice(0, extra)) sentences.push(sentence);
  return { title, description: sentences.join(' ') };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
