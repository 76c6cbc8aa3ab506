/**
 * The organisation registry: the four RHFs, the ministry, and the collaborators the letters name most,
 * each with one stable id, one canonical name and the aliases (abbreviations, bokmål and nynorsk forms,
 * older names) under which it appears.
 */

export type OrganisationKind = 'rhf' | 'ministry' | 'agency' | 'municipality' | 'group' | 'other';

export interface Organisation {
  readonly id: string;
  readonly name: string;
  readonly shortName: string;
  readonly kind: OrganisationKind;
  readonly aliases: readonly string[];
}

export const RHF_IDS = ['helse-sor-ost', 'helse-vest', 'helse-midt-norge', 'helse-nord'] as const;
export type RhfId = (typeof RHF_IDS)[number];
export const HOD_ID = 'hod';

export const ORGANISATIONS: readonly Organisation[] = [
  {
    id: 'helse-sor-ost',
    name: 'Helse Sør-Øst RHF',
    shortName: 'Helse Sør-Øst',
    kind: 'rhf',
    // 'Helse Sør-Aust' is the nynorsk form; 'Helse Sør' (merged into Helse Sør-Øst in 2007) still slips into letters.
    aliases: ['Helse Sør-Øst', 'Helse Sor-Ost', 'HSØ', 'Helse Sør Øst', 'Helse Sør-Aust', 'Helse Sør'],
  },
  {
    id: 'helse-vest',
    name: 'Helse Vest RHF',
    shortName: 'Helse Vest',
    kind: 'rhf',
    aliases: ['Helse Vest'],
  },
  {
    id: 'helse-midt-norge',
    name: 'Helse Midt-Norge RHF',
    shortName: 'Helse Midt-Norge',
    kind: 'rhf',
    aliases: ['Helse Midt-Norge', 'Helse Midt Norge', 'HMN', 'Helse Midt-Noreg'],
  },
  {
    id: 'helse-nord',
    name: 'Helse Nord RHF',
    shortName: 'Helse Nord',
    kind: 'rhf',
    aliases: ['Helse Nord'],
  },
  {
    id: 'hod',
    name: 'Helse- og omsorgsdepartementet',
    shortName: 'HOD',
    kind: 'ministry',
    aliases: ['Helse- og omsorgsdepartementet', 'departementet', 'Helse- og omsorgsdepartementet (HOD)'],
  },
  {
    id: 'helsedirektoratet',
    name: 'Helsedirektoratet',
    shortName: 'Helsedirektoratet',
    kind: 'agency',
    aliases: ['Hdir', 'Helsedirektoratet'],
  },
  {
    id: 'folkehelseinstituttet',
    name: 'Folkehelseinstituttet',
    shortName: 'FHI',
    kind: 'agency',
    aliases: ['FHI', 'Folkehelseinstituttet', 'Nasjonalt folkehelseinstitutt'],
  },
  {
    id: 'direktoratet-for-medisinske-produkter',
    name: 'Direktoratet for medisinske produkter',
    shortName: 'DMP',
    kind: 'agency',
    aliases: ['DMP', 'Statens legemiddelverk', 'Legemiddelverket', 'SLV'],
  },
  {
    id: 'direktoratet-for-e-helse',
    name: 'Direktoratet for e-helse',
    shortName: 'e-helse',
    kind: 'agency',
    aliases: ['Direktoratet for e-helse', 'E-helsedirektoratet', 'Direktoratet for ehelse'],
  },
  {
    id: 'nav',
    name: 'NAV',
    shortName: 'NAV',
    kind: 'agency',
    aliases: ['Arbeids- og velferdsetaten', 'Arbeids- og velferdsdirektoratet', 'Nav'],
  },
  {
    id: 'kommunene',
    name: 'kommunene',
    shortName: 'kommunene',
    kind: 'group',
    aliases: ['kommunane', 'kommunesektoren', 'KS og kommunene', 'kommuner', 'kommunar'],
  },
  {
    id: 'ks',
    name: 'KS',
    shortName: 'KS',
    kind: 'other',
    aliases: ['Kommunesektorens organisasjon'],
  },
  {
    id: 'de-andre-regionale-helseforetakene',
    name: 'de andre regionale helseforetakene',
    shortName: 'de andre RHF-ene',
    kind: 'group',
    aliases: [
      'dei andre regionale helseføretaka',
      'de øvrige regionale helseforetakene',
      'dei andre regionale helseføretaka',
      'de andre RHF-ene',
      'dei andre RHF-a',
      'de andre regionene',
      'dei andre regionane',
      'de øvrige regionene',
      'de tre andre regionale helseforetakene',
      'dei tre andre regionale helseføretaka',
    ],
  },
  {
    id: 'helseforetakene',
    name: 'helseforetakene',
    shortName: 'helseforetakene',
    kind: 'group',
    aliases: ['helseforetak', 'helseføretak', 'helseføretaka', 'helseforetaka'],
  },
  {
    id: 'bufdir',
    name: 'Barne-, ungdoms- og familiedirektoratet',
    shortName: 'Bufdir',
    kind: 'agency',
    aliases: ['Bufdir', 'Barne-, ungdoms- og familiedirektoratet'],
  },
  {
    id: 'bufetat',
    name: 'Barne-, ungdoms- og familieetaten',
    shortName: 'Bufetat',
    kind: 'agency',
    aliases: ['Bufetat'],
  },
  {
    id: 'sametinget',
    name: 'Sametinget',
    shortName: 'Sametinget',
    kind: 'other',
    aliases: [],
  },
  {
    id: 'fagskolene',
    name: 'fagskolene',
    shortName: 'fagskolene',
    kind: 'group',
    aliases: ['fagskoler', 'fagskulane', 'fagskular'],
  },
  {
    id: 'helsetilsynet',
    name: 'Statens helsetilsyn',
    shortName: 'Helsetilsynet',
    kind: 'agency',
    aliases: ['Helsetilsynet', 'Statens helsetilsyn'],
  },
  {
    id: 'norsk-helsenett',
    name: 'Norsk helsenett SF',
    shortName: 'NHN',
    kind: 'agency',
    aliases: ['Norsk helsenett', 'NHN'],
  },
  {
    id: 'helseatlas',
    name: 'Senter for klinisk dokumentasjon og evaluering',
    shortName: 'SKDE',
    kind: 'other',
    aliases: ['SKDE'],
  },
  {
    id: 'sykehusinnkjop',
    name: 'Sykehusinnkjøp HF',
    shortName: 'Sykehusinnkjøp',
    kind: 'other',
    aliases: ['Sykehusinnkjøp', 'Sjukehusinnkjøp HF'],
  },
  {
    id: 'helseplattformen',
    name: 'Helseplattformen AS',
    shortName: 'Helseplattformen',
    kind: 'other',
    aliases: ['Helseplattformen'],
  },
  {
    id: 'nasjonalt-klageorgan',
    name: 'Nasjonalt klageorgan for helsetjenesten',
    shortName: 'Helseklage',
    kind: 'agency',
    aliases: ['Helseklage'],
  },
  {
    id: 'kreftregisteret',
    name: 'Kreftregisteret',
    shortName: 'Kreftregisteret',
    kind: 'other',
    aliases: [],
  },
  {
    id: 'universitetene',
    name: 'universitetene',
    shortName: 'universitetene',
    kind: 'group',
    aliases: [
      'universiteta',
      'universiteter og høgskoler',
      'universitets- og høyskolesektoren',
      'UH-sektoren',
    ],
  },
  {
    id: 'pasientorganisasjonene',
    name: 'pasient- og brukerorganisasjonene',
    shortName: 'brukerorganisasjonene',
    kind: 'group',
    aliases: [
      'brukerorganisasjonene',
      'brukarorganisasjonane',
      'pasient- og brukarorganisasjonane',
      'brukere',
    ],
  },
  {
    id: 'fylkeskommunene',
    name: 'fylkeskommunene',
    shortName: 'fylkeskommunene',
    kind: 'group',
    aliases: ['fylkeskommunane'],
  },
  {
    id: 'statsforvalterne',
    name: 'statsforvalterne',
    shortName: 'statsforvalterne',
    kind: 'group',
    aliases: ['Statsforvalteren', 'statsforvaltarane', 'fylkesmennene'],
  },
];

/** Lower-cases and folds spacing, dashes and the bokmål/nynorsk letter variants that do not change meaning. */
export function normaliseOrganisationName(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s*-\s*/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/\brhf\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const byId = new Map(ORGANISATIONS.map((o) => [o.id, o]));
const byName = new Map<string, Organisation>();
for (const org of ORGANISATIONS) {
  for (const name of [org.name, org.shortName, org.id, ...org.aliases]) {
    const key = normaliseOrganisationName(name);
    if (!byName.has(key)) byName.set(key, org);
  }
}

/** The organisation with this id, or undefined. */
export function organisationById(id: string): Organisation | undefined {
  return byId.get(id);
}

/** The registry entry a name or alias refers to ("FHI", "Folkehelseinstituttet", "Helse Vest RHF"), or undefined. */
export function resolveOrganisation(nameOrAlias: string): Organisation | undefined {
  return byName.get(normaliseOrganisationName(nameOrAlias)) ?? byId.get(nameOrAlias.trim());
}

/** True when the id is one of the four regional health authorities. */
export function isRhfId(id: string): id is RhfId {
  return (RHF_IDS as readonly string[]).includes(id);
}

/** A stable id for a collaborator the registry does not know: its normalised name as a slug. */
export function slugForOrganisationName(name: string): string {
  return normaliseOrganisationName(name)
    .replace(/[æ]/g, 'ae')
    .replace(/[øö]/g, 'o')
    .replace(/[åä]/g, 'a')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A collaborator as events store it: a registry id where one exists, else a slug, with the name to show. */
export interface OrganisationRef {
  readonly id: string;
  readonly name: string;
}

/** Resolves a name, alias or id to the reference that events store. */
export function organisationRef(nameOrId: string): OrganisationRef {
  const known = resolveOrganisation(nameOrId);
  if (known) return { id: known.id, name: known.name };
  const name = nameOrId.replace(/\s+/g, ' ').trim();
  return { id: slugForOrganisationName(name), name };
}

/** Edit distance between two short strings (insertions, deletions and substitutions count 1). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The registry's organisations whose name or an alias is nearest to `name` (a misspelling such as
 * "Helsedirektortet"), closest first; at most `limit`, and only those close enough to be meant.
 */
export function nearestOrganisations(name: string, limit = 3): Organisation[] {
  const key = normaliseOrganisationName(name);
  if (key.length === 0) return [];
  const best = new Map<string, { org: Organisation; distance: number }>();
  for (const [candidate, org] of byName) {
    const distance = editDistance(key, candidate);
    const allowed = Math.max(2, Math.floor(Math.max(key.length, candidate.length) / 4));
    if (distance > allowed) continue;
    const seen = best.get(org.id);
    if (!seen || distance < seen.distance) best.set(org.id, { org, distance });
  }
  const sorted = [...best.values()].sort(
    (a, b) => a.distance - b.distance || a.org.name.localeCompare(b.org.name),
  );
  // Only the closest: a name one letter off is meant; one four letters off beside it is noise.
  const closest = sorted[0]?.distance ?? 0;
  return sorted
    .filter((b) => b.distance === closest)
    .slice(0, limit)
    .map((b) => b.org);
}

/** Whether the registry knows this organisation id. */
export const isKnownOrganisationId = (id: string): boolean => byId.has(id);
