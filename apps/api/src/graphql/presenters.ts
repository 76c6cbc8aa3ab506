import {
  currentDeadlinePassedOn,
  deadlineSource,
  effectiveDeadline,
  isMilestoneOverdueOn,
  isOverdueOn,
  isPartOverdueOn,
  organisationById,
  owesJointDelivery,
  partDueDate,
  type MilestoneState,
  type PartState,
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
  PartStatusGql,
  RoleGql,
  type MilestoneModel,
  type PartModel,
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

/** Days since 1970-01-01 of a date; the few thousand dates in use are each parsed once. */
const epochDays = new Map<CalendarDate, number>();
function epochDayOf(date: CalendarDate): number {
  let day = epochDays.get(date);
  if (day === undefined) {
    day = Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
    if (epochDays.size >= 20_000) epochDays.clear();
    epochDays.set(date, day);
  }
  return day;
}

/** Whole days from one date to another. */
export const daysBetween = (from: CalendarDate, to: CalendarDate): number =>
  epochDayOf(to) - epochDayOf(from);

type ViewExtra = Pick<OppdragView, 'revision' | 'lastChange'>;

/** The oppdrag a model presents, for field resolvers that need more than its fields (undefined for an object this module did not make). */
export const presentedOppdrag = (model: object): ExistingOppdrag | undefined =>
  OppdragPresentation.oppdragOf(model);

/** One part as the GraphQL type `Part`, judged on a day. */
export function partModel(oppdrag: ExistingOppdrag, part: PartState, day: CalendarDate): PartModel {
  return {
    organisation: organisationModel(part.rhf),
    lead: oppdrag.lead === part.rhf,
    status: part.status as PartStatusGql,
    startedOn: part.startedOn,
    reportedOn: part.reportedOn,
    documentRef: part.documentRef,
    summary: part.summary,
    owes: owesJointDelivery(oppdrag, part.rhf) ? 'JOINT' : 'ANNUAL_REPORT',
    dueDate: partDueDate(oppdrag, part.rhf),
    overdue: isPartOverdueOn(oppdrag, part, day),
    reportedLate: part.reportedLate,
  };
}

/** One milestone as the GraphQL type `Milestone`, judged on a day. */
export function milestoneModel(
  oppdrag: ExistingOppdrag,
  m: MilestoneState,
  day: CalendarDate,
): MilestoneModel {
  return {
    id: m.id,
    kind: m.kind,
    title: m.title,
    dueDate: m.dueDate,
    reportedOn: m.reportedOn,
    documentRef: m.documentRef,
    late: m.late,
    overdue: isMilestoneOverdueOn(oppdrag, m, day),
    reports: m.reports.map((r) => ({
      organisation: organisationModel(r.rhf),
      reportedOn: r.reportedOn,
      documentRef: r.documentRef,
      note: r.note,
      late: r.late,
    })),
  };
}

/**
 * One oppdrag as the GraphQL type `Oppdrag`. Every field is computed when the query reads it, and only
 * then: a list query that selects five fields of fifty oppdrag does not build their milestones, sources
 * and next due dates. The values are the same as when computed up front (the view and the day are fixed).
 */
class OppdragPresentation implements OppdragModel {
  readonly #oppdrag: ExistingOppdrag;
  readonly #day: CalendarDate;
  readonly #extra: ViewExtra | null;
  /** The view for `nextDueDate`, when the caller had one. */
  readonly #view: OppdragView | null;
  #effective: CalendarDate | undefined;

  constructor(
    oppdrag: ExistingOppdrag,
    day: CalendarDate,
    extra: ViewExtra | null,
    view: OppdragView | null,
  ) {
    this.#oppdrag = oppdrag;
    this.#day = day;
    this.#extra = extra;
    this.#view = view;
  }

  static oppdragOf(model: object): ExistingOppdrag | undefined {
    return #oppdrag in model ? model.#oppdrag : undefined;
  }

  get id(): string {
    return this.#oppdrag.id;
  }
  get year(): number {
    return this.#oppdrag.year;
  }
  get title(): string {
    return this.#oppdrag.title;
  }
  get description(): string {
    return this.#oppdrag.description;
  }
  get hovedmal(): OppdragModel['hovedmal'] {
    const { hovedmal } = this.#oppdrag;
    return hovedmal ? { number: hovedmal.number, title: hovedmal.title } : null;
  }
  get sources(): SourceReferenceModel[] {
    return this.#oppdrag.sources.map(sourceModel);
  }
  get lead(): OrganisationModel | null {
    return this.#oppdrag.lead ? organisationModel(this.#oppdrag.lead) : null;
  }
  get collaborators(): OrganisationModel[] {
    return this.#oppdrag.collaborators.map(organisationModel);
  }
  get addressees(): OrganisationModel[] {
    return this.#oppdrag.addressees.map((a) => organisationModel(a));
  }
  get parts(): PartModel[] {
    return this.#oppdrag.parts.map((p) => partModel(this.#oppdrag, p, this.#day));
  }
  get overdueParts(): PartModel[] {
    return this.parts.filter((p) => p.overdue);
  }
  get assignedOn(): string | null {
    return this.#oppdrag.assignedOn;
  }
  get status(): OppdragStatusGql {
    return this.#oppdrag.status as OppdragStatusGql;
  }
  get statedDeadline(): string | null {
    return this.#oppdrag.deadline;
  }
  get effectiveDeadline(): CalendarDate {
    return (this.#effective ??= effectiveDeadline(this.#oppdrag));
  }
  get deadlineSource(): DeadlineSourceGql {
    return deadlineSource(this.#oppdrag) === 'stated'
      ? DeadlineSourceGql.STATED
      : DeadlineSourceGql.ANNUAL_REPORT;
  }
  get overdue(): boolean {
    return isOverdueOn(this.#oppdrag, this.#day);
  }
  get daysOverdue(): number {
    return this.overdue ? daysBetween(this.effectiveDeadline, this.#day) : 0;
  }
  get nextDue(): OppdragModel['nextDue'] {
    const oppdrag = this.#oppdrag;
    const extra = this.#extra;
    return nextDueDate(
      this.#view ?? (extra ? ({ oppdrag, ...extra } as OppdragView) : ({ oppdrag } as OppdragView)),
    );
  }
  get milestones(): OppdragModel['milestones'] {
    return this.#oppdrag.milestones.map((m) => milestoneModel(this.#oppdrag, m, this.#day));
  }
  get startedOn(): string | null {
    return this.#oppdrag.startedOn;
  }
  get reportedOn(): string | null {
    return this.#oppdrag.reportedOn;
  }
  get documentRef(): string | null {
    return this.#oppdrag.documentRef;
  }
  get reportedLate(): boolean {
    return this.#oppdrag.reportedLate;
  }
  get closed(): OppdragModel['closed'] {
    const { closed } = this.#oppdrag;
    return closed
      ? {
          outcome: closed.outcome as CloseOutcomeGql,
          closedOn: closed.closedOn,
          reason: closed.reason,
          supersededBy: closed.supersededBy,
        }
      : null;
  }
  get deadlinePassedOn(): string | null {
    return currentDeadlinePassedOn(this.#oppdrag);
  }
  get revision(): number {
    return this.#extra?.revision ?? -1;
  }
  get lastChange(): OppdragModel['lastChange'] {
    return this.#extra?.lastChange ?? null;
  }
}

export function oppdragModel(
  oppdrag: ExistingOppdrag,
  day: CalendarDate,
  extra: ViewExtra | null,
): OppdragModel {
  return new OppdragPresentation(oppdrag, day, extra, null);
}

export const viewModel = (view: OppdragView, day: CalendarDate): OppdragModel =>
  new OppdragPresentation(view.oppdrag, day, view, view);

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
