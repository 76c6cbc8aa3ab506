import {
  decideCalendarFeed,
  evolveCalendarFeeds,
  MAX_OPEN_FEEDS,
  type Actor,
  type CalendarFeedCommand,
  type CalendarFeedsState,
  type FeedScope,
} from '../src/index.js';

const coordinator: Actor = { userId: 'kari', name: 'Kari', role: 'coordinator', organisationId: 'hod' };
const vest: Actor = { userId: 'vegard', name: 'Vegard', role: 'rhf', organisationId: 'helse-vest' };
const auditor: Actor = { userId: 'rita', name: 'Rita', role: 'auditor', organisationId: 'riksrevisjonen' };
const hash = 'a'.repeat(64);

const create = (feedId: string, scope: FeedScope | null = null): CalendarFeedCommand => ({
  type: 'CreateCalendarFeed',
  data: { feedId, tokenHash: hash, scope },
});

/** The feeds after the given commands, each decided on the state before it. */
function given(actor: Actor, ...commands: CalendarFeedCommand[]): CalendarFeedsState {
  let feeds: CalendarFeedsState = [];
  for (const command of commands)
    for (const event of decideCalendarFeed(command, feeds, actor)) feeds = evolveCalendarFeeds(feeds, event);
  return feeds;
}

describe('calendar feeds', () => {
  describe('given no feeds', () => {
    it('when an RHF user makes one, then it shows its own RHF, whatever else it names', () => {
      expect(decideCalendarFeed(create('0123456789abcdef'), [], vest)).toEqual([
        {
          type: 'CalendarFeedCreated',
          data: {
            schemaVersion: 1,
            feedId: '0123456789abcdef',
            tokenHash: hash,
            scope: { kind: 'rhf', rhf: 'helse-vest' },
            owner: vest,
          },
        },
      ]);
      expect(() => decideCalendarFeed(create('0123456789abcdef', { kind: 'all' }), [], vest)).toThrow(
        /its own RHF's parts only/,
      );
      expect(() =>
        decideCalendarFeed(create('0123456789abcdef', { kind: 'rhf', rhf: 'helse-nord' }), [], vest),
      ).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    });

    it('when a coordinator makes one, then it shows every RHF, or the one named', () => {
      const [all] = decideCalendarFeed(create('0123456789abcdef'), [], coordinator);
      expect(all?.type === 'CalendarFeedCreated' && all.data.scope).toEqual({ kind: 'all' });
      const [nord] = decideCalendarFeed(
        create('0123456789abcdef', { kind: 'rhf', rhf: 'helse-nord' }),
        [],
        coordinator,
      );
      expect(nord?.type === 'CalendarFeedCreated' && nord.data.scope).toEqual({
        kind: 'rhf',
        rhf: 'helse-nord',
      });
      expect(() =>
        decideCalendarFeed(create('0123456789abcdef', { kind: 'rhf', rhf: 'hod' }), [], coordinator),
      ).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'rhf' }));
    });

    it('when an auditor (who writes nothing) asks for one, then it is refused by the rule', () => {
      expect(() => decideCalendarFeed(create('0123456789abcdef'), [], auditor)).toThrow(
        'rule "only rhf or coordinator users subscribe to calendar feeds": Rita is auditor',
      );
    });

    it('when the id or hash is malformed, then it is refused naming the field', () => {
      expect(() => decideCalendarFeed(create('xyz'), [], vest)).toThrow(
        expect.objectContaining({ field: 'feedId' }),
      );
      expect(() =>
        decideCalendarFeed(
          { type: 'CreateCalendarFeed', data: { feedId: '0123456789abcdef', tokenHash: 'x', scope: null } },
          [],
          vest,
        ),
      ).toThrow(expect.objectContaining({ field: 'tokenHash' }));
    });

    it('when one is revoked, then it is not found', () => {
      expect(() =>
        decideCalendarFeed({ type: 'RevokeCalendarFeed', data: { feedId: '0123456789abcdef' } }, [], vest),
      ).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    });
  });

  describe('given a feed', () => {
    const feeds = given(vest, create('0123456789abcdef'));

    it('when it is revoked, then it is marked revoked, and a second revocation is refused', () => {
      const revoke: CalendarFeedCommand = {
        type: 'RevokeCalendarFeed',
        data: { feedId: '0123456789abcdef' },
      };
      const after = given(vest, create('0123456789abcdef'), revoke);
      expect(after).toEqual([expect.objectContaining({ feedId: '0123456789abcdef', revoked: true })]);
      expect(() => decideCalendarFeed(revoke, after, vest)).toThrow(
        expect.objectContaining({ code: 'INVALID_TRANSITION' }),
      );
    });

    it('when another is made with the same id, then it is refused', () => {
      expect(() => decideCalendarFeed(create('0123456789abcdef'), feeds, vest)).toThrow(/is taken/);
    });
  });

  it(`given ${MAX_OPEN_FEEDS} open feeds, when one more is made, then it is refused until one is revoked`, () => {
    const ids = Array.from({ length: MAX_OPEN_FEEDS }, (_, i) => i.toString(16).padStart(16, '0'));
    const full = given(vest, ...ids.map((id) => create(id)));
    expect(() => decideCalendarFeed(create('ffffffffffffffff'), full, vest)).toThrow(
      /at most 20 open calendar feeds/,
    );
    const one = given(vest, ...ids.map((id) => create(id)), {
      type: 'RevokeCalendarFeed',
      data: { feedId: ids[0]! },
    });
    expect(decideCalendarFeed(create('ffffffffffffffff'), one, vest)).toHaveLength(1);
  });
});
