/**
 * mergeLetters turns parsed letters into one import plan: joint oppdrag once with every source, the same plan
 * for the same letters in any order, nothing new when a letter is imported again, and data the domain accepts.
 */
import { decide, initialState, OPPDRAG_ID_PATTERN, type Actor, type OppdragAssigned } from '#domain';
import {
  fingerprint,
  fnv1a32,
  mergeLetters,
  oppdragIdFor,
  parseLetter,
  toAssignData,
  type ParsedLetter,
} from '../src/index.js';
import { REGIONS, regionLetter } from './fixtures.js';

const fileOf = (region: string) => `2024-${region.toLowerCase().replace(/ /g, '-')}.txt`;
const letters: ParsedLetter[] = REGIONS.map((region) =>
  parseLetter(regionLetter(region, region === 'Helse Nord RHF'), { fileName: fileOf(region) }),
);

const permutations = <T>(items: readonly T[]): T[][] =>
  items.length <= 1
    ? [[...items]]
    : items.flatMap((item, i) =>
        permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
      );

describe('joint oppdrag across the four regions’ letters', () => {
  const plan = mergeLetters(letters);

  it('plans each joint oppdrag once, listing every letter it stands in', () => {
    const joint = plan.oppdrag.filter((o) => o.sources.length > 1);
    expect(joint).toHaveLength(2);
    for (const o of joint) {
      expect(o.sources.map((s) => s.letter)).toEqual([...REGIONS.map(fileOf)].sort());
      expect(new Set(o.sources.map((s) => s.recipient))).toEqual(
        new Set(['helse-sor-ost', 'helse-vest', 'helse-midt-norge', 'helse-nord']),
      );
    }
  });

  it('merges a joint oppdrag whose wording differs slightly in one letter', () => {
    const ki = plan.oppdrag.find((o) => o.title.includes('kunstig intelligens'));
    expect(ki?.sources).toHaveLength(4);
    expect(ki?.lead).toBe('helse-sor-ost');
  });

  it('keeps each region’s own oppdrag apart, with its own lead', () => {
    const own = plan.oppdrag.filter((o) => o.sources.length === 1);
    expect(own.map((o) => o.lead).sort()).toEqual([
      'helse-midt-norge',
      'helse-nord',
      'helse-sor-ost',
      'helse-vest',
    ]);
    expect(own.every((o) => o.deadline === '2024-10-01')).toBe(true);
    expect(plan.oppdrag).toHaveLength(6);
  });

  it('addresses a joint oppdrag to all four RHFs and each region’s own to its recipient', () => {
    for (const o of plan.oppdrag) {
      if (o.sources.length > 1)
        expect(o.addressees).toEqual(['helse-sor-ost', 'helse-vest', 'helse-midt-norge', 'helse-nord']);
      else expect(o.addressees).toEqual([o.sources[0]?.recipient]);
      if (o.lead) expect(o.addressees).toContain(o.lead);
    }
  });

  it('summarises the letters', () => {
    expect(plan.letters.map((l) => [l.letter, l.recipient, l.oppdrag])).toEqual(
      [...REGIONS]
        .map((r) => [fileOf(r), parseLetter(regionLetter(r), { fileName: fileOf(r) }).recipient, 3])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });

  it('gives the same plan for the letters in any order', () => {
    const expected = JSON.stringify(plan);
    for (const order of permutations(letters)) expect(JSON.stringify(mergeLetters(order))).toBe(expected);
  });

  it('changes nothing when a letter is imported again', () => {
    expect(mergeLetters([...letters, letters[0]!, letters[2]!])).toEqual(plan);
    const again = parseLetter(regionLetter('Helse Vest RHF'), { fileName: fileOf('Helse Vest RHF') });
    expect(mergeLetters([again, ...letters])).toEqual(plan);
  });

  it('keeps the id of a joint oppdrag when more letters join it later', () => {
    const alone = mergeLetters([letters[0]!]);
    const ids = new Set(plan.oppdrag.map((o) => o.oppdragId));
    const metodevurdering = alone.oppdrag.find((o) => o.title.includes('metodevurdering'));
    expect(metodevurdering && ids.has(metodevurdering.oppdragId)).toBe(true);
  });
});

describe('ids', () => {
  const plan = mergeLetters(letters);

  it('are readable, deterministic and valid stream ids', () => {
    for (const o of plan.oppdrag) {
      expect(o.oppdragId).toMatch(OPPDRAG_ID_PATTERN);
      expect(o.oppdragId).toMatch(/^2024-[a-z0-9-]+-[0-9a-f]{10}$/);
    }
    expect(new Set(plan.oppdrag.map((o) => o.oppdragId)).size).toBe(plan.oppdrag.length);
    const ki = plan.oppdrag.find((o) => o.title.includes('kunstig intelligens'));
    expect(ki?.oppdragId).toMatch(/^2024-ta-bruk-losninger-kunstig-[0-9a-f]{10}$/);
  });

  it('derive from year and normalised text, not from spacing or case', () => {
    const a = oppdragIdFor(
      2024,
      'Helse Vest RHF skal etablere et register.',
      'helse vest rhf skal etablere et register',
    );
    expect(a).toBe(
      oppdragIdFor(
        2024,
        'Helse Vest RHF skal etablere et register.',
        'helse vest rhf skal etablere et register',
      ),
    );
    expect(a).not.toBe(
      oppdragIdFor(
        2025,
        'Helse Vest RHF skal etablere et register.',
        'helse vest rhf skal etablere et register',
      ),
    );
    expect(a).toMatch(/^2024-etablere-register-[0-9a-f]{10}$/);
    const spaced = parseLetter(
      regionLetter('Helse Vest RHF').replace('skal, under ledelse', 'skal,  under   ledelse'),
    );
    const plain = parseLetter(regionLetter('Helse Vest RHF'));
    expect(mergeLetters([spaced]).oppdrag.map((o) => o.oppdragId)).toEqual(
      mergeLetters([plain]).oppdrag.map((o) => o.oppdragId),
    );
  });

  it('use FNV-1a, implemented without a platform library', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(fingerprint('foobar')).toMatch(/^bf9cf968[0-9a-f]{8}$/);
  });
});

describe('planned oppdrag are AssignOppdrag data', () => {
  const plan = mergeLetters(letters);
  const coordinator: Actor = {
    userId: 'u1',
    name: 'Kari Koordinator',
    role: 'coordinator',
    organisationId: 'hod',
  };

  it('toAssignData returns exactly the fields of an AssignOppdrag command, registering the organisations the letter names', () => {
    const keys: (keyof OppdragAssigned['data'])[] = [
      'oppdragId',
      'year',
      'title',
      'description',
      'hovedmal',
      'sources',
      'addressees',
      'lead',
      'collaborators',
      'deadline',
      'milestones',
      'assignedOn',
    ];
    for (const o of plan.oppdrag) {
      const data = toAssignData(o);
      expect(Object.keys(data).sort()).toEqual([...keys, 'registerNewOrganisation'].sort());
      expect(data).toEqual({
        ...Object.fromEntries(keys.map((k) => [k, o[k as keyof typeof o]])),
        registerNewOrganisation: true,
      });
    }
  });

  it('carries addressees, confidence and evidence besides', () => {
    for (const o of plan.oppdrag) {
      expect(o.confidence).toBeGreaterThan(0);
      expect(o.confidence).toBeLessThanOrEqual(1);
      expect(o.evidence.passages).toBe(o.sources.length);
    }
  });

  it('is accepted by the domain decider as it is', () => {
    for (const o of plan.oppdrag) {
      const events = decide({ type: 'AssignOppdrag', data: toAssignData(o) }, initialState(), {
        actor: coordinator,
        now: '2024-02-01T10:00:00Z',
      });
      const { registerNewOrganisation: _registered, ...stated } = toAssignData(o);
      expect(events).toEqual([
        {
          type: 'OppdragAssigned',
          // What the letter says, addressees included, and the day it was assigned: the letter's date.
          data: stated,
        },
      ]);
      const dated = plan.letters
        .filter((l) => o.sources.some((s) => s.letter === l.letter))
        .map((l) => l.date);
      expect(dated).not.toContain(null);
      expect(o.assignedOn).toBe([...dated].sort()[0]);
    }
  });

  it('an oppdrag from an undated letter is assigned on the day the domain gives (1 January of its year)', () => {
    const undated = mergeLetters([
      parseLetter(
        [
          'Oppdragsdokument 2025',
          '',
          'Helse Nord RHF',
          '',
          'Oppdrag 2025:',
          '',
          '- Helse Nord RHF skal utrede bruk av kunstig intelligens i radiologi innen 1. oktober 2025.',
        ].join('\n'),
        { fileName: 'udatert.txt' },
      ),
    ]);
    expect(undated.oppdrag.map((o) => o.assignedOn)).toEqual([null]);
    const [event] = decide(
      { type: 'AssignOppdrag', data: toAssignData(undated.oppdrag[0]!) },
      initialState(),
      {
        actor: coordinator,
        now: '2025-02-01T10:00:00Z',
      },
    );
    expect(event?.data).toMatchObject({ assignedOn: '2025-01-01' });
  });

  it('has unique collaborators that are neither the lead nor HOD, and unique milestone ids', () => {
    for (const o of plan.oppdrag) {
      const ids = o.collaborators.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).not.toContain(o.lead);
      expect(ids).not.toContain('hod');
      expect(new Set(o.milestones.map((m) => m.id)).size).toBe(o.milestones.length);
    }
    const metode = plan.oppdrag.find((o) => o.title.includes('metodevurdering'));
    expect(metode).toMatchObject({
      lead: null,
      collaborators: [
        { id: 'direktoratet-for-medisinske-produkter', name: 'Direktoratet for medisinske produkter' },
      ],
      deadline: '2024-12-31',
      milestones: [{ id: 'statusrapport-2024-04-01', kind: 'statusrapport', dueDate: '2024-04-01' }],
    });
    const ki = plan.oppdrag.find((o) => o.title.includes('kunstig intelligens'));
    expect(ki?.collaborators.map((c) => c.id)).toEqual(['helsedirektoratet', 'folkehelseinstituttet']);
  });

  it('names its hovedmål and sources like the domain does', () => {
    const o = plan.oppdrag[0]!;
    expect(o.hovedmal).toEqual({
      number: 1,
      title: 'Styrke psykisk helsevern og tverrfaglig spesialisert rusbehandling',
    });
    expect(o.sources[0]).toMatchObject({ letterKind: 'hoveddokument', heading: 'Oppdrag 2024' });
  });
});
