/**
 * Deadlines as the read side sees them: the effective deadline, overdue on a given day, and late reports.
 * Day D is an Oslo calendar date; "overdue on D" means the effective deadline is before D.
 */
import { deadlineSource, effectiveDeadline, isMilestoneOverdueOn, isOverdueOn } from '../src/index.js';
import {
  assigned,
  closed,
  day,
  deadlineChanged,
  milestoneReported,
  reopened,
  reported,
  started,
  statusrapport,
  underveis,
} from './support/fixtures.js';
import { milestoneOf, oppdragAfter } from './support/state.js';

describe('the effective deadline', () => {
  it('is the stated deadline when the letter gives one', () => {
    const oppdrag = oppdragAfter(assigned({ deadline: day('2024-10-01') }));
    expect(effectiveDeadline(oppdrag)).toBe('2024-10-01');
    expect(deadlineSource(oppdrag)).toBe('stated');
  });

  it('is 15 March of the following year (the Årlig melding) when the letter gives none', () => {
    const oppdrag = oppdragAfter(assigned({ year: 2024, deadline: null }));
    expect(effectiveDeadline(oppdrag)).toBe('2025-03-15');
    expect(deadlineSource(oppdrag)).toBe('annual-report');
  });

  it('follows the letter year, not the calendar year of the assignment', () => {
    expect(effectiveDeadline({ year: 2023, deadline: null })).toBe('2024-03-15');
    expect(effectiveDeadline({ year: 2027, deadline: null })).toBe('2028-03-15');
  });

  it('follows a changed deadline, and falls back to the Årlig melding when the deadline is removed', () => {
    const moved = oppdragAfter(assigned(), deadlineChanged('2024-10-01', '2024-12-01'));
    expect(effectiveDeadline(moved)).toBe('2024-12-01');
    expect(deadlineSource(moved)).toBe('stated');

    const removed = oppdragAfter(assigned(), deadlineChanged('2024-10-01', null));
    expect(effectiveDeadline(removed)).toBe('2025-03-15');
    expect(deadlineSource(removed)).toBe('annual-report');
  });
});

describe('overdue on day D', () => {
  describe.each([
    ['assigned', oppdragAfter(assigned())],
    ['started', oppdragAfter(assigned(), started('2024-03-01'))],
  ])('an %s oppdrag with deadline 2024-10-01', (_status, oppdrag) => {
    it('is not overdue before the deadline', () => {
      expect(isOverdueOn(oppdrag, day('2024-09-30'))).toBe(false);
    });

    it('is not overdue on the deadline day itself', () => {
      expect(isOverdueOn(oppdrag, day('2024-10-01'))).toBe(false);
    });

    it('is overdue the day after, and every day after that', () => {
      expect(isOverdueOn(oppdrag, day('2024-10-02'))).toBe(true);
      expect(isOverdueOn(oppdrag, day('2025-01-01'))).toBe(true);
    });
  });

  it('without a stated deadline, is overdue from 16 March of the following year', () => {
    const oppdrag = oppdragAfter(assigned({ deadline: null }));
    expect(isOverdueOn(oppdrag, day('2025-03-15'))).toBe(false);
    expect(isOverdueOn(oppdrag, day('2025-03-16'))).toBe(true);
  });

  it('is judged by the deadline as it stands after a change', () => {
    const oppdrag = oppdragAfter(assigned(), deadlineChanged('2024-10-01', '2024-12-01'));
    expect(isOverdueOn(oppdrag, day('2024-10-02'))).toBe(false);
    expect(isOverdueOn(oppdrag, day('2024-12-02'))).toBe(true);
  });

  it('is not overdue once reported, even when the report was late', () => {
    expect(isOverdueOn(oppdragAfter(assigned(), started(), reported('2024-06-01')), day('2024-12-01'))).toBe(
      false,
    );
    expect(isOverdueOn(oppdragAfter(assigned(), started(), reported('2024-11-01')), day('2024-12-01'))).toBe(
      false,
    );
  });

  it('is not overdue once closed, whatever the outcome', () => {
    expect(isOverdueOn(oppdragAfter(assigned(), closed('withdrawn')), day('2024-12-01'))).toBe(false);
    expect(
      isOverdueOn(oppdragAfter(assigned(), started(), reported(), closed('completed')), day('2025-12-01')),
    ).toBe(false);
  });

  it('is overdue again once reopened after the deadline', () => {
    const oppdrag = oppdragAfter(assigned(), started(), reported('2024-06-01'), reopened());
    expect(isOverdueOn(oppdrag, day('2024-10-01'))).toBe(false);
    expect(isOverdueOn(oppdrag, day('2024-10-02'))).toBe(true);
  });
});

describe('a milestone overdue on day D', () => {
  // statusrapport is due 2024-05-01.
  const open = oppdragAfter(assigned());

  it('is not overdue on its due day, and is overdue the day after', () => {
    const milestone = milestoneOf(open, statusrapport.id);
    expect(isMilestoneOverdueOn(open, milestone, day('2024-04-30'))).toBe(false);
    expect(isMilestoneOverdueOn(open, milestone, day('2024-05-01'))).toBe(false);
    expect(isMilestoneOverdueOn(open, milestone, day('2024-05-02'))).toBe(true);
  });

  it('is not overdue once reported, even late', () => {
    const oppdrag = oppdragAfter(assigned(), started(), milestoneReported(statusrapport.id, '2024-05-20'));
    expect(isMilestoneOverdueOn(oppdrag, milestoneOf(oppdrag, statusrapport.id), day('2024-06-01'))).toBe(
      false,
    );
  });

  it('stays overdue while unreported, even after the oppdrag itself is reported', () => {
    const oppdrag = oppdragAfter(assigned(), started(), reported('2024-06-01'));
    expect(isMilestoneOverdueOn(oppdrag, milestoneOf(oppdrag, statusrapport.id), day('2024-06-02'))).toBe(
      true,
    );
  });

  it('is not overdue once the oppdrag is closed', () => {
    const oppdrag = oppdragAfter(assigned(), closed('withdrawn'));
    expect(isMilestoneOverdueOn(oppdrag, milestoneOf(oppdrag, statusrapport.id), day('2024-06-02'))).toBe(
      false,
    );
  });

  it('is judged for each milestone by its own due date', () => {
    const milestone = milestoneOf(open, underveis.id);
    expect(isMilestoneOverdueOn(open, milestone, day('2024-09-01'))).toBe(false);
    expect(isMilestoneOverdueOn(open, milestone, day('2024-09-02'))).toBe(true);
  });
});

describe('a late report', () => {
  it('is late when delivered after the effective deadline', () => {
    expect(oppdragAfter(assigned(), started(), reported('2024-10-02')).reportedLate).toBe(true);
  });

  it('is on time when delivered on the deadline day', () => {
    expect(oppdragAfter(assigned(), started(), reported('2024-10-01')).reportedLate).toBe(false);
  });

  it('is judged against the Årlig melding when no deadline is stated', () => {
    expect(oppdragAfter(assigned({ deadline: null }), started(), reported('2025-03-15')).reportedLate).toBe(
      false,
    );
    expect(oppdragAfter(assigned({ deadline: null }), started(), reported('2025-03-16')).reportedLate).toBe(
      true,
    );
  });

  it('is judged against the deadline in force when the report came', () => {
    const extended = oppdragAfter(
      assigned(),
      deadlineChanged('2024-10-01', '2024-12-01'),
      started(),
      reported('2024-11-01'),
    );
    expect(extended.reportedLate).toBe(false);
  });

  it('stays late after the oppdrag is reopened', () => {
    expect(oppdragAfter(assigned(), started(), reported('2024-10-02'), reopened()).reportedLate).toBe(true);
  });

  it('stays late after a reopen and a new report that is on time', () => {
    const oppdrag = oppdragAfter(
      assigned(),
      started(),
      reported('2024-10-02'),
      reopened(),
      deadlineChanged('2024-10-01', '2024-12-01'),
      reported('2024-11-01'),
    );
    expect(oppdrag.status).toBe('reported');
    expect(oppdrag.reportedLate).toBe(true);
  });

  it('stays late once closed', () => {
    expect(
      oppdragAfter(assigned(), started(), reported('2024-10-02'), closed('completed')).reportedLate,
    ).toBe(true);
  });

  it('is not made late by moving the deadline back after an on-time report', () => {
    const oppdrag = oppdragAfter(
      assigned(),
      started(),
      reported('2024-09-01'),
      deadlineChanged('2024-10-01', '2024-08-01'),
    );
    expect(oppdrag.reportedLate).toBe(false);
  });
});

describe('a late milestone', () => {
  it('is late when delivered after its due date, and on time on the due date', () => {
    const late = oppdragAfter(assigned(), started(), milestoneReported(statusrapport.id, '2024-05-02'));
    expect(milestoneOf(late, statusrapport.id)).toMatchObject({ late: true, reportedOn: '2024-05-02' });

    const onTime = oppdragAfter(assigned(), started(), milestoneReported(statusrapport.id, '2024-05-01'));
    expect(milestoneOf(onTime, statusrapport.id)).toMatchObject({ late: false, reportedOn: '2024-05-01' });
  });

  it('flags only the milestone that was late', () => {
    const oppdrag = oppdragAfter(assigned(), started(), milestoneReported(statusrapport.id, '2024-05-02'));
    expect(milestoneOf(oppdrag, underveis.id).late).toBe(false);
  });

  it('stays late after the oppdrag is reported, reopened and closed', () => {
    const oppdrag = oppdragAfter(
      assigned(),
      started(),
      milestoneReported(statusrapport.id, '2024-05-02'),
      reported('2024-06-01'),
      reopened(),
      reported('2024-06-05'),
      closed('completed'),
    );
    expect(milestoneOf(oppdrag, statusrapport.id).late).toBe(true);
  });
});
