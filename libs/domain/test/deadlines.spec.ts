/**
 * The time-driven events the engine records: DeadlinePassed and MilestoneDue. "Today" is the Oslo calendar
 * date of the server clock's instant, so the scenarios state instants in UTC and the day they are in Oslo.
 */
import {
  assigned,
  closed,
  day,
  deadlineChanged,
  deadlinePassed,
  engine,
  ID,
  milestoneDue,
  milestoneReported,
  recordDeadlinePassed,
  recordMilestoneDue,
  reopened,
  reported,
  started,
  statusrapport,
  underveis,
} from './support/fixtures.js';
import { given } from './support/given.js';

const passed = (deadline: string, passedOn: string) => [
  {
    type: 'DeadlinePassed' as const,
    data: { oppdragId: ID, deadline: day(deadline), passedOn: day(passedOn) },
  },
];

describe('recording that a deadline passed', () => {
  describe('only once the deadline day is over in Oslo', () => {
    const history = [assigned({ deadline: day('2024-06-01') })];

    it('is refused during the deadline day', () => {
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-06-01T10:00:00Z' })
        .thenRefuses('INVALID_TRANSITION', `the deadline of oppdrag ${ID} (2024-06-01) has not passed`);
    });

    it('is refused at 23:59:59 Oslo summer time (21:59:59Z), still the deadline day', () => {
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-06-01T21:59:59Z' })
        .thenRefuses('INVALID_TRANSITION', 'has not passed');
    });

    it('is recorded at midnight Oslo summer time (22:00Z), passed on the day after the deadline', () => {
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-06-01T22:00:00Z' })
        .then(passed('2024-06-01', '2024-06-02'));
    });

    it('is recorded at 2024-06-01T22:30:00Z, which is already 2 June in Oslo though 1 June in UTC', () => {
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-06-01T22:30:00Z' })
        .then(passed('2024-06-01', '2024-06-02'));
    });

    it('is recorded with passedOn the day after the deadline however late the engine runs', () => {
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-08-20T09:00:00Z' })
        .then(passed('2024-06-01', '2024-06-02'));
    });
  });

  describe('in winter time (UTC+1)', () => {
    const history = [assigned({ deadline: day('2024-01-15') })];

    it('is refused at 23:59:59 Oslo (22:59:59Z)', () => {
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-01-15T22:59:59Z' })
        .thenRefuses('INVALID_TRANSITION', 'has not passed');
    });

    it('is refused at 22:30Z, which in winter is still the deadline day in Oslo', () => {
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-01-15T22:30:00Z' })
        .thenRefuses('INVALID_TRANSITION', 'has not passed');
    });

    it('is recorded at midnight Oslo (23:00Z)', () => {
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-01-15T23:00:00Z' })
        .then(passed('2024-01-15', '2024-01-16'));
    });
  });

  describe('around the change to summer time (31 March 2024, 02:00 CET → 03:00 CEST)', () => {
    it('a deadline on 30 March passes at midnight CET, before the clocks change (23:00Z)', () => {
      const history = [assigned({ deadline: day('2024-03-30') })];
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-03-30T22:59:59Z' })
        .thenRefuses('INVALID_TRANSITION', 'has not passed');
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-03-30T23:00:00Z' })
        .then(passed('2024-03-30', '2024-03-31'));
    });

    it('a deadline on 31 March passes at midnight CEST, after the clocks change (22:00Z)', () => {
      const history = [assigned({ deadline: day('2024-03-31') })];
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-03-31T21:59:59Z' })
        .thenRefuses('INVALID_TRANSITION', 'has not passed');
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-03-31T22:00:00Z' })
        .then(passed('2024-03-31', '2024-04-01'));
    });
  });

  describe('around the change to winter time (27 October 2024, 03:00 CEST → 02:00 CET)', () => {
    it('a deadline on 26 October passes at midnight CEST (22:00Z)', () => {
      const history = [assigned({ deadline: day('2024-10-26') })];
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-10-26T21:59:59Z' })
        .thenRefuses('INVALID_TRANSITION', 'has not passed');
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-10-26T22:00:00Z' })
        .then(passed('2024-10-26', '2024-10-27'));
    });

    it('a deadline on 27 October passes at midnight CET (23:00Z), a 25-hour day later', () => {
      const history = [assigned({ deadline: day('2024-10-27') })];
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-10-27T22:59:59Z' })
        .thenRefuses('INVALID_TRANSITION', 'has not passed');
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-10-27T23:00:00Z' })
        .then(passed('2024-10-27', '2024-10-28'));
    });
  });

  it('passes on New Year’s Day for a deadline on New Year’s Eve', () => {
    given(assigned({ deadline: day('2024-12-31') }))
      .when(recordDeadlinePassed(), { actor: engine, now: '2024-12-31T23:00:00Z' })
      .then(passed('2024-12-31', '2025-01-01'));
  });

  it('uses the Årlig melding when no deadline is stated: passed on 16 March of the following year', () => {
    const history = [assigned({ year: 2023, deadline: null })];
    given(...history)
      .when(recordDeadlinePassed(), { actor: engine, now: '2024-03-15T12:00:00Z' })
      .thenRefuses('INVALID_TRANSITION', `the deadline of oppdrag ${ID} (2024-03-15) has not passed`);
    given(...history)
      .when(recordDeadlinePassed(), { actor: engine, now: '2024-03-15T23:00:00Z' })
      .then(passed('2024-03-15', '2024-03-16'));
  });

  it('is recorded on a started oppdrag too', () => {
    given(assigned({ deadline: day('2024-06-01') }), started('2024-03-01'))
      .when(recordDeadlinePassed(), { actor: engine, now: '2024-06-02T08:00:00Z' })
      .then(passed('2024-06-01', '2024-06-02'));
  });

  describe('exactly once per effective deadline', () => {
    const history = [assigned({ deadline: day('2024-06-01') }), deadlinePassed('2024-06-01', '2024-06-02')];

    it('remembers the deadline it was recorded for', () => {
      expect(given(...history).state).toMatchObject({ deadlinePassedFor: '2024-06-01', status: 'assigned' });
    });

    it('refuses a second record for the same deadline', () => {
      given(...history)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-06-03T08:00:00Z' })
        .thenRefuses(
          'INVALID_TRANSITION',
          `the passing of deadline 2024-06-01 is already recorded on oppdrag ${ID}`,
        );
    });

    it('is not recorded again while a moved deadline has not yet passed', () => {
      given(...history, deadlineChanged('2024-06-01', '2024-09-01'))
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-06-14T08:00:00Z' })
        .thenRefuses('INVALID_TRANSITION', `the deadline of oppdrag ${ID} (2024-09-01) has not passed`);
    });

    it('is recorded again when the deadline is moved and the new deadline passes unmet', () => {
      const state = given(...history, deadlineChanged('2024-06-01', '2024-09-01'))
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-09-02T08:00:00Z' })
        .then(passed('2024-09-01', '2024-09-02'));
      expect(state).toMatchObject({ deadlinePassedFor: '2024-09-01' });
    });

    it('is recorded again when the stated deadline is removed and the Årlig melding passes unmet', () => {
      given(...history, deadlineChanged('2024-06-01', null))
        .when(recordDeadlinePassed(), { actor: engine, now: '2025-03-16T08:00:00Z' })
        .then(passed('2025-03-15', '2025-03-16'));
    });

    it('is recorded again after a reopen past the deadline, for the day of the reopening', () => {
      const history2 = [
        ...history,
        started('2024-03-01'),
        reported('2024-06-05'),
        reopened('Mangler del', '2024-06-10'),
      ];
      const state = given(...history2)
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-06-14T08:00:00Z' })
        .then(passed('2024-06-01', '2024-06-10'));
      expect(state).toMatchObject({ deadlinePassedFor: '2024-06-01', deadlinePassedOn: '2024-06-10' });
      given(...history2, ...passed('2024-06-01', '2024-06-10'))
        .when(recordDeadlinePassed(), { actor: engine, now: '2024-06-15T08:00:00Z' })
        .thenRefuses('INVALID_TRANSITION', 'is already recorded');
    });
  });

  it('is recorded for an oppdrag reported on time, then reopened after its deadline, from the reopening', () => {
    given(
      assigned({ deadline: day('2024-06-01') }),
      started('2024-03-01'),
      reported('2024-05-20'),
      reopened('Mangler del', '2024-06-08'),
    )
      .when(recordDeadlinePassed(), { actor: engine, now: '2024-06-14T08:00:00Z' })
      .then(passed('2024-06-01', '2024-06-08'));
  });

  it('counts from the day after the deadline when the reopening came before it', () => {
    given(
      assigned({ deadline: day('2024-06-01') }),
      started('2024-03-01'),
      reported('2024-05-20'),
      reopened('Mangler del', '2024-05-25'),
    )
      .when(recordDeadlinePassed(), { actor: engine, now: '2024-06-14T08:00:00Z' })
      .then(passed('2024-06-01', '2024-06-02'));
  });

  it('is not recorded on a reported oppdrag', () => {
    given(assigned({ deadline: day('2024-06-01') }), started('2024-03-01'), reported('2024-06-05'))
      .when(recordDeadlinePassed(), { actor: engine, now: '2024-06-14T08:00:00Z' })
      .thenRefuses('INVALID_TRANSITION', `oppdrag ${ID} is reported; its deadline was met`);
  });

  it('is not recorded on a closed oppdrag', () => {
    given(assigned({ deadline: day('2024-06-01') }), closed('withdrawn', '2024-05-01'))
      .when(recordDeadlinePassed(), { actor: engine, now: '2024-06-14T08:00:00Z' })
      .thenRefuses(
        'INVALID_TRANSITION',
        `oppdrag ${ID} is closed (withdrawn); cannot record a passed deadline on`,
      );
  });
});

describe('recording that a milestone fell due', () => {
  // statusrapport is due 2024-05-01, underveis 2024-09-01.
  const due = (milestoneId: string, dueDate: string, passedOn: string) => [
    {
      type: 'MilestoneDue' as const,
      data: { oppdragId: ID, milestoneId, dueDate: day(dueDate), passedOn: day(passedOn) },
    },
  ];

  it('is refused until the due day is over in Oslo, then recorded as passed the day after', () => {
    given(assigned())
      .when(recordMilestoneDue(statusrapport.id), { actor: engine, now: '2024-05-01T21:59:59Z' })
      .thenRefuses('INVALID_TRANSITION', `milestone ${statusrapport.id} (2024-05-01) is not yet due`);
    given(assigned())
      .when(recordMilestoneDue(statusrapport.id), { actor: engine, now: '2024-05-01T22:00:00Z' })
      .then(due(statusrapport.id, '2024-05-01', '2024-05-02'));
  });

  it('is recorded for one milestone without touching the others', () => {
    const state = given(assigned())
      .when(recordMilestoneDue(statusrapport.id), { actor: engine })
      .then(due(statusrapport.id, '2024-05-01', '2024-05-02'));
    if (state.status === 'initial') throw new Error('unreachable');
    expect(state.milestones.map((m) => [m.id, m.dueRecorded])).toEqual([
      [statusrapport.id, true],
      [underveis.id, false],
    ]);
  });

  it('is recorded exactly once', () => {
    given(assigned(), milestoneDue(statusrapport.id, '2024-05-01', '2024-05-02'))
      .when(recordMilestoneDue(statusrapport.id), { actor: engine })
      .thenRefuses('INVALID_TRANSITION', `milestone ${statusrapport.id} is already recorded as due`);
  });

  it('is not recorded for a milestone reported in time', () => {
    given(assigned(), started(), milestoneReported(statusrapport.id, '2024-04-30'))
      .when(recordMilestoneDue(statusrapport.id), { actor: engine })
      .thenRefuses('INVALID_TRANSITION', `milestone ${statusrapport.id} is reported; it was met`);
  });

  it('is not recorded on a closed oppdrag', () => {
    given(assigned(), closed('withdrawn', '2024-04-01'))
      .when(recordMilestoneDue(statusrapport.id), { actor: engine })
      .thenRefuses(
        'INVALID_TRANSITION',
        `oppdrag ${ID} is closed (withdrawn); cannot record a due milestone on`,
      );
  });

  it('is recorded on a reported oppdrag whose milestone was never delivered (it is still overdue)', () => {
    given(assigned(), started(), reported('2024-06-01'))
      .when(recordMilestoneDue(statusrapport.id), { actor: engine })
      .then(due(statusrapport.id, '2024-05-01', '2024-05-02'));
  });
});
