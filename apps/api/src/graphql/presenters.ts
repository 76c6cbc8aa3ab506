import {
  deadlineSource,
  effectiveDeadline,
  isMilestoneOverdueOn,
  isOverdueOn,
  organisationById,
  type CalendarDate,
  type ExistingOppdrag,
  type OrganisationRef,
  type SourceReference,
} from '#domain';
import type { StoredOppdragEvent } from '#application';
import { nextDueDate, type AuditEntry, type OppdragView } from '#projections';
import {
  CloseOutcomeGql,
  DeadlineSourceGql,
  OppdragStatusGql,
  RoleGql,
  type ActorModel,
  type AuditEntryModel,
  type HistoryEntryModel,
  type OppdragModel,
  type OrganisationModel,
  type SourceReferenceModel,
} from './models.js';

/** Read models become GraphQL objects here, and only here. */
export function organisationModel(ref: OrganisationRef | string): OrganisationModel {
  const id = typeof ref === 'string' ? ref : ref.id;
  const known = organisationById(id);
  if (known) return { id: known.id, name: known.name, shortName: known.shortName, kind: known.kind };
  const name = typeof ref === 'string' ? ref : ref.name;
  return { id, name, shortName: name, kind: 'other' };
}

export function sourceModel(s: SourceReference): SourceReferenceModel {
  return {
    letter: s.letter,
    recipient: s.recipient,
    letterKind: s.letterKind,
    sectionNumber: s.section?.number ?? null,
    sectionTitle: s.section?.title ?? null,
    heading: s.heading,
    lineStart: s.lineStart,
    lineEnd: s.lineEnd,
  };
}

const daysBetween = (from: CalendarDate, to: CalendarDate): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export function oppdragModel(
  oppdrag: ExistingOppdrag,
  day: CalendarDate,
  extra: Pick<OppdragView, 'revision' | 'lastChange' | 'deadlinePassedOn'> | null,
): OppdragModel {
  const effective = effectiveDeadline(oppdrag);
  const overdue = isOverdueOn(oppdrag, day);
  const view = extra ? ({ oppdrag, ...extra } as OppdragView) : ({ oppdrag } as OppdragView);
  return {
    id: oppdrag.id,
    year: oppdrag.year,
    title: oppdrag.title,
    description: oppdrag.description,
    hovedmal: oppdrag.hovedmal ? { number: oppdrag.hovedmal.number, title: oppdrag.hovedmal.title } : null,
    sources: oppdrag.sources.map(sourceModel),
    lead: oppdrag.lead ? organisationModel(oppdrag.lead) : null,
    collaborators: oppdrag.collaborators.map(organisationModel),
    status: oppdrag.status as OppdragStatusGql,
    statedDeadline: oppdrag.deadline,
    effectiveDeadline: effective,
    deadlineSource:
      deadlineSource(oppdrag) === 'stated' ? DeadlineSourceGql.STATED : DeadlineSourceGql.ANNUAL_REPORT,
    overdue,
    daysOverdue: overdue ? daysBetween(effective, day) : 0,
    nextDue: nextDueDate(view),
    milestones: oppdrag.milestones.map((m) => ({
      id: m.id,
      kind: m.kind,
      title: m.title,
      dueDate: m.dueDate,
      reportedOn: m.reportedOn,
      documentRef: m.documentRef,
      late: m.late,
      overdue: isMilestoneOverdueOn(oppdrag, m, day),
    })),
    startedOn: oppdrag.startedOn,
    reportedOn: oppdrag.reportedOn,
    documentRef: oppdrag.documentRef,
    reportedLate: oppdrag.reportedLate,
    closed: oppdrag.closed
      ? {
          outcome: oppdrag.closed.outcome as CloseOutcomeGql,
          closedOn: oppdrag.closed.closedOn,
          reason: oppdrag.closed.reason,
        }
      : null,
    deadlinePassedOn: extra?.deadlinePassedOn ?? null,
    revision: extra?.revision ?? -1,
    lastChange: extra?.lastChange ?? null,
  };
}

export const viewModel = (view: OppdragView, day: CalendarDate): OppdragModel =>
  oppdragModel(view.oppdrag, day, view);

function actorModel(
  actor: { userId?: string; name?: string; role?: string; organisationId?: string } | undefined,
): ActorModel {
  return {
    userId: actor?.userId ?? 'ukjent',
    name: actor?.name ?? 'ukjent',
    role: (actor?.role ?? 'system') as RoleGql,
    organisationId: actor?.organisationId ?? 'ukjent',
  };
}

export function historyEntryModel(stored: StoredOppdragEvent): HistoryEntryModel {
  const data = stored.event.data as Record<string, unknown>;
  return {
    revision: stored.revision,
    position: `${stored.position.commit}/${stored.position.prepare}`,
    eventId: stored.eventId,
    type: stored.event.type,
    recordedAt: stored.recordedAt,
    actor: actorModel(stored.metadata.actor),
    commandId: stored.metadata.commandId ?? '',
    commandType: typeof stored.metadata.commandType === 'string' ? stored.metadata.commandType : null,
    correlationId: stored.metadata.correlationId ?? '',
    causationId: stored.metadata.causationId ?? '',
    reason: typeof data.reason === 'string' ? data.reason : null,
    data: JSON.stringify(data),
  };
}

export function auditEntryModel(entry: AuditEntry): AuditEntryModel {
  return {
    position: entry.position,
    oppdragId: entry.oppdragId,
    revision: entry.revision,
    eventId: entry.eventId,
    type: entry.type,
    recordedAt: entry.recordedAt,
    actor: actorModel({
      userId: entry.actorUserId,
      name: entry.actorName,
      role: entry.actorRole,
      organisationId: entry.actorOrganisation,
    }),
    commandId: entry.commandId,
    correlationId: entry.correlationId,
    data: entry.data,
  };
}

export { RoleGql };
