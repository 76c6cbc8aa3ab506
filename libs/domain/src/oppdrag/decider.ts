import type { Actor } from '../actor.js';
import { addDays, isCalendarDate, osloDate, type CalendarDate } from '../calendar.js';
import { DomainError, forbidden, invalidTransition, validation } from '../errors.js';
import {
  HOD_ID,
  isKnownOrganisationId,
  isRhfId,
  nearestOrganisations,
  organisationById,
  RHF_IDS,
} from '../organisations.js';
import type { Confirmations, OppdragCommand, OppdragCommandType } from './commands.js';
import { unsafeTextProblem } from './text-rules.js';
import {
  CLOSE_OUTCOMES,
  OPPDRAG_ID_PATTERN,
  type OppdragEvent,
  type PartRef,
  type PlannedMilestone,
  type SourceReference,
} from './events.js';
import {
  effectiveDeadline,
  initialState,
  isOverdueOn,
  owesJointDelivery,
  partDueDate,
  partOf,
  type ExistingOppdrag,
  type MilestoneState,
  type OppdragState,
  type OppdragStatus,
  type PartState,
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
  milestones: 50,
  sources: 50,
};

/** The one rule of who is a coordinator: a user with the coordinator role at HOD. */
export const isCoordinator = (actor: Pick<Actor, 'role' | 'organisationId'>): boolean =>
  actor.role === 'coordinator' && actor.organisationId === HOD_ID;

/** What each command's decision gets besides the command and state: the day (in Oslo) and the authorised part. */
interface DecisionInput {
  readonly today: CalendarDate;
  /** The RHF whose part the actor acts on, for the part commands; null otherwise. */
  readonly part: string | null;
}

type Decision<K extends OppdragCommandType> = (
  command: Extract<OppdragCommand, { type: K }>,
  state: OppdragState,
  input: DecisionInput,
) => OppdragEvent[];

/** One decision per command type; the mapped type makes a missing command a compile error. */
const decisions: { readonly [K in OppdragCommandType]: Decision<K> } = {
  AssignOppdrag(command, state, { today }) {
    if (state.status !== 'initial') {
      throw invalidTransition(
        `oppdrag ${command.data.oppdragId} is already assigned; assign creates an oppdrag once`,
      );
    }
    return [{ type: 'OppdragAssigned', data: validateAssignment(command.data, today) }];
  },
  StartOppdrag(command, state, { today, part }) {
    const oppdrag = requireOpen(state, command.data.oppdragId, 'start');
    const own = requirePart(oppdrag, part);
    if (own.status !== 'assigned') {
      throw invalidTransition(
        `${nameOf(own.rhf)}'s part of oppdrag ${oppdrag.id} is ${own.status}; only an assigned part can be started`,
      );
    }
    const startedOn = businessDate('startedOn', command.data.startedOn, today);
    notBeforeAssigned(oppdrag, 'startedOn', startedOn);
    return [{ type: 'OppdragStarted', data: { oppdragId: oppdrag.id, part: own.rhf, startedOn } }];
  },
  RecordMilestone(command, state, { today, part }) {
    const oppdrag = requireOpen(state, command.data.oppdragId, 'record a milestone on');
    const own = requirePart(oppdrag, part);
    const milestone = requireMilestone(oppdrag, command.data.milestoneId);
    if (!owesJointDelivery(oppdrag, own.rhf)) {
      throw forbidden(
        `rule "the lead's part owes the milestones": ${nameOf(oppdrag.lead ?? '')} leads oppdrag ${oppdrag.id}, so ${nameOf(own.rhf)} reports its part in its Årlig melding, not milestone ${milestone.id}`,
      );
    }
    const earlier = milestone.reports.find((r) => r.rhf === own.rhf);
    if (earlier) {
      throw invalidTransition(
        `milestone ${milestone.id} of oppdrag ${oppdrag.id} was already reported by ${nameOf(own.rhf)} on ${earlier.reportedOn}`,
      );
    }
    const reportedOn = businessDate('reportedOn', command.data.reportedOn, today);
    notBeforeAssigned(oppdrag, 'reportedOn', reportedOn);
    notBeforeStarted(own, 'reportedOn', reportedOn);
    const documentRef = requiredText('documentRef', command.data.documentRef, LIMITS.documentRef);
    const note = optionalText('note', command.data.note, LIMITS.note);
    const events: OppdragEvent[] = [];
    if (own.status === 'assigned') {
      events.push({
        type: 'OppdragStarted',
        data: { oppdragId: oppdrag.id, part: own.rhf, startedOn: reportedOn },
      });
    }
    events.push({
      type: 'MilestoneReported',
      data: {
        oppdragId: oppdrag.id,
        part: own.rhf,
        milestoneId: milestone.id,
        reportedOn,
        documentRef,
        note,
      },
    });
    return events;
  },
  ReportOppdrag(command, state, { today, part }) {
    const oppdrag = requireOpen(state, command.data.oppdragId, 'report');
    const own = requirePart(oppdrag, part);
    if (own.status === 'reported') {
      throw invalidTransition(
        `${nameOf(own.rhf)}'s part of oppdrag ${oppdrag.id} is already reported; a coordinator must reopen it first`,
      );
    }
    const reportedOn = businessDate('reportedOn', command.data.reportedOn, today);
    notBeforeAssigned(oppdrag, 'reportedOn', reportedOn);
    notBeforeStarted(own, 'reportedOn', reportedOn);
    const documentRef = requiredText('documentRef', command.data.documentRef, LIMITS.documentRef);
    const summary = optionalText('summary', command.data.summary, LIMITS.note);
    const events: OppdragEvent[] = [];
    if (own.status === 'assigned') {
      events.push({
        type: 'OppdragStarted',
        data: { oppdragId: oppdrag.id, part: own.rhf, startedOn: reportedOn },
      });
    }
    events.push({
      type: 'OppdragReported',
      data: { oppdragId: oppdrag.id, part: own.rhf, reportedOn, documentRef, summary },
    });
    return events;
  },
  ReopenOppdrag(command, state, { today }) {
    const reason = () => requiredText('reason', command.data.reason, LIMITS.reason);
    if (state.status === 'initial') throw notExisting(command.data.oppdragId);
    if (state.status === 'closed') {
      if (command.data.part != null) {
        throw validation('part', `oppdrag ${state.id} is closed: reopen it first, then a part's report`);
      }
      return [
        {
          type: 'OppdragReopened',
          data: { oppdragId: state.id, reason: reason(), scope: 'closure', part: null, reopenedOn: today },
        },
      ];
    }
    const named = command.data.part ?? state.lead;
    if (named === null) {
      throw validation(
        'part',
        `oppdrag ${state.id} has no lead: name the part to reopen (${state.addressees.join(', ')})`,
      );
    }
    const reopened = partOf(state, named);
    if (!reopened) throw validation('part', `${nameOf(named)} is not addressed by oppdrag ${state.id}`);
    if (reopened.status !== 'reported') {
      throw invalidTransition(
        `${nameOf(named)}'s part of oppdrag ${state.id} is ${reopened.status}; only a reported part or a closed oppdrag can be reopened`,
      );
    }
    return [
      {
        type: 'OppdragReopened',
        data: { oppdragId: state.id, reason: reason(), scope: 'report', part: named, reopenedOn: today },
      },
    ];
  },
  CloseOppdrag(command, state, { today }) {
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
      if (supersededBy === oppdrag.id) throw validation('supersededBy', 'an oppdrag cannot supersede itself');
    }
    return [
      {
        type: 'OppdragClosed',
        data: { oppdragId: oppdrag.id, outcome, reason, closedOn: today, supersededBy },
      },
    ];
  },
  ChangeDeadline(command, state) {
    const oppdrag = requireOpen(state, command.data.oppdragId, 'change the deadline of');
    const to = command.data.deadline === null ? null : dateField('deadline', command.data.deadline);
    if (to === oppdrag.deadline) throw validation('deadline', `is already ${to ?? 'unset'}`);
    if (to !== null) notBeforeYear('deadline', to, oppdrag.year, command.data);
    const reason = requiredText('reason', command.data.reason, LIMITS.reason);
    return [{ type: 'DeadlineChanged', data: { oppdragId: oppdrag.id, from: oppdrag.deadline, to, reason } }];
  },
  ReassignLead(command, state) {
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
    const events: OppdragEvent[] = [];
    // The lead is always an addressee: a lead from outside them is addressed in the same decision.
    if (to !== null && !oppdrag.addressees.includes(to)) {
      events.push({ type: 'AddresseeAdded', data: { oppdragId: oppdrag.id, addressee: to, reason } });
    }
    events.push({
      type: 'LeadReassigned',
      data: { oppdragId: oppdrag.id, from: oppdrag.lead, to, reason, carriesPart: false },
    });
    return events;
  },
  AddCollaborator(command, state) {
    const oppdrag = requireOpen(state, command.data.oppdragId, 'add a collaborator to');
    const collaborator = collaboratorField('collaborator', command.data.collaborator, command.data);
    if (collaborator.id === oppdrag.lead) {
      throw validation(
        'collaborator',
        `${collaborator.name} leads oppdrag ${oppdrag.id} and cannot also collaborate`,
      );
    }
    if (oppdrag.addressees.includes(collaborator.id)) {
      throw validation(
        'collaborator',
        `${collaborator.name} is addressed by oppdrag ${oppdrag.id} and has its own part; it cannot also collaborate`,
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
  },
  RemoveCollaborator(command, state) {
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
  },
  AddAddressee(command, state) {
    const oppdrag = requireOpen(state, command.data.oppdragId, 'add an addressee to');
    const addressee = rhfField('addressee', command.data.addressee);
    if (oppdrag.addressees.includes(addressee)) {
      throw validation('addressee', `${nameOf(addressee)} is already addressed by oppdrag ${oppdrag.id}`);
    }
    if (oppdrag.collaborators.some((c) => c.id === addressee)) {
      throw validation(
        'addressee',
        `${nameOf(addressee)} collaborates on oppdrag ${oppdrag.id}; remove it as a collaborator before it is addressed`,
      );
    }
    const reason = requiredText('reason', command.data.reason, LIMITS.reason);
    return [{ type: 'AddresseeAdded', data: { oppdragId: oppdrag.id, addressee, reason } }];
  },
  RemoveAddressee(command, state) {
    const oppdrag = requireOpen(state, command.data.oppdragId, 'remove an addressee from');
    const addressee = rhfField('addressee', command.data.addressee);
    if (!oppdrag.addressees.includes(addressee)) {
      throw validation('addressee', `${nameOf(addressee)} is not addressed by oppdrag ${oppdrag.id}`);
    }
    if (addressee === oppdrag.lead) {
      throw validation(
        'addressee',
        `${nameOf(addressee)} leads oppdrag ${oppdrag.id}; reassign the lead before removing it`,
      );
    }
    if (oppdrag.addressees.length === 1) {
      throw validation('addressee', `${nameOf(addressee)} is the only addressee of oppdrag ${oppdrag.id}`);
    }
    const reason = requiredText('reason', command.data.reason, LIMITS.reason);
    return [{ type: 'AddresseeRemoved', data: { oppdragId: oppdrag.id, addressee, reason } }];
  },
  AddSource(command, state) {
    const oppdrag = requireOpen(state, command.data.oppdragId, 'add a source to');
    const source = sourceField(command.data.source);
    if (oppdrag.sources.some((s) => sameSource(s, source))) {
      throw invalidTransition(`oppdrag ${oppdrag.id} already has the source ${source.letter}`);
    }
    if (oppdrag.sources.length >= LIMITS.sources) {
      throw validation('source', `an oppdrag has at most ${LIMITS.sources} sources`);
    }
    const addressees: string[] = [];
    for (const a of command.data.addressees) {
      const id = rhfField('addressees', a);
      if (!oppdrag.addressees.includes(id) && !addressees.includes(id)) addressees.push(id);
    }
    const collaborating = addressees.find((a) => oppdrag.collaborators.some((c) => c.id === a));
    if (collaborating) {
      throw validation(
        'addressees',
        `${nameOf(collaborating)} collaborates on oppdrag ${oppdrag.id}; remove it as a collaborator before it is addressed`,
      );
    }
    return [{ type: 'SourceAdded', data: { oppdragId: oppdrag.id, source, addressees } }];
  },
  CorrectDetails(command, state) {
    const oppdrag = requireOpen(state, command.data.oppdragId, 'correct');
    const d = command.data;
    const changes: { title?: string; description?: string; hovedmal?: ExistingOppdrag['hovedmal'] } = {};
    if (d.title != null) {
      const title = requiredText('title', d.title, LIMITS.title);
      if (title !== oppdrag.title) changes.title = title;
    }
    if (d.description != null) {
      const description = descriptionField(d.description);
      if (description !== oppdrag.description) changes.description = description;
    }
    if (d.hovedmal !== undefined) {
      const hovedmal = hovedmalField(d.hovedmal);
      if (JSON.stringify(hovedmal) !== JSON.stringify(oppdrag.hovedmal)) changes.hovedmal = hovedmal;
    }
    if (Object.keys(changes).length === 0) {
      throw validation('title', 'nothing to correct: give a title, description or hovedmål that differs');
    }
    const reason = requiredText('reason', d.reason, LIMITS.reason);
    return [{ type: 'OppdragDetailsCorrected', data: { oppdragId: oppdrag.id, ...changes, reason } }];
  },
  AddMilestone(command, state) {
    const oppdrag = requireOpen(state, command.data.oppdragId, 'add a milestone to');
    const milestone = milestoneField(command.data.milestone, oppdrag.year, command.data);
    if (oppdrag.milestones.some((m) => m.id === milestone.id)) {
      throw validation('milestone.id', `"${milestone.id}" is already a milestone of oppdrag ${oppdrag.id}`);
    }
    if (oppdrag.milestones.length >= LIMITS.milestones) {
      throw validation('milestone', `an oppdrag has at most ${LIMITS.milestones} milestones`);
    }
    const reason = requiredText('reason', command.data.reason, LIMITS.reason);
    return [{ type: 'MilestoneAdded', data: { oppdragId: oppdrag.id, milestone, reason } }];
  },
  ChangeMilestone(command, state) {
    const oppdrag = requireOpen(state, command.data.oppdragId, 'change a milestone of');
    const d = command.data;
    const milestone = requireMilestone(oppdrag, d.milestoneId);
    const changes: { kind?: string; title?: string; dueDate?: CalendarDate } = {};
    if (d.kind != null) {
      const kind = requiredText('kind', d.kind, 60);
      if (kind !== milestone.kind) changes.kind = kind;
    }
    if (d.title != null) {
      const title = requiredText('title', d.title, LIMITS.title);
      if (title !== milestone.title) changes.title = title;
    }
    if (d.dueDate != null) {
      const dueDate = dateField('dueDate', d.dueDate);
      notBeforeYear('dueDate', dueDate, oppdrag.year, d);
      if (dueDate !== milestone.dueDate) changes.dueDate = dueDate;
    }
    if (Object.keys(changes).length === 0) {
      throw validation('dueDate', 'nothing to change: give a kind, title or due date that differs');
    }
    const reason = requiredText('reason', d.reason, LIMITS.reason);
    return [
      {
        type: 'MilestoneChanged',
        data: { oppdragId: oppdrag.id, milestoneId: milestone.id, ...changes, reason },
      },
    ];
  },
  RemoveMilestone(command, state) {
    const oppdrag = requireOpen(state, command.data.oppdragId, 'remove a milestone from');
    const milestone = requireMilestone(oppdrag, command.data.milestoneId);
    const reason = requiredText('reason', command.data.reason, LIMITS.reason);
    return [{ type: 'MilestoneRemoved', data: { oppdragId: oppdrag.id, milestoneId: milestone.id, reason } }];
  },
  RecordDeadlinePassed(command, state, { today }) {
    const oppdrag = requireOpen(state, command.data.oppdragId, 'record a passed deadline on');
    const deadline = effectiveDeadline(oppdrag);
    if (oppdrag.status === 'reported')
      throw invalidTransition(`oppdrag ${oppdrag.id} is reported; its deadline was met`);
    if (!isOverdueOn(oppdrag, today))
      throw invalidTransition(`the deadline of oppdrag ${oppdrag.id} (${deadline}) has not passed`);
    if (oppdrag.deadlinePassedFor === deadline) {
      throw invalidTransition(
        `the passing of deadline ${deadline} is already recorded on oppdrag ${oppdrag.id}`,
      );
    }
    // Overdue from the day after the deadline, or, when it was reopened after that, from the reopening.
    const dayAfter = addDays(deadline, 1);
    const passedOn =
      oppdrag.reopenedOn !== null && oppdrag.reopenedOn > dayAfter ? oppdrag.reopenedOn : dayAfter;
    return [{ type: 'DeadlinePassed', data: { oppdragId: oppdrag.id, deadline, passedOn } }];
  },
  RecordMilestoneDue(command, state, { today }) {
    const oppdrag = requireOpen(state, command.data.oppdragId, 'record a due milestone on');
    const milestone = requireMilestone(oppdrag, command.data.milestoneId);
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
  },
};

/**
 * Decides which events a command yields on the current state, or throws a {@link DomainError}.
 * Pure: the same state, command and context always give the same answer.
 */
export function decide(command: OppdragCommand, state: OppdragState, ctx: DecisionContext): OppdragEvent[] {
  const part = authorise(command, state, ctx.actor);
  const decision = decisions[command.type] as Decision<typeof command.type>;
  return decision(command, state, { today: osloDate(ctx.now), part });
}

/** Applies one event to the state. Total: it never throws on an event `decide` could have produced. */
export function evolve(state: OppdragState, event: OppdragEvent): OppdragState {
  if (event.type === 'OppdragAssigned') {
    const d = event.data;
    const addressees =
      d.lead !== null && !d.addressees.includes(d.lead) ? [...d.addressees, d.lead] : d.addressees;
    return derive({
      status: 'assigned',
      id: d.oppdragId,
      year: d.year,
      title: d.title,
      description: d.description,
      hovedmal: d.hovedmal,
      sources: d.sources,
      addressees,
      parts: addressees.map(newPart),
      lead: d.lead,
      collaborators: d.collaborators,
      deadline: d.deadline,
      milestones: d.milestones.map(newMilestone),
      assignedOn: d.assignedOn,
      startedOn: null,
      reportedOn: null,
      documentRef: null,
      reportedLate: false,
      closed: null,
      reopenedOn: null,
      deadlinePassedFor: null,
      deadlinePassedOn: null,
    });
  }
  if (state.status === 'initial') return state;
  switch (event.type) {
    case 'OppdragStarted':
      return derive(
        updatePart(state, event.data.part, (p) =>
          p.status === 'assigned' ? { ...p, status: 'started', startedOn: event.data.startedOn } : p,
        ),
      );
    case 'MilestoneReported': {
      const rhf = partRhf(state, event.data.part);
      if (rhf === null) return state;
      return derive({
        ...state,
        milestones: updateMilestone(state.milestones, event.data.milestoneId, (m) => ({
          ...m,
          reports: [
            ...m.reports.filter((r) => r.rhf !== rhf),
            {
              rhf,
              reportedOn: event.data.reportedOn,
              documentRef: event.data.documentRef,
              note: event.data.note,
              late: event.data.reportedOn > m.dueDate,
            },
          ],
        })),
      });
    }
    case 'OppdragReported':
      return derive(
        updatePart(state, event.data.part, (p) => ({
          ...p,
          status: 'reported',
          startedOn: p.startedOn ?? event.data.reportedOn,
          reportedOn: event.data.reportedOn,
          documentRef: event.data.documentRef,
          summary: event.data.summary,
          reportedLate: p.reportedLate || event.data.reportedOn > partDueDate(state, p.rhf),
        })),
      );
    case 'OppdragReopened': {
      const reopened = {
        ...state,
        reopenedOn: event.data.reopenedOn ?? state.reopenedOn,
        // Open again: the deadline's passing is a new fact from now on.
        deadlinePassedFor: null,
        deadlinePassedOn: null,
      };
      if (event.data.scope === 'closure') return derive({ ...reopened, closed: null });
      return derive(
        updatePart(reopened, event.data.part, (p) => ({
          ...p,
          status: 'started',
          reportedOn: null,
          documentRef: null,
          summary: null,
        })),
      );
    }
    case 'OppdragClosed':
      return derive({
        ...state,
        closed: {
          outcome: event.data.outcome,
          closedOn: event.data.closedOn,
          reason: event.data.reason,
          supersededBy: event.data.supersededBy,
        },
      });
    case 'DeadlineChanged':
      // Nothing derived from the parts depends on the deadline (lateness is judged when reported).
      return { ...state, deadline: event.data.to };
    case 'LeadReassigned':
      return derive(reassignLead(state, event.data.to, event.data.carriesPart));
    case 'CollaboratorAdded':
      return { ...state, collaborators: [...state.collaborators, event.data.collaborator] };
    case 'CollaboratorRemoved':
      return {
        ...state,
        collaborators: state.collaborators.filter((c) => c.id !== event.data.collaboratorId),
      };
    case 'AddresseeAdded':
      return derive(addAddressees(state, [event.data.addressee]));
    case 'AddresseeRemoved':
      return derive({
        ...state,
        addressees: state.addressees.filter((a) => a !== event.data.addressee),
        parts: state.parts.filter((p) => p.rhf !== event.data.addressee),
        milestones: state.milestones.map((m) => ({
          ...m,
          reports: m.reports.filter((r) => r.rhf !== event.data.addressee),
        })),
      });
    case 'SourceAdded':
      return derive(
        addAddressees({ ...state, sources: [...state.sources, event.data.source] }, event.data.addressees),
      );
    case 'OppdragDetailsCorrected': {
      const d = event.data;
      return {
        ...state,
        title: d.title ?? state.title,
        description: d.description ?? state.description,
        hovedmal: d.hovedmal !== undefined ? d.hovedmal : state.hovedmal,
      };
    }
    case 'MilestoneAdded':
      return derive({ ...state, milestones: [...state.milestones, newMilestone(event.data.milestone)] });
    case 'MilestoneChanged': {
      const d = event.data;
      return derive({
        ...state,
        milestones: updateMilestone(state.milestones, d.milestoneId, (m) => {
          const dueDate = d.dueDate ?? m.dueDate;
          return {
            ...m,
            kind: d.kind ?? m.kind,
            title: d.title ?? m.title,
            dueDate,
            // A due date moved later is a new promise: its passing has not been recorded.
            dueRecorded: m.dueRecorded && dueDate <= m.dueDate,
            reports: m.reports.map((r) => ({ ...r, late: r.late || r.reportedOn > dueDate })),
          };
        }),
      });
    }
    case 'MilestoneRemoved':
      return derive({
        ...state,
        milestones: state.milestones.filter((m) => m.id !== event.data.milestoneId),
      });
    case 'DeadlinePassed':
      return { ...state, deadlinePassedFor: event.data.deadline, deadlinePassedOn: event.data.passedOn };
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

/** What can be done on an oppdrag, as the API names it. */
export type OppdragAction =
  | 'start'
  | 'recordMilestone'
  | 'report'
  | 'reopen'
  | 'close'
  | 'changeDeadline'
  | 'reassignLead'
  | 'addCollaborator'
  | 'removeCollaborator'
  | 'addAddressee'
  | 'removeAddressee'
  | 'correctDetails'
  | 'addMilestone'
  | 'changeMilestone'
  | 'removeMilestone';

const COORDINATOR_COMMANDS = new Set<OppdragCommandType>([
  'AssignOppdrag',
  'ChangeDeadline',
  'ReassignLead',
  'AddCollaborator',
  'RemoveCollaborator',
  'ReopenOppdrag',
  'CloseOppdrag',
  'AddAddressee',
  'RemoveAddressee',
  'AddSource',
  'CorrectDetails',
  'AddMilestone',
  'ChangeMilestone',
  'RemoveMilestone',
]);
const PART_COMMANDS = new Set<OppdragCommandType>(['StartOppdrag', 'RecordMilestone', 'ReportOppdrag']);

/**
 * The actions this actor may take on this oppdrag today: the role rules and the lifecycle, as `decide`
 * applies them, without a command's own input. The API and the dashboard show these and no other.
 */
export function allowedActions(state: OppdragState, actor: Actor): OppdragAction[] {
  if (state.status === 'initial') return [];
  const out: OppdragAction[] = [];
  if (isCoordinator(actor)) {
    if (state.status === 'closed') return ['reopen'];
    out.push('changeDeadline', 'reassignLead', 'addCollaborator');
    if (state.collaborators.length > 0) out.push('removeCollaborator');
    if (state.addressees.length < RHF_IDS.length) out.push('addAddressee');
    if (state.addressees.some((a) => a !== state.lead) && state.addressees.length > 1)
      out.push('removeAddressee');
    out.push('correctDetails', 'addMilestone');
    if (state.milestones.length > 0) out.push('changeMilestone', 'removeMilestone');
    if (state.parts.some((p) => p.status === 'reported')) out.push('reopen');
    out.push('close');
    return out;
  }
  if (actor.role !== 'rhf' || state.status === 'closed') return [];
  const own = partOf(state, actor.organisationId);
  if (!own) return [];
  if (own.status === 'assigned') out.push('start');
  const owesMilestones = owesJointDelivery(state, own.rhf);
  if (owesMilestones && state.milestones.some((m) => !m.reports.some((r) => r.rhf === own.rhf)))
    out.push('recordMilestone');
  if (own.status !== 'reported') out.push('report');
  return out;
}

/**
 * The role rules of the domain: each refusal names the rule that refused it. Returns the part an RHF
 * user's command is about (its own RHF's), or null for other commands.
 */
function authorise(command: OppdragCommand, state: OppdragState, actor: Actor): string | null {
  if (actor.role === 'auditor') {
    throw forbidden(`rule "auditors write nothing": ${actor.name} is an auditor and cannot ${command.type}`);
  }
  if (COORDINATOR_COMMANDS.has(command.type)) {
    if (!isCoordinator(actor)) {
      throw forbidden(
        `rule "only a HOD coordinator may ${command.type}": ${actor.name} is ${actor.role} at ${actor.organisationId}`,
      );
    }
    return null;
  }
  if (PART_COMMANDS.has(command.type)) {
    const rule = `rule "an RHF acts only on its own part of an oppdrag addressed to it"`;
    if (actor.role !== 'rhf' || !isRhfId(actor.organisationId)) {
      throw forbidden(`${rule}: ${actor.name} is ${actor.role} at ${actor.organisationId}, not an RHF user`);
    }
    const named = (command.data as { part?: string | null }).part;
    if (named != null && named !== actor.organisationId) {
      throw forbidden(
        `${rule}: ${actor.name} of ${nameOf(actor.organisationId)} cannot act on ${nameOf(named)}'s part`,
      );
    }
    if (state.status !== 'initial' && !state.addressees.includes(actor.organisationId)) {
      throw forbidden(
        `${rule}: oppdrag ${state.id} is addressed to ${state.addressees.map(nameOf).join(', ')}, not ${nameOf(actor.organisationId)}`,
      );
    }
    return actor.organisationId;
  }
  if (actor.role !== 'system') {
    throw forbidden(`rule "only the engine records ${command.type}": ${actor.name} is ${actor.role}`);
  }
  return null;
}

/** Recomputes what the parts decide: the oppdrag's status, first start, report and lateness, and milestones met. */
function derive(state: ExistingOppdrag): ExistingOppdrag {
  const { parts, lead } = state;
  const leadPart = lead === null ? undefined : parts.find((p) => p.rhf === lead);
  const owing = lead === null ? parts : leadPart ? [leadPart] : [];
  const reported = owing.length > 0 && owing.every((p) => p.status === 'reported');
  let status: OppdragStatus;
  if (state.closed) status = 'closed';
  else if (reported) status = 'reported';
  else if (parts.some((p) => p.status !== 'assigned')) status = 'started';
  else status = 'assigned';
  let startedOn: CalendarDate | null = null;
  for (const p of parts)
    if (p.startedOn && (startedOn === null || p.startedOn < startedOn)) startedOn = p.startedOn;
  let last: PartState | null = null;
  if (reported)
    for (const p of owing) if (last === null || (p.reportedOn ?? '') > (last.reportedOn ?? '')) last = p;
  let milestones = state.milestones;
  if (milestones.length > 0) {
    const owingIds = owing.map((p) => p.rhf);
    const met = milestones.map((m) => milestoneMet(m, owingIds));
    if (met.some((m, i) => m !== milestones[i])) milestones = met;
  }
  const reportedOn = last?.reportedOn ?? null;
  const documentRef = last?.documentRef ?? null;
  const reportedLate = state.reportedLate || owing.some((p) => p.reportedLate);
  // Most events change none of these: then the state the event made is the answer, not a copy of it.
  if (
    status === state.status &&
    startedOn === state.startedOn &&
    reportedOn === state.reportedOn &&
    documentRef === state.documentRef &&
    reportedLate === state.reportedLate &&
    milestones === state.milestones
  ) {
    return state;
  }
  return { ...state, status, startedOn, reportedOn, documentRef, reportedLate, milestones };
}

function milestoneMet(m: MilestoneState, owing: readonly string[]): MilestoneState {
  // Met when every part that owes it has reported it; on the day of the last of those reports.
  let reportedOn: CalendarDate | null = null;
  let documentRef: string | null = null;
  let met = owing.length > 0;
  for (let i = 0; met && i < owing.length; i++) {
    const report = m.reports.find((r) => r.rhf === owing[i]);
    if (!report) met = false;
    else if (reportedOn === null || report.reportedOn > reportedOn) {
      reportedOn = report.reportedOn;
      documentRef = report.documentRef;
    }
  }
  if (!met) {
    reportedOn = null;
    documentRef = null;
  }
  if (reportedOn === m.reportedOn && documentRef === m.documentRef) return m;
  return { ...m, reportedOn, documentRef, late: m.late || (reportedOn !== null && reportedOn > m.dueDate) };
}

const newPart = (rhf: string): PartState => ({
  rhf,
  status: 'assigned',
  startedOn: null,
  reportedOn: null,
  documentRef: null,
  summary: null,
  reportedLate: false,
});

const newMilestone = (m: PlannedMilestone): MilestoneState => ({
  id: m.id,
  kind: m.kind,
  title: m.title,
  dueDate: m.dueDate,
  reports: [],
  reportedOn: null,
  documentRef: null,
  late: false,
  dueRecorded: false,
});

/** The RHF an event's part names: the part itself, or (stored before parts existed) the lead's. */
function partRhf(state: ExistingOppdrag, part: PartRef): string | null {
  return part ?? state.lead ?? state.addressees[0] ?? null;
}

function updatePart(
  state: ExistingOppdrag,
  part: PartRef,
  update: (p: PartState) => PartState,
): ExistingOppdrag {
  const rhf = partRhf(state, part);
  if (rhf === null || !state.parts.some((p) => p.rhf === rhf)) return state;
  return { ...state, parts: state.parts.map((p) => (p.rhf === rhf ? update(p) : p)) };
}

function addAddressees(state: ExistingOppdrag, added: readonly string[]): ExistingOppdrag {
  const fresh = added.filter((a, i) => !state.addressees.includes(a) && added.indexOf(a) === i);
  if (fresh.length === 0) return state;
  return {
    ...state,
    addressees: [...state.addressees, ...fresh],
    parts: [...state.parts, ...fresh.map(newPart)],
  };
}

/**
 * A new lead. It is always an addressee. When the progress moves with the lead (history recorded before
 * parts existed), the old lead's part becomes the new lead's, milestone reports included.
 */
function reassignLead(state: ExistingOppdrag, to: string | null, carriesPart: boolean): ExistingOppdrag {
  const from = state.lead;
  if (carriesPart && from !== null && to !== null && from !== to) {
    const carried = state.parts.find((p) => p.rhf === from);
    const addressees = [...state.addressees.filter((a) => a !== from && a !== to), to];
    const parts = [
      ...state.parts.filter((p) => p.rhf !== from && p.rhf !== to),
      carried ? { ...carried, rhf: to } : newPart(to),
    ];
    return {
      ...state,
      lead: to,
      addressees,
      parts,
      milestones: state.milestones.map((m) => ({
        ...m,
        reports: m.reports.filter((r) => r.rhf !== to).map((r) => (r.rhf === from ? { ...r, rhf: to } : r)),
      })),
    };
  }
  const withLead = to === null ? state : addAddressees(state, [to]);
  return { ...withLead, lead: to };
}

function notExisting(oppdragId: string): DomainError {
  return new DomainError('NOT_FOUND', `oppdrag ${oppdragId} does not exist`);
}

function requireOpen(state: OppdragState, oppdragId: string, verb: string): ExistingOppdrag {
  if (state.status === 'initial') throw notExisting(oppdragId);
  if (state.status === 'closed') {
    throw invalidTransition(
      `oppdrag ${state.id} is closed (${state.closed?.outcome ?? 'closed'}); cannot ${verb} a closed oppdrag`,
    );
  }
  return state;
}

function requirePart(oppdrag: ExistingOppdrag, rhf: string | null): PartState {
  const own = rhf === null ? undefined : partOf(oppdrag, rhf);
  if (!own) {
    throw forbidden(
      `rule "an RHF acts only on its own part of an oppdrag addressed to it": oppdrag ${oppdrag.id} is not addressed to ${nameOf(rhf ?? '')}`,
    );
  }
  return own;
}

function requireMilestone(oppdrag: ExistingOppdrag, milestoneId: string): MilestoneState {
  const milestone = oppdrag.milestones.find((m) => m.id === milestoneId);
  if (!milestone) throw validation('milestoneId', `oppdrag ${oppdrag.id} has no milestone "${milestoneId}"`);
  return milestone;
}

const nameOf = (id: string): string => organisationById(id)?.name ?? id;

function notBeforeAssigned(oppdrag: ExistingOppdrag, field: string, date: CalendarDate): void {
  if (oppdrag.assignedOn !== null && date < oppdrag.assignedOn) {
    throw validation(field, `must not be before the day the oppdrag was assigned (${oppdrag.assignedOn})`);
  }
}

function notBeforeStarted(part: PartState, field: string, date: CalendarDate): void {
  if (part.startedOn !== null && date < part.startedOn) {
    throw validation(
      field,
      `must not be before the day ${nameOf(part.rhf)}'s part was started (${part.startedOn})`,
    );
  }
}

/** A date before the letter's year is refused unless the coordinator confirms it is meant. */
function notBeforeYear(field: string, date: CalendarDate, year: number, confirm: Confirmations): void {
  if (date < `${year}-01-01` && confirm.confirmPastDeadline !== true) {
    throw validation(
      field,
      `${date} is before the letter's year ${year}; pass confirmPastDeadline: true if it is meant`,
    );
  }
}

function validateAssignment(
  d: Extract<OppdragCommand, { type: 'AssignOppdrag' }>['data'],
  today: CalendarDate,
): Extract<OppdragEvent, { type: 'OppdragAssigned' }>['data'] {
  const oppdragId = oppdragIdField('oppdragId', d.oppdragId);
  if (!Number.isInteger(d.year) || d.year < 2000 || d.year > 2100)
    throw validation('year', 'must be a whole year from 2000 to 2100');
  const title = requiredText('title', d.title, LIMITS.title);
  const description = descriptionField(d.description);
  const lead = leadField(d.lead);
  const deadline = d.deadline === null ? null : dateField('deadline', d.deadline);
  if (deadline !== null) notBeforeYear('deadline', deadline, d.year, d);
  const addressees: string[] = [];
  for (const a of d.addressees ?? (lead === null ? RHF_IDS : [lead])) {
    const id = rhfField('addressees', a);
    if (addressees.includes(id)) throw validation('addressees', `${nameOf(id)} is listed twice`);
    addressees.push(id);
  }
  if (addressees.length === 0) throw validation('addressees', 'an oppdrag is addressed to at least one RHF');
  if (lead !== null && !addressees.includes(lead)) {
    throw validation('addressees', `the lead ${nameOf(lead)} must be one of the addressees`);
  }
  const collaborators = [];
  const seen = new Set<string>();
  for (const collaborator of d.collaborators) {
    const ref = collaboratorField('collaborators', collaborator, d);
    if (seen.has(ref.id)) throw validation('collaborators', `${ref.name} is listed twice`);
    if (ref.id === lead)
      throw validation('collaborators', `${ref.name} is the lead and cannot also collaborate`);
    if (addressees.includes(ref.id))
      throw validation(
        'collaborators',
        `${ref.name} is addressed and has its own part; it cannot also collaborate`,
      );
    seen.add(ref.id);
    collaborators.push(ref);
  }
  if (collaborators.length > LIMITS.collaborators) {
    throw validation('collaborators', `at most ${LIMITS.collaborators} collaborators`);
  }
  if (d.milestones.length > LIMITS.milestones) {
    throw validation('milestones', `at most ${LIMITS.milestones} milestones`);
  }
  const milestoneIds = new Set<string>();
  const milestones = d.milestones.map((m) => {
    const milestone = milestoneField(m, d.year, d, 'milestones');
    if (milestoneIds.has(milestone.id)) throw validation('milestones.id', `"${milestone.id}" is used twice`);
    milestoneIds.add(milestone.id);
    return milestone;
  });
  // Not given: the start of the letter's year (its letter came then at the earliest), or today if sooner.
  const yearStart = `${d.year}-01-01` as CalendarDate;
  const assignedOn =
    d.assignedOn == null
      ? yearStart < today
        ? yearStart
        : today
      : businessDate('assignedOn', d.assignedOn, today);
  if (d.sources.length > LIMITS.sources) throw validation('sources', `at most ${LIMITS.sources} sources`);
  return {
    oppdragId,
    year: d.year,
    title,
    description,
    hovedmal: d.hovedmal === null ? null : hovedmalField(d.hovedmal),
    sources: d.sources.map(sourceField),
    addressees,
    lead,
    collaborators,
    deadline,
    milestones,
    assignedOn,
  };
}

function milestoneField(
  m: PlannedMilestone,
  year: number,
  confirm: Confirmations,
  field = 'milestone',
): PlannedMilestone {
  if (!m || typeof m.id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,39}$/.test(m.id)) {
    throw validation(`${field}.id`, 'must be lower-case letters, digits and dashes (at most 40)');
  }
  const dueDate = dateField(`${field}.dueDate`, m.dueDate);
  notBeforeYear(`${field}.dueDate`, dueDate, year, confirm);
  const kind = requiredText(`${field}.kind`, m.kind, 60);
  const title =
    typeof m.title === 'string' ? safeText(`${field}.title`, m.title).trim().slice(0, LIMITS.title) : '';
  return { id: m.id, kind, title, dueDate };
}

function descriptionField(value: unknown): string {
  if (typeof value !== 'string' || value.length > LIMITS.description) {
    throw validation('description', `must be text of at most ${LIMITS.description} characters`);
  }
  return safeText('description', value);
}

function hovedmalField(value: unknown): { number: number | null; title: string } | null {
  if (value === null) return null;
  const h = value as { number?: unknown; title?: unknown };
  if (typeof h !== 'object' || typeof h.title !== 'string') {
    throw validation('hovedmal', 'must have a title, and a number or none');
  }
  if (
    h.number !== null &&
    h.number !== undefined &&
    (!Number.isInteger(h.number) || (h.number as number) < 0)
  ) {
    throw validation('hovedmal.number', 'must be a whole number from 0, or none');
  }
  return {
    number: (h.number as number | null | undefined) ?? null,
    title: safeText('hovedmal.title', h.title).trim().slice(0, LIMITS.title),
  };
}

function sourceField(value: SourceReference): SourceReference {
  if (!value || typeof value.letter !== 'string' || value.letter.trim() === '') {
    throw validation('source.letter', 'is required and must not be blank');
  }
  safeText('source.letter', value.letter);
  if (typeof value.heading === 'string') safeText('source.heading', value.heading);
  if (typeof value.section?.title === 'string') safeText('source.section.title', value.section.title);
  return value;
}

const sameSource = (a: SourceReference, b: SourceReference): boolean =>
  a.letter === b.letter && a.lineStart === b.lineStart;

function oppdragIdField(field: string, value: unknown): string {
  if (typeof value !== 'string' || !OPPDRAG_ID_PATTERN.test(value)) {
    throw validation(
      field,
      'must be lower-case letters, digits and dashes, starting with a letter or digit (at most 80)',
    );
  }
  return value;
}

const RHF_RULE = 'must be one of the four RHFs (helse-sor-ost, helse-vest, helse-midt-norge, helse-nord)';

function leadField(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !isRhfId(value)) throw validation('lead', `${RHF_RULE} or none`);
  return value;
}

function rhfField(field: string, value: unknown): string {
  if (typeof value !== 'string' || !isRhfId(value)) throw validation(field, RHF_RULE);
  return value;
}

/**
 * A collaborator: a registry organisation, or, when the coordinator registers it as new, any other. An
 * unknown name is refused with the nearest known names, so a misspelling does not become an organisation.
 */
function collaboratorField(
  field: string,
  value: { id: string; name: string },
  confirm: Confirmations,
): { id: string; name: string } {
  if (!value || typeof value.id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,79}$/.test(value.id)) {
    throw validation(field, 'must name an organisation with an id of lower-case letters, digits and dashes');
  }
  if (value.id === HOD_ID) throw validation(field, 'HOD issues the oppdrag and cannot collaborate on it');
  const name = requiredText(`${field}.name`, value.name, 200);
  if (!isKnownOrganisationId(value.id) && confirm.registerNewOrganisation !== true) {
    const near = nearestOrganisations(name).map((o) => o.name);
    const hint = near.length > 0 ? `did you mean ${near.join(' or ')}? ` : '';
    throw validation(
      field,
      `"${name}" is not a known organisation; ${hint}pass registerNewOrganisation: true to register it as new`,
    );
  }
  return { id: value.id, name };
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
  return safeText(field, value).trim();
}

/** Refuses text with control characters, escapes or bidirectional overrides (see text-rules.ts). */
function safeText(field: string, value: string): string {
  const problem = unsafeTextProblem(value);
  if (problem !== null) throw validation(field, problem);
  return value;
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
