import type { Actor } from '../actor.js';
import { addDays, isCalendarDate, osloDate, type CalendarDate } from '../calendar.js';
import { DomainError, forbidden, invalidTransition, validation } from '../errors.js';
import { HOD_ID, isRhfId, organisationById } from '../organisations.js';
import type { OppdragCommand } from './commands.js';
import { CLOSE_OUTCOMES, OPPDRAG_ID_PATTERN, type OppdragEvent } from './events.js';
import {
  effectiveDeadline,
  initialState,
  type ExistingOppdrag,
  type MilestoneState,
  type OppdragState,
} from './state.js';

/** What a decision needs from outside the domain: who asks, and when (an ISO instant from the server clock). */
export interface DecisionContext {
  readonly actor: Actor;
  readonly now: string;
}

const LIMITS = {
  title: 300,
  description: 20_000,
  reason: 2_000,
  documentRef: 500,
  note: 4_000,
  collaborators: 50,
};

/**
 * Decides which events a command yields on the current state, or throws a {@link DomainError}.
 * Pure: the same state, command and context always give the same answer.
 */
export function decide(command: OppdragCommand, state: OppdragState, ctx: DecisionContext): OppdragEvent[] {
  authorise(command, state, ctx.actor);
  const today = osloDate(ctx.now);
  switch (command.type) {
    case 'AssignOppdrag': {
      if (state.status !== 'initial') {
        throw invalidTransition(
          `oppdrag ${command.data.oppdragId} is already assigned; assign creates an oppdrag once`,
        );
      }
      validateAssignment(command.data);
      return [{ type: 'OppdragAssigned', data: command.data }];
    }
    case 'StartOppdrag': {
      const oppdrag = requireOpen(state, command.data.oppdragId, 'start');
      if (oppdrag.status !== 'assigned') {
        throw invalidTransition(
          `oppdrag ${oppdrag.id} is ${oppdrag.status}; only an assigned oppdrag can be started`,
        );
      }
      const startedOn = businessDate('startedOn', command.data.startedOn, today);
      return [{ type: 'OppdragStarted', data: { oppdragId: oppdrag.id, startedOn } }];
    }
    case 'RecordMilestone': {
      const oppdrag = requireOpen(state, command.data.oppdragId, 'record a milestone on');
      const milestone = oppdrag.milestones.find((m) => m.id === command.data.milestoneId);
      if (!milestone) {
        throw validation(
          'milestoneId',
          `oppdrag ${oppdrag.id} has no milestone "${command.data.milestoneId}"`,
        );
      }
      if (milestone.reportedOn !== null) {
        throw invalidTransition(
          `milestone ${milestone.id} of oppdrag ${oppdrag.id} was already reported on ${milestone.reportedOn}`,
        );
      }
      const reportedOn = businessDate('reportedOn', command.data.reportedOn, today);
      const documentRef = requiredText('documentRef', command.data.documentRef, LIMITS.documentRef);
      const note = optionalText('note', command.data.note, LIMITS.note);
      const events: OppdragEvent[] = [];
      if (oppdrag.status === 'assigned') {
        events.push({ type: 'OppdragStarted', data: { oppdragId: oppdrag.id, startedOn: reportedOn } });
      }
      events.push({
        type: 'MilestoneReported',
        data: { oppdragId: oppdrag.id, milestoneId: milestone.id, reportedOn, documentRef, note },
      });
      return events;
    }
    case 'ReportOppdrag': {
      const oppdrag = requireOpen(state, command.data.oppdragId, 'report');
      if (oppdrag.status === 'reported') {
        throw invalidTransition(
          `oppdrag ${oppdrag.id} is already reported; a coordinator must reopen it first`,
        );
      }
      const reportedOn = businessDate('reportedOn', command.data.reportedOn, today);
      if (oppdrag.startedOn && reportedOn < oppdrag.startedOn) {
        throw validation(
          'reportedOn',
          `must not be before the day the oppdrag was started (${oppdrag.startedOn})`,
        );
      }
      const documentRef = requiredText('documentRef', command.data.documentRef, LIMITS.documentRef);
      const summary = optionalText('summary', command.data.summary, LIMITS.note);
      const events: OppdragEvent[] = [];
      if (oppdrag.status === 'assigned') {
        events.push({ type: 'OppdragStarted', data: { oppdragId: oppdrag.id, startedOn: reportedOn } });
      }
      events.push({
        type: 'OppdragReported',
        data: { oppdragId: oppdrag.id, reportedOn, documentRef, summary },
      });
      return events;
    }
    case 'ReopenOppdrag': {
      const oppdrag = requireOpen(state, command.data.oppdragId, 'reopen');
      if (oppdrag.status !== 'reported') {
        throw invalidTransition(
          `oppdrag ${oppdrag.id} is ${oppdrag.status}; only a reported oppdrag can be reopened`,
        );
      }
      const reason = requiredText('reason', command.data.reason, LIMITS.reason);
      return [{ type: 'OppdragReopened', data: { oppdragId: oppdrag.id, reason } }];
    }
    case 'CloseOppdrag': {
      const oppdrag = requireOpen(state, command.data.oppdragId, 'close');
      const { outcome } = command.data;
      if (!CLOSE_OUTCOMES.includes(outcome)) {
        throw validation('outcome', `must be one of ${CLOSE_OUTCOMES.join(', ')}`);
      }
      const needsReport = outcome === 'completed' || outcome === 'continued';
      if (needsReport && oppdrag.status !== 'reported') {
        throw invalidTransition(
          `oppdrag ${oppdrag.id} is ${oppdrag.status}; it can be closed as ${outcome} only once reported (withdraw or supersede it instead)`,
        );
      }
      const reason = needsReport
        ? optionalText('reason', command.data.reason, LIMITS.reason)
        : requiredText('reason', command.data.reason, LIMITS.reason);
      let supersededBy: string | null = null;
      if (command.data.supersededBy !== null && command.data.supersededBy !== undefined) {
        if (outcome !== 'superseded')
          throw validation('supersededBy', 'is allowed only with outcome superseded');
        supersededBy = oppdragIdField('supersededBy', command.data.supersededBy);
        if (supersededBy === oppdrag.id)
          throw validation('supersededBy', 'an oppdrag cannot supersede itself');
      }
      return [
        {
          type: 'OppdragClosed',
          data: { oppdragId: oppdrag.id, outcome, reason, closedOn: today, supersededBy },
        },
      ];
    }
    case 'ChangeDeadline': {
      const oppdrag = requireOpen(state, command.data.oppdragId, 'change the deadline of');
      const to = command.data.deadline === null ? null : dateField('deadline', command.data.deadline);
      if (to === oppdrag.deadline) throw validation('deadline', `is already ${to ?? 'unset'}`);
      const reason = requiredText('reason', command.data.reason, LIMITS.reason);
      return [
        { type: 'DeadlineChanged', data: { oppdragId: oppdrag.id, from: oppdrag.deadline, to, reason } },
      ];
    }
    case 'ReassignLead': {
      const oppdrag = requireOpen(state, command.data.oppdragId, 'reassign the lead of');
      const to = leadField(command.data.lead);
      if (to === oppdrag.lead)
        throw validation('lead', `${to ?? 'no lead'} already leads oppdrag ${oppdrag.id}`);
      // The lead never also collaborates (as on assignment and AddCollaborator); keep that true here.
      const collaborating = oppdrag.collaborators.find((c) => c.id === to);
      if (collaborating) {
        throw validation(
          'lead',
          `${collaborating.name} collaborates on oppdrag ${oppdrag.id}; remove it as a collaborator before it can lead`,
        );
      }
      const reason = requiredText('reason', command.data.reason, LIMITS.reason);
      return [{ type: 'LeadReassigned', data: { oppdragId: oppdrag.id, from: oppdrag.lead, to, reason } }];
    }
    case 'AddCollaborator': {
      const oppdrag = requireOpen(state, command.data.oppdragId, 'add a collaborator to');
      const collaborator = collaboratorField('collaborator', command.data.collaborator);
      if (collaborator.id === oppdrag.lead) {
        throw validation(
          'collaborator',
          `${collaborator.name} leads oppdrag ${oppdrag.id} and cannot also collaborate`,
        );
      }
      if (oppdrag.collaborators.some((c) => c.id === collaborator.id)) {
        throw validation(
          'collaborator',
          `${collaborator.name} is already a collaborator on oppdrag ${oppdrag.id}`,
        );
      }
      if (oppdrag.collaborators.length >= LIMITS.collaborators) {
        throw validation('collaborator', `an oppdrag has at most ${LIMITS.collaborators} collaborators`);
      }
      const reason = requiredText('reason', command.data.reason, LIMITS.reason);
      return [{ type: 'CollaboratorAdded', data: { oppdragId: oppdrag.id, collaborator, reason } }];
    }
    case 'RemoveCollaborator': {
      const oppdrag = requireOpen(state, command.data.oppdragId, 'remove a collaborator from');
      if (!oppdrag.collaborators.some((c) => c.id === command.data.collaboratorId)) {
        throw validation(
          'collaboratorId',
          `"${command.data.collaboratorId}" is not a collaborator on oppdrag ${oppdrag.id}`,
        );
      }
      const reason = requiredText('reason', command.data.reason, LIMITS.reason);
      return [
        {
          type: 'CollaboratorRemoved',
          data: { oppdragId: oppdrag.id, collaboratorId: command.data.collaboratorId, reason },
        },
      ];
    }
    case 'RecordDeadlinePassed': {
      const oppdrag = requireOpen(state, command.data.oppdragId, 'record a passed deadline on');
      const deadline = effectiveDeadline(oppdrag);
      if (oppdrag.status === 'reported')
        throw invalidTransition(`oppdrag ${oppdrag.id} is reported; its deadline was met`);
      if (deadline >= today)
        throw invalidTransition(`the deadline of oppdrag ${oppdrag.id} (${deadline}) has not passed`);
      if (oppdrag.deadlinePassedFor === deadline) {
        throw invalidTransition(
          `the passing of deadline ${deadline} is already recorded on oppdrag ${oppdrag.id}`,
        );
      }
      return [
        { type: 'DeadlinePassed', data: { oppdragId: oppdrag.id, deadline, passedOn: addDays(deadline, 1) } },
      ];
    }
    case 'RecordMilestoneDue': {
      const oppdrag = requireOpen(state, command.data.oppdragId, 'record a due milestone on');
      const milestone = oppdrag.milestones.find((m) => m.id === command.data.milestoneId);
      if (!milestone)
        throw validation(
          'milestoneId',
          `oppdrag ${oppdrag.id} has no milestone "${command.data.milestoneId}"`,
        );
      if (milestone.reportedOn !== null)
        throw invalidTransition(`milestone ${milestone.id} is reported; it was met`);
      if (milestone.dueDate >= today)
        throw invalidTransition(`milestone ${milestone.id} (${milestone.dueDate}) is not yet due`);
      if (milestone.dueRecorded)
        throw invalidTransition(`milestone ${milestone.id} is already recorded as due`);
      return [
        {
          type: 'MilestoneDue',
          data: {
            oppdragId: oppdrag.id,
            milestoneId: milestone.id,
            dueDate: milestone.dueDate,
            passedOn: addDays(milestone.dueDate, 1),
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

/** Applies one event to the state. Total: it never throws on an event `decide` could have produced. */
export function evolve(state: OppdragState, event: OppdragEvent): OppdragState {
  if (event.type === 'OppdragAssigned') {
    const d = event.data;
    return {
      status: 'assigned',
      id: d.oppdragId,
      year: d.year,
      title: d.title,
      description: d.description,
      hovedmal: d.hovedmal,
      sources: d.sources,
      lead: d.lead,
      collaborators: d.collaborators,
      deadline: d.deadline,
      milestones: d.milestones.map((m) => ({
        ...m,
        reportedOn: null,
        documentRef: null,
        late: false,
        dueRecorded: false,
      })),
      startedOn: null,
      reportedOn: null,
      documentRef: null,
      reportedLate: false,
      closed: null,
      deadlinePassedFor: null,
    };
  }
  if (state.status === 'initial') return state;
  switch (event.type) {
    case 'OppdragStarted':
      return { ...state, status: 'started', startedOn: event.data.startedOn };
    case 'MilestoneReported':
      return {
        ...state,
        milestones: updateMilestone(state.milestones, event.data.milestoneId, (m) => ({
          ...m,
          reportedOn: event.data.reportedOn,
          documentRef: event.data.documentRef,
          late: m.late || event.data.reportedOn > m.dueDate,
        })),
      };
    case 'OppdragReported':
      return {
        ...state,
        status: 'reported',
        reportedOn: event.data.reportedOn,
        documentRef: event.data.documentRef,
        reportedLate: state.reportedLate || event.data.reportedOn > effectiveDeadline(state),
      };
    case 'OppdragReopened':
      return { ...state, status: 'started', reportedOn: null, documentRef: null };
    case 'OppdragClosed':
      return {
        ...state,
        status: 'closed',
        closed: { outcome: event.data.outcome, closedOn: event.data.closedOn, reason: event.data.reason },
      };
    case 'DeadlineChanged':
      return { ...state, deadline: event.data.to };
    case 'LeadReassigned':
      return { ...state, lead: event.data.to };
    case 'CollaboratorAdded':
      return { ...state, collaborators: [...state.collaborators, event.data.collaborator] };
    case 'CollaboratorRemoved':
      return {
        ...state,
        collaborators: state.collaborators.filter((c) => c.id !== event.data.collaboratorId),
      };
    case 'DeadlinePassed':
      return { ...state, deadlinePassedFor: event.data.deadline };
    case 'MilestoneDue':
      return {
        ...state,
        milestones: updateMilestone(state.milestones, event.data.milestoneId, (m) => ({
          ...m,
          dueRecorded: true,
        })),
      };
    default:
      return assertNever(event);
  }
}

/** Folds a stream's events into its state. */
export function fold(events: Iterable<OppdragEvent>, from: OppdragState = initialState()): OppdragState {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
}

const COORDINATOR_COMMANDS = new Set<OppdragCommand['type']>([
  'AssignOppdrag',
  'ChangeDeadline',
  'ReassignLead',
  'AddCollaborator',
  'RemoveCollaborator',
  'ReopenOppdrag',
  'CloseOppdrag',
]);
const LEAD_COMMANDS = new Set<OppdragCommand['type']>(['StartOppdrag', 'RecordMilestone', 'ReportOppdrag']);

/** The role rules of the domain: each refusal names the rule that refused it. */
function authorise(command: OppdragCommand, state: OppdragState, actor: Actor): void {
  if (actor.role === 'auditor') {
    throw forbidden(`rule "auditors write nothing": ${actor.name} is an auditor and cannot ${command.type}`);
  }
  if (COORDINATOR_COMMANDS.has(command.type)) {
    if (actor.role !== 'coordinator' || actor.organisationId !== HOD_ID) {
      throw forbidden(
        `rule "only a HOD coordinator may ${command.type}": ${actor.name} is ${actor.role} at ${actor.organisationId}`,
      );
    }
    return;
  }
  if (LEAD_COMMANDS.has(command.type)) {
    if (actor.role !== 'rhf') {
      throw forbidden(
        `rule "only a member of the lead RHF may ${command.type}": ${actor.name} is ${actor.role}`,
      );
    }
    if (state.status !== 'initial' && state.lead !== actor.organisationId) {
      const lead = state.lead ? (organisationById(state.lead)?.name ?? state.lead) : 'no RHF';
      throw forbidden(
        `rule "only a member of the lead RHF may ${command.type}": oppdrag ${state.id} is led by ${lead}, not ${actor.organisationId}`,
      );
    }
    return;
  }
  if (actor.role !== 'system') {
    throw forbidden(`rule "only the engine records ${command.type}": ${actor.name} is ${actor.role}`);
  }
}

function requireOpen(state: OppdragState, oppdragId: string, verb: string): ExistingOppdrag {
  if (state.status === 'initial') throw new DomainError('NOT_FOUND', `oppdrag ${oppdragId} does not exist`);
  if (state.status === 'closed') {
    throw invalidTransition(
      `oppdrag ${state.id} is closed (${state.closed?.outcome ?? 'closed'}); cannot ${verb} a closed oppdrag`,
    );
  }
  return state;
}

function validateAssignment(d: Extract<OppdragCommand, { type: 'AssignOppdrag' }>['data']): void {
  oppdragIdField('oppdragId', d.oppdragId);
  if (!Number.isInteger(d.year) || d.year < 2000 || d.year > 2100)
    throw validation('year', 'must be a whole year from 2000 to 2100');
  requiredText('title', d.title, LIMITS.title);
  if (typeof d.description !== 'string' || d.description.length > LIMITS.description) {
    throw validation('description', `must be text of at most ${LIMITS.description} characters`);
  }
  leadField(d.lead);
  if (d.deadline !== null) dateField('deadline', d.deadline);
  const seen = new Set<string>();
  for (const collaborator of d.collaborators) {
    const ref = collaboratorField('collaborators', collaborator);
    if (seen.has(ref.id)) throw validation('collaborators', `${ref.name} is listed twice`);
    if (ref.id === d.lead)
      throw validation('collaborators', `${ref.name} is the lead and cannot also collaborate`);
    seen.add(ref.id);
  }
  if (d.collaborators.length > LIMITS.collaborators) {
    throw validation('collaborators', `at most ${LIMITS.collaborators} collaborators`);
  }
  const milestoneIds = new Set<string>();
  for (const m of d.milestones) {
    if (typeof m.id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,39}$/.test(m.id)) {
      throw validation('milestones.id', 'must be lower-case letters, digits and dashes (at most 40)');
    }
    if (milestoneIds.has(m.id)) throw validation('milestones.id', `"${m.id}" is used twice`);
    milestoneIds.add(m.id);
    dateField('milestones.dueDate', m.dueDate);
    requiredText('milestones.kind', m.kind, 60);
  }
}

function oppdragIdField(field: string, value: unknown): string {
  if (typeof value !== 'string' || !OPPDRAG_ID_PATTERN.test(value)) {
    throw validation(
      field,
      'must be lower-case letters, digits and dashes, starting with a letter or digit (at most 80)',
    );
  }
  return value;
}

function leadField(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !isRhfId(value)) {
    throw validation(
      'lead',
      'must be one of the four RHFs (helse-sor-ost, helse-vest, helse-midt-norge, helse-nord) or none',
    );
  }
  return value;
}

function collaboratorField(field: string, value: { id: string; name: string }): { id: string; name: string } {
  if (!value || typeof value.id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,79}$/.test(value.id)) {
    throw validation(field, 'must name an organisation with an id of lower-case letters, digits and dashes');
  }
  if (value.id === HOD_ID) throw validation(field, 'HOD issues the oppdrag and cannot collaborate on it');
  return { id: value.id, name: requiredText(`${field}.name`, value.name, 200) };
}

function dateField(field: string, value: unknown): CalendarDate {
  if (!isCalendarDate(value)) throw validation(field, 'must be a calendar date YYYY-MM-DD');
  return value;
}

/** A business date: a real date, not in the future (Oslo time). */
function businessDate(field: string, value: unknown, today: CalendarDate): CalendarDate {
  const date = dateField(field, value);
  if (date > today) throw validation(field, `must not be after today (${today})`);
  return date;
}

function requiredText(field: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.trim().length === 0)
    throw validation(field, 'is required and must not be blank');
  if (value.length > max) throw validation(field, `must be at most ${max} characters`);
  return value.trim();
}

function optionalText(field: string, value: unknown, max: number): string | null {
  // Blank text is no text: an optional field of only spaces must not be refused as "required".
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === ''))
    return null;
  return requiredText(field, value, max);
}

function updateMilestone(
  milestones: readonly MilestoneState[],
  id: string,
  update: (m: MilestoneState) => MilestoneState,
): MilestoneState[] {
  return milestones.map((m) => (m.id === id ? update(m) : m));
}

function assertNever(value: never): never {
  throw new Error(`unhandled variant: ${JSON.stringify(value)}`);
}
