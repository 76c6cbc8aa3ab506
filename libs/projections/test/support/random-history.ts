import { randomUUID } from 'node:crypto';
import { ManualClock, OppdragCommandHandler } from '#application';
import type { Actor, CalendarDate, OppdragCommand } from '#domain';
import type { EventStore } from '#event-store';
import { assignCommand, coordinator, rhfUser, seededRandom } from '#testing';

const RHFS = ['helse-sor-ost', 'helse-vest', 'helse-midt-norge', 'helse-nord'];

/**
 * Random commands on `oppdrag` oppdrag through the real handler: every kind of event the projector folds,
 * interleaved across streams as they come. Returns how many commands were accepted.
 */
export async function randomHistory(
  store: EventStore,
  options: { seed: number; steps: number; oppdrag: number; year?: number },
): Promise<number> {
  const year = options.year ?? 2024;
  const clock = new ManualClock(`${year}-02-01T09:00:00Z`);
  const handler = new OppdragCommandHandler(store, clock);
  const { next: random, pick } = seededRandom(options.seed);
  const ids = Array.from({ length: options.oppdrag }, (_, i) => `${year}-h-${String(i).padStart(3, '0')}`);
  const leads = new Map<string, string | null>();
  let accepted = 0;
  for (let step = 0; step < options.steps; step++) {
    clock.advance(Math.floor(random() * 36_000_000));
    const today = clock.now().slice(0, 10) as CalendarDate;
    const id = pick(ids);
    const lead = leads.has(id) ? (leads.get(id) as string | null) : pick([...RHFS, null]);
    const asLead = rhfUser(lead ?? 'helse-vest');
    const candidates: Array<[OppdragCommand, Actor]> = [
      [
        assignCommand({
          oppdragId: id,
          lead,
          collaborators: [],
          title: pick(['Kvalitet i sjukehus', 'Samarbeid i Helse Sør-Øst', 'Ærlig økonomi', 'Tiltak']),
        }),
        coordinator,
      ],
      [{ type: 'StartOppdrag', data: { oppdragId: id, startedOn: today } }, asLead],
      [
        {
          type: 'RecordMilestone',
          data: {
            oppdragId: id,
            milestoneId: 'statusrapport-1',
            reportedOn: today,
            documentRef: 'm',
            note: null,
          },
        },
        asLead,
      ],
      [
        {
          type: 'ReportOppdrag',
          data: { oppdragId: id, reportedOn: today, documentRef: 'r', summary: null },
        },
        asLead,
      ],
      [{ type: 'ReopenOppdrag', data: { oppdragId: id, reason: 'Mangler' } }, coordinator],
      [
        {
          type: 'CloseOppdrag',
          data: {
            oppdragId: id,
            outcome: pick(['completed', 'withdrawn'] as const),
            reason: 'Ferdig',
            supersededBy: null,
          },
        },
        coordinator,
      ],
      [
        {
          type: 'ChangeDeadline',
          data: {
            oppdragId: id,
            deadline: pick([`${year}-09-01`, `${year}-12-01`, null]) as CalendarDate | null,
            reason: 'Ny frist',
          },
        },
        coordinator,
      ],
      [
        {
          type: 'AddCollaborator',
          data: {
            oppdragId: id,
            collaborator: pick([
              { id: 'nav', name: 'NAV' },
              { id: 'kommunene', name: 'kommunene' },
            ]),
            reason: 'Trengs',
          },
        },
        coordinator,
      ],
      [
        {
          type: 'RemoveCollaborator',
          data: { oppdragId: id, collaboratorId: 'nav', reason: 'Ikke nødvendig' },
        },
        coordinator,
      ],
      [{ type: 'ReassignLead', data: { oppdragId: id, lead: pick(RHFS), reason: 'Bytte' } }, coordinator],
      [
        { type: 'RecordDeadlinePassed', data: { oppdragId: id } },
        { userId: 's', name: 's', role: 'system', organisationId: 'hod' },
      ],
    ];
    const [command, actor] = pick(candidates);
    try {
      const result = await handler.handle(command, { commandId: randomUUID(), actor });
      accepted += 1;
      if (result.state.status !== 'initial') leads.set(id, result.state.lead);
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (!/^(INVALID_TRANSITION|FORBIDDEN|VALIDATION|NOT_FOUND)$/.test(code)) throw error;
    }
  }
  return accepted;
}
