/** The store boundary: stable type strings, a schema version in every payload, and upcasting old shapes. */
import {
  CURRENT_SCHEMA_VERSION,
  decide,
  decodeEvent,
  encodeEvent,
  EventDecodingError,
  fold,
  isOppdragEventType,
  OPPDRAG_EVENT_TYPES,
  type OppdragCommand,
  type OppdragEvent,
} from '../src/index.js';
import { day, ID, leadRhfUser, ONE_OF_EACH_EVENT } from './support/fixtures.js';

const everyEvent: OppdragEvent[] = Object.values(ONE_OF_EACH_EVENT);

describe('encodeEvent', () => {
  it('stores the event data with its current schema version', () => {
    expect(encodeEvent(ONE_OF_EACH_EVENT.OppdragStarted)).toEqual({
      type: 'OppdragStarted',
      data: { oppdragId: ID, part: 'helse-midt-norge', startedOn: '2024-03-01', schemaVersion: 2 },
    });
    expect(encodeEvent(ONE_OF_EACH_EVENT.OppdragAssigned).data.schemaVersion).toBe(3);
  });

  it.each(everyEvent.map((e) => [e.type, e] as const))(
    'versions %s as CURRENT_SCHEMA_VERSION says',
    (type, event) => {
      expect(encodeEvent(event)).toEqual({
        type,
        data: { ...event.data, schemaVersion: CURRENT_SCHEMA_VERSION[type] },
      });
    },
  );

  it('does not change the event it encodes', () => {
    const event = ONE_OF_EACH_EVENT.OppdragReported;
    const before = JSON.stringify(event);
    encodeEvent(event);
    expect(JSON.stringify(event)).toBe(before);
    expect(event.data).not.toHaveProperty('schemaVersion');
  });
});

describe('decodeEvent', () => {
  it('has a sample of every stored event type in this specification', () => {
    expect(everyEvent.map((e) => e.type).sort()).toEqual([...OPPDRAG_EVENT_TYPES].sort());
  });

  it.each(everyEvent.map((e) => [e.type, e] as const))(
    'round-trips %s through encode, JSON and decode',
    (type, event) => {
      const stored = encodeEvent(event);
      const fromDisk: unknown = JSON.parse(JSON.stringify(stored.data));
      expect(decodeEvent(type, fromDisk)).toEqual(event);
    },
  );

  it("reads a payload that carries no schema version as version 1 (the lead's part, before parts existed)", () => {
    expect(decodeEvent('OppdragStarted', { oppdragId: ID, startedOn: '2024-03-01' })).toEqual({
      type: 'OppdragStarted',
      data: { oppdragId: ID, part: null, startedOn: '2024-03-01' },
    });
    expect(decodeEvent('CollaboratorRemoved', { oppdragId: ID, collaboratorId: 'nav', reason: 'x' })).toEqual(
      {
        type: 'CollaboratorRemoved',
        data: { oppdragId: ID, collaboratorId: 'nav', reason: 'x' },
      },
    );
  });

  it('refuses an unknown event type', () => {
    expect(() => decodeEvent('OppdragDeleted', { oppdragId: ID })).toThrow(
      new EventDecodingError('unknown event type "OppdragDeleted"'),
    );
  });

  it('treats type strings as exact (no case folding)', () => {
    expect(isOppdragEventType('OppdragStarted')).toBe(true);
    expect(isOppdragEventType('oppdragStarted')).toBe(false);
    expect(() => decodeEvent('oppdragStarted', { oppdragId: ID })).toThrow(EventDecodingError);
  });

  it.each([
    ['null', null],
    ['a string', 'OppdragStarted'],
    ['a number', 42],
    ['an array', [{ oppdragId: ID }]],
    ['undefined', undefined],
  ])('refuses a payload that is %s', (_what, payload) => {
    expect(() => decodeEvent('OppdragStarted', payload)).toThrow(
      new EventDecodingError('payload of OppdragStarted is not an object'),
    );
  });

  it('refuses a schema version from a newer build', () => {
    expect(() =>
      decodeEvent('OppdragAssigned', { ...ONE_OF_EACH_EVENT.OppdragAssigned.data, schemaVersion: 4 }),
    ).toThrow(new EventDecodingError('OppdragAssigned has schema version 4; this build reads 1 to 3'));
    expect(() =>
      decodeEvent('OppdragStarted', { oppdragId: ID, startedOn: '2024-03-01', schemaVersion: 3 }),
    ).toThrow(new EventDecodingError('OppdragStarted has schema version 3; this build reads 1 to 2'));
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses schema version %p', (schemaVersion) => {
    expect(() =>
      decodeEvent('OppdragStarted', { oppdragId: ID, startedOn: '2024-03-01', schemaVersion }),
    ).toThrow(EventDecodingError);
  });

  it.each(['3', '2', null, true])(
    'refuses a schema version that is not a number (%p) instead of guessing',
    (schemaVersion) => {
      expect(() =>
        decodeEvent('OppdragAssigned', { ...ONE_OF_EACH_EVENT.OppdragAssigned.data, schemaVersion }),
      ).toThrow(
        new EventDecodingError(
          `OppdragAssigned has schema version ${JSON.stringify(schemaVersion)}; this build reads 1 to 3`,
        ),
      );
    },
  );

  it('refuses a payload without an oppdrag id', () => {
    expect(() => decodeEvent('OppdragStarted', { startedOn: '2024-03-01', schemaVersion: 1 })).toThrow(
      new EventDecodingError('OppdragStarted has no oppdragId'),
    );
  });
});

describe('upcasting OppdragAssigned from version 1 (the first pilot)', () => {
  /** A payload as the pilot stored it: lead by display name, collaborators as names, one letter string. */
  const v1 = {
    schemaVersion: 1,
    oppdragId: '2021-hmn-04',
    year: 2021,
    title: 'Etablere regionalt pasientforløp',
    description: 'Helse Midt-Norge RHF skal i samarbeid med FHI etablere et regionalt pasientforløp.',
    leadRhf: 'Helse Midt-Norge RHF',
    collaborators: ['FHI', 'Helse Vest', 'Statens legemiddelverk', 'Nordland fylkeskommune'],
    deadline: '2021-11-01',
    letter: 'oppdragsdokument-2021-hmn',
  };

  it('resolves the lead name to its id, collaborator names and aliases to references, and the letter to a source', () => {
    expect(decodeEvent('OppdragAssigned', v1)).toEqual({
      type: 'OppdragAssigned',
      data: {
        oppdragId: '2021-hmn-04',
        year: 2021,
        title: 'Etablere regionalt pasientforløp',
        description: 'Helse Midt-Norge RHF skal i samarbeid med FHI etablere et regionalt pasientforløp.',
        hovedmal: null,
        sources: [
          {
            letter: 'oppdragsdokument-2021-hmn',
            recipient: null,
            letterKind: 'other',
            section: null,
            heading: null,
            lineStart: null,
            lineEnd: null,
          },
        ],
        lead: 'helse-midt-norge',
        collaborators: [
          { id: 'folkehelseinstituttet', name: 'Folkehelseinstituttet' },
          { id: 'helse-vest', name: 'Helse Vest RHF' },
          { id: 'direktoratet-for-medisinske-produkter', name: 'Direktoratet for medisinske produkter' },
          { id: 'nordland-fylkeskommune', name: 'Nordland fylkeskommune' },
        ],
        deadline: '2021-11-01',
        milestones: [],
        // Before parts: a led oppdrag was its lead's alone, and the day it was assigned was not kept.
        addressees: ['helse-midt-norge'],
        assignedOn: null,
      },
    });
  });

  it('reads a pilot payload that carries no schema version at all as version 1', () => {
    const { schemaVersion: _omitted, ...unversioned } = v1;
    expect(decodeEvent('OppdragAssigned', unversioned)).toEqual(decodeEvent('OppdragAssigned', v1));
  });

  it('resolves lead aliases such as "HSØ"', () => {
    const event = decodeEvent('OppdragAssigned', { ...v1, leadRhf: 'HSØ', collaborators: [] });
    expect(event).toMatchObject({ data: { lead: 'helse-sor-ost', collaborators: [] } });
  });

  it('keeps one reference per organisation when the pilot listed it under two names', () => {
    const event = decodeEvent('OppdragAssigned', {
      ...v1,
      collaborators: ['FHI', 'Folkehelseinstituttet', 'Hdir'],
    });
    expect(event).toMatchObject({
      data: {
        collaborators: [
          { id: 'folkehelseinstituttet', name: 'Folkehelseinstituttet' },
          { id: 'helsedirektoratet', name: 'Helsedirektoratet' },
        ],
      },
    });
  });

  it('drops the lead from the collaborators, since the lead never also collaborates', () => {
    const event = decodeEvent('OppdragAssigned', { ...v1, collaborators: ['Helse Midt-Norge', 'FHI'] });
    expect(event).toMatchObject({
      data: {
        lead: 'helse-midt-norge',
        collaborators: [{ id: 'folkehelseinstituttet', name: 'Folkehelseinstituttet' }],
      },
    });
  });

  it.each([
    ['a name the registry does not know', 'Helse Mitt-Norge'],
    ['an organisation that is not an RHF', 'HOD'],
    ['an agency', 'FHI'],
  ])('refuses a lead that is %s rather than silently reading it as "no lead"', (_what, leadRhf) => {
    expect(() => decodeEvent('OppdragAssigned', { ...v1, leadRhf })).toThrow(
      new EventDecodingError(`OppdragAssigned v1 names lead "${leadRhf}", which is not one of the four RHFs`),
    );
  });

  it('reads a missing lead as none and a missing letter as no sources', () => {
    const { leadRhf: _lead, letter: _letter, ...bare } = v1;
    expect(decodeEvent('OppdragAssigned', bare)).toMatchObject({ data: { lead: null, sources: [] } });
  });

  it('is stored again as the current version and reads back unchanged', () => {
    const upcast = decodeEvent('OppdragAssigned', v1);
    const stored = encodeEvent(upcast);
    expect(stored.data.schemaVersion).toBe(3);
    expect(stored.data).not.toHaveProperty('leadRhf');
    expect(stored.data).not.toHaveProperty('letter');
    expect(decodeEvent(stored.type, JSON.parse(JSON.stringify(stored.data)))).toEqual(upcast);
  });

  it('gives an oppdrag the decider works on: its lead RHF can report', () => {
    const state = fold([decodeEvent('OppdragAssigned', v1)]);
    expect(state).toMatchObject({ status: 'assigned', lead: 'helse-midt-norge', deadline: '2021-11-01' });
    const command: OppdragCommand = {
      type: 'ReportOppdrag',
      data: {
        oppdragId: '2021-hmn-04',
        reportedOn: day('2021-10-15'),
        documentRef: 'sak 21/77',
        summary: null,
      },
    };
    const events = decide(command, state, { actor: leadRhfUser, now: '2021-10-20T10:00:00Z' });
    expect(events.map((e) => e.type)).toEqual(['OppdragStarted', 'OppdragReported']);
  });
});
