import { randomUUID } from 'node:crypto';
import { ManualClock, OppdragCommandHandler } from '#application';
import { RHF_IDS, type Actor, type CalendarDate, type OppdragCommand } from '#domain';
import { SqliteEventStore } from '#event-store';
import { assignCommand, coordinator, rhfUser } from '#testing';
import { OppdragProjector, OppdragQueries, ReadModelStore } from '../../src/index.js';

const d = (text: string): CalendarDate => text as CalendarDate;

/** The day the sheets of this year are judged on in the tests. */
export const ON = d('2024-05-01');

const source = (recipient: string | null, lineStart: number, letter = 'Oppdragsdokument 2024') => ({
  letter: `${letter} ${recipient ?? 'felles'}`,
  recipient,
  letterKind: 'hoveddokument' as const,
  section: null,
  heading: null,
  lineStart,
  lineEnd: lineStart + 2,
});

/** A year of oppdrag through the real handler and projector: the read models the sheet reads. */
export async function givenTheYear(
  path = ':memory:',
): Promise<{ queries: OppdragQueries; stop: () => Promise<void> }> {
  const store = new SqliteEventStore({ path, pollIntervalMs: 5 });
  const clock = new ManualClock('2024-01-05T09:00:00Z');
  const handler = new OppdragCommandHandler(store, clock);
  const run = async (command: OppdragCommand, actor: Actor, at: string): Promise<void> => {
    clock.set(`${at}T09:00:00Z`);
    await handler.handle(command, { commandId: randomUUID(), actor });
  };
  const nord = rhfUser('helse-nord');
  const vest = rhfUser('helse-vest');
  // Hovedmål 2, led by Helse Vest, addressed to all four; a milestone; Helse Nord has reported its part.
  await run(
    assignCommand({
      oppdragId: '2024-a-01',
      hovedmal: { number: 2, title: 'Samhandling' },
      sources: [source('helse-vest', 40), source('helse-nord', 30)],
      lead: 'helse-vest',
      addressees: [...RHF_IDS],
      collaborators: [],
      deadline: d('2024-04-01'),
      milestones: [
        { id: 'status-1', kind: 'statusrapport', title: 'Statusrapport', dueDate: d('2024-03-01') },
      ],
    }),
    coordinator,
    '2024-01-05',
  );
  await run(
    { type: 'StartOppdrag', data: { oppdragId: '2024-a-01', startedOn: d('2024-02-01') } },
    vest,
    '2024-02-01',
  );
  await run(
    {
      type: 'ReportOppdrag',
      data: {
        oppdragId: '2024-a-01',
        reportedOn: d('2024-03-10'),
        documentRef: 'Nord-del.pdf',
        summary: null,
      },
    },
    nord,
    '2024-03-10',
  );
  // Hovedmål 1, Helse Nord's alone, reported late.
  await run(
    assignCommand({
      oppdragId: '2024-a-02',
      hovedmal: { number: 1, title: 'Personell' },
      sources: [source('helse-nord', 90)],
      lead: 'helse-nord',
      collaborators: [],
      deadline: d('2024-04-01'),
      milestones: [],
    }),
    coordinator,
    '2024-01-05',
  );
  await run(
    {
      type: 'ReportOppdrag',
      data: {
        oppdragId: '2024-a-02',
        reportedOn: d('2024-04-20'),
        documentRef: 'Rapport; "endelig".pdf',
        summary: null,
      },
    },
    nord,
    '2024-04-20',
  );
  // Hovedmål 1, no lead, every RHF for itself, no deadline: Årlig melding applies.
  await run(
    assignCommand({
      oppdragId: '2024-a-03',
      hovedmal: { number: 1, title: 'Personell' },
      sources: [source('helse-nord', 12)],
      lead: null,
      collaborators: [],
      deadline: null,
      milestones: [],
    }),
    coordinator,
    '2024-01-05',
  );
  // Helse Vest's alone, and another year's: on no Helse Nord sheet of 2024.
  await run(
    assignCommand({ oppdragId: '2024-a-04', lead: 'helse-vest', collaborators: [], milestones: [] }),
    coordinator,
    '2024-01-05',
  );
  await run(
    assignCommand({
      oppdragId: '2023-a-01',
      year: 2023,
      lead: 'helse-nord',
      collaborators: [],
      milestones: [],
      deadline: d('2023-10-01'),
    }),
    coordinator,
    '2024-01-05',
  );
  const projector = new OppdragProjector(store, new ReadModelStore(':memory:'));
  await projector.start();
  return {
    queries: new OppdragQueries(projector),
    stop: async () => {
      await projector.stop();
      await store.close();
    },
  };
}
