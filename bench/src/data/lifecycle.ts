import { uuidFromName } from '#application';
import {
  addDays,
  decide,
  evolve,
  initialState,
  osloDate,
  RHF_IDS,
  streamIdFor,
  type Actor,
  type CalendarDate,
  type OppdragCommand,
  type OppdragState,
  type RhfId,
} from '#domain';
import type { EventToAppend } from '#event-store';
import { Rng } from '../rng.js';
import { COLLABORATORS, COORDINATORS, HOVEDMAL, oppdragText, RHF_USERS } from './corpus.js';
import { toAppend } from './generate.js';

/** One command of a lifecycle, with who gives it and the id it is given. */
export interface LifecycleCommand {
  readonly command: OppdragCommand;
  readonly actor: Actor;
  readonly commandId: string;
}

/** A new oppdrag's whole lifecycle as commands: assign, start, milestones, report, close. */
export interface Lifecycle {
  readonly oppdragId: string;
  readonly streamId: string;
  readonly commands: readonly LifecycleCommand[];
}

/**
 * The commands of a fresh oppdrag's full lifecycle, all dated `today`: what appends and commands are
 * measured with. The payloads come from the same corpus as the generated history.
 */
export function lifecycle(tag: string, index: number, today: CalendarDate): Lifecycle {
  const rng = new Rng(0x5eed ^ Math.imul(index + 1, 0x27d4eb2f));
  const lead: RhfId = rng.pick(RHF_IDS);
  const year = Number(today.slice(0, 4));
  const oppdragId = `${year}-${tag}-${index}`;
  const { title, description } = oppdragText(rng, lead, rng.chance(0.3));
  const hovedmal = rng.pick(HOVEDMAL);
  const milestones = Array.from({ length: rng.pick([0, 1, 1, 2]) }, (_, m) => ({
    id: `statusrapport-${m + 1}`,
    kind: 'statusrapport',
    title: `Statusrapport ${m + 1}`,
    dueDate: addDays(today, 60 * (m + 1)),
  }));
  const coordinator = rng.pick(COORDINATORS);
  const member = rng.pick(RHF_USERS[lead]);
  const id = (n: number): string => uuidFromName(`bench:lifecycle:${tag}:${index}:${n}`);
  const commands: LifecycleCommand[] = [
    {
      command: {
        type: 'AssignOppdrag',
        data: {
          oppdragId,
          year,
          title,
          description,
          hovedmal: { number: hovedmal.number, title: hovedmal.title },
          sources: [
            {
              letter: `${year}-tilleggsdokument-3-${lead}.txt`,
              recipient: lead,
              letterKind: 'tilleggsdokument',
              section: { number: hovedmal.number, title: hovedmal.title },
              heading: 'Nye oppdrag',
              lineStart: 40 + index,
              lineEnd: 44 + index,
            },
          ],
          lead,
          collaborators: rng
            .shuffled(COLLABORATORS.filter((c) => c.id !== lead))
            .slice(0, rng.int(0, 2))
            .map((c) => ({ id: c.id, name: c.name })),
          deadline: addDays(today, 200),
          milestones,
        },
      },
      actor: coordinator,
      commandId: id(0),
    },
    {
      command: { type: 'StartOppdrag', data: { oppdragId, startedOn: today } },
      actor: member,
      commandId: id(1),
    },
    ...milestones.map((m, i) => ({
      command: {
        type: 'RecordMilestone' as const,
        data: {
          oppdragId,
          milestoneId: m.id,
          reportedOn: today,
          documentRef: `Sak ${oppdragId}/${i + 1}`,
          note: null,
        },
      },
      actor: member,
      commandId: id(2 + i),
    })),
    {
      command: {
        type: 'ReportOppdrag',
        data: {
          oppdragId,
          reportedOn: today,
          documentRef: `Årlig melding ${year}, sak ${oppdragId}`,
          summary: null,
        },
      },
      actor: member,
      commandId: id(10),
    },
    {
      command: {
        type: 'CloseOppdrag',
        data: { oppdragId, outcome: 'completed', reason: null, supersededBy: null },
      },
      actor: coordinator,
      commandId: id(11),
    },
  ];
  return { oppdragId, streamId: streamIdFor(oppdragId), commands };
}

/** The events of a lifecycle, decided in order as the command handler would, one list per command. */
export function lifecycleEvents(life: Lifecycle, nowIso: string): EventToAppend[][] {
  let state: OppdragState = initialState();
  return life.commands.map(({ command, actor, commandId }) => {
    const events = decide(command, state, { actor, now: nowIso });
    for (const event of events) state = evolve(state, event);
    return events.map((event, i) => toAppend(event, i, command, actor, commandId, nowIso));
  });
}

export const todayOf = (ms: number): CalendarDate => osloDate(ms);
