import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum OppdragStatusGql {
  ASSIGNED = 'assigned',
  STARTED = 'started',
  REPORTED = 'reported',
  CLOSED = 'closed',
}
registerEnumType(OppdragStatusGql, {
  name: 'OppdragStatus',
  description: 'Where an oppdrag is in its lifecycle.',
});

export enum DeadlineSourceGql {
  STATED = 'stated',
  ANNUAL_REPORT = 'annual-report',
}
registerEnumType(DeadlineSourceGql, {
  name: 'DeadlineSource',
  description:
    'STATED: the letter or a coordinator set the deadline. ANNUAL_REPORT: none was set, so 15 March of the following year (Årlig melding) applies.',
});

export enum CloseOutcomeGql {
  COMPLETED = 'completed',
  WITHDRAWN = 'withdrawn',
  SUPERSEDED = 'superseded',
  CONTINUED = 'continued',
}
registerEnumType(CloseOutcomeGql, { name: 'CloseOutcome' });

export enum PartStatusGql {
  ASSIGNED = 'assigned',
  STARTED = 'started',
  REPORTED = 'reported',
}
registerEnumType(PartStatusGql, {
  name: 'PartStatus',
  description: "Where one addressed RHF's own part of an oppdrag is.",
});

export enum InvolvementGql {
  LEAD = 'lead',
  ADDRESSEE = 'addressee',
  COLLABORATOR = 'collaborator',
}
registerEnumType(InvolvementGql, {
  name: 'Involvement',
  description: 'LEAD: leads it (and owns a part). ADDRESSEE: owns a part. COLLABORATOR: helps, owns no part.',
});

export enum RoleGql {
  COORDINATOR = 'coordinator',
  RHF = 'rhf',
  AUDITOR = 'auditor',
  SYSTEM = 'system',
}
registerEnumType(RoleGql, { name: 'Role' });

@ObjectType('Organisation')
export class OrganisationModel {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() shortName!: string;
  @Field({ description: 'rhf, ministry, agency, municipality, group or other' }) kind!: string;
}

@ObjectType('Hovedmal')
export class HovedmalModel {
  @Field(() => Int, { nullable: true }) number!: number | null;
  @Field() title!: string;
}

@ObjectType('SourceReference', { description: 'Where in a letter the oppdrag was read.' })
export class SourceReferenceModel {
  @Field() letter!: string;
  @Field(() => String, { nullable: true }) recipient!: string | null;
  @Field() letterKind!: string;
  @Field(() => Int, { nullable: true }) sectionNumber!: number | null;
  @Field(() => String, { nullable: true }) sectionTitle!: string | null;
  @Field(() => String, { nullable: true }) heading!: string | null;
  @Field(() => Int, { nullable: true }) lineStart!: number | null;
  @Field(() => Int, { nullable: true }) lineEnd!: number | null;
}

@ObjectType('Milestone')
export class MilestoneModel {
  @Field(() => ID) id!: string;
  @Field() kind!: string;
  @Field() title!: string;
  @Field({ description: 'Calendar date (YYYY-MM-DD, Europe/Oslo).' }) dueDate!: string;
  @Field(() => String, { nullable: true }) reportedOn!: string | null;
  @Field(() => String, { nullable: true }) documentRef!: string | null;
  @Field({ description: 'Met after its due date. Stays true.' }) late!: boolean;
  @Field(() => [MilestoneReportModel], { description: "Each part's report of it." })
  reports!: MilestoneReportModel[];
  @Field({ description: 'Overdue today: due before today, not reported, oppdrag not closed.' })
  overdue!: boolean;
}

@ObjectType('Closure')
export class ClosureModel {
  @Field(() => CloseOutcomeGql) outcome!: CloseOutcomeGql;
  @Field() closedOn!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => String, { nullable: true, description: 'The oppdrag that superseded it.' })
  supersededBy!: string | null;
}

@ObjectType('NextDue')
export class NextDueModel {
  @Field() date!: string;
  @Field() what!: string;
}

@ObjectType('LastChange')
export class LastChangeModel {
  @Field() type!: string;
  @Field() at!: string;
  @Field() actorName!: string;
  @Field() actorOrganisation!: string;
}

@ObjectType('MilestoneReport')
export class MilestoneReportModel {
  @Field(() => OrganisationModel, { description: 'The RHF whose part reported it.' })
  organisation!: OrganisationModel;
  @Field() reportedOn!: string;
  @Field() documentRef!: string;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field({ description: 'Reported after the due date.' }) late!: boolean;
}

@ObjectType('Part')
export class PartModel {
  @Field(() => OrganisationModel, { description: 'The addressed RHF that owns this part.' })
  organisation!: OrganisationModel;
  @Field({ description: "This part is the lead's." }) lead!: boolean;
  @Field(() => PartStatusGql) status!: PartStatusGql;
  @Field(() => String, { nullable: true }) startedOn!: string | null;
  @Field(() => String, { nullable: true }) reportedOn!: string | null;
  @Field(() => String, { nullable: true }) documentRef!: string | null;
  @Field(() => String, { nullable: true, description: 'The summary given with the report.' })
  summary!: string | null;
  @Field({
    description:
      "What this part owes: JOINT (the milestones and the deadline: the lead's part, or every part with no lead) or ANNUAL_REPORT (its own report by the Årlig melding).",
  })
  owes!: string;
  @Field({ description: 'The day its report is due.' }) dueDate!: string;
  @Field({ description: 'Overdue on the day asked about: due before it, not reported, oppdrag not closed.' })
  overdue!: boolean;
  @Field({ description: 'A report of this part was once delivered late. Stays true.' })
  reportedLate!: boolean;
}

@ObjectType('Oppdrag')
export class OppdragModel {
  @Field(() => ID) id!: string;
  @Field(() => Int) year!: number;
  @Field() title!: string;
  @Field() description!: string;
  @Field(() => HovedmalModel, { nullable: true }) hovedmal!: HovedmalModel | null;
  @Field(() => [SourceReferenceModel]) sources!: SourceReferenceModel[];
  @Field(() => OrganisationModel, {
    nullable: true,
    description: 'The lead RHF; null means all RHFs, each for itself.',
  })
  lead!: OrganisationModel | null;
  @Field(() => [OrganisationModel]) collaborators!: OrganisationModel[];
  @Field(() => [OrganisationModel], { description: 'The RHFs that must do and report it; each owns a part.' })
  addressees!: OrganisationModel[];
  @Field(() => [PartModel], { description: "Each addressed RHF's own part." }) parts!: PartModel[];
  @Field(() => [PartModel], { description: 'The parts overdue on the day asked about.' })
  overdueParts!: PartModel[];
  @Field(() => String, { nullable: true, description: 'The day it was assigned, where it was kept.' })
  assignedOn!: string | null;
  @Field(() => OppdragStatusGql, {
    description:
      "Derived from the parts: started when any part is, reported when the lead's (or, with no lead, every) part is.",
  })
  status!: OppdragStatusGql;
  @Field(() => String, {
    nullable: true,
    description: 'The deadline the letter or a coordinator set, if any.',
  })
  statedDeadline!: string | null;
  @Field({ description: 'The stated deadline, else 15 March of the following year.' })
  effectiveDeadline!: string;
  @Field(() => DeadlineSourceGql) deadlineSource!: DeadlineSourceGql;
  @Field({ description: 'Overdue on the day asked about (today unless the query named a day).' })
  overdue!: boolean;
  @Field(() => Int, { description: 'Days past the effective deadline while overdue, else 0.' })
  daysOverdue!: number;
  @Field(() => NextDueModel, { nullable: true }) nextDue!: NextDueModel | null;
  @Field(() => [MilestoneModel]) milestones!: MilestoneModel[];
  @Field(() => String, { nullable: true }) startedOn!: string | null;
  @Field(() => String, { nullable: true }) reportedOn!: string | null;
  @Field(() => String, { nullable: true }) documentRef!: string | null;
  @Field({ description: 'A report was once delivered after the effective deadline. Stays true.' })
  reportedLate!: boolean;
  @Field(() => ClosureModel, { nullable: true }) closed!: ClosureModel | null;
  @Field(() => String, { nullable: true, description: 'The day the engine recorded the deadline as passed.' })
  deadlinePassedOn!: string | null;
  @Field(() => Int, { description: 'The revision of the last event: pass it as expectedRevision.' })
  revision!: number;
  @Field(() => LastChangeModel, { nullable: true }) lastChange!: LastChangeModel | null;
}

@ObjectType('PageInfo')
export class PageInfoModel {
  @Field(() => String, { nullable: true }) endCursor!: string | null;
  @Field() hasNextPage!: boolean;
}

@ObjectType('OppdragEdge')
export class OppdragEdgeModel {
  @Field() cursor!: string;
  @Field(() => OppdragModel) node!: OppdragModel;
}

@ObjectType('OppdragConnection')
export class OppdragConnectionModel {
  @Field(() => [OppdragEdgeModel]) edges!: OppdragEdgeModel[];
  @Field(() => [OppdragModel], { description: 'The nodes of edges, for convenience.' })
  nodes!: OppdragModel[];
  @Field(() => PageInfoModel) pageInfo!: PageInfoModel;
  @Field(() => Int) totalCount!: number;
}

@ObjectType('LeadGroup')
export class LeadGroupModel {
  @Field(() => OrganisationModel, {
    nullable: true,
    description: 'null: oppdrag for all RHFs, each for itself.',
  })
  lead!: OrganisationModel | null;
  @Field(() => Int) totalCount!: number;
  @Field(() => [OppdragModel]) oppdrag!: OppdragModel[];
}

@ObjectType('OverdueMilestone')
export class OverdueMilestoneModel {
  @Field(() => OppdragModel) oppdrag!: OppdragModel;
  @Field(() => MilestoneModel) milestone!: MilestoneModel;
  @Field(() => Int, { description: 'Days past its due date.' }) daysOverdue!: number;
}

@ObjectType('OverdueList')
export class OverdueListModel {
  @Field() on!: string;
  @Field(() => Int) totalCount!: number;
  @Field(() => [OppdragModel]) oppdrag!: OppdragModel[];
  // milestones and milestonesTotalCount are resolved on demand (OverdueListResolver).
}

@ObjectType('Workload')
export class WorkloadModel {
  @Field(() => OrganisationModel) organisation!: OrganisationModel;
  @Field(() => Int) leads!: number;
  @Field(() => Int) collaboratesOn!: number;
  @Field(() => Int, { description: 'Its parts: the oppdrag addressed to it.' }) parts!: number;
  @Field(() => Int, { description: 'Its parts not yet reported, of oppdrag not closed.' }) open!: number;
  @Field(() => Int, { description: 'Its parts overdue on the day.' }) overdue!: number;
  @Field(() => Int, { description: 'Its parts once reported late.' }) reportedLate!: number;
}

@ObjectType('Actor')
export class ActorModel {
  @Field() userId!: string;
  @Field() name!: string;
  @Field(() => RoleGql) role!: RoleGql;
  @Field() organisationId!: string;
}

@ObjectType('HistoryEntry', { description: 'One stored event with all its metadata.' })
export class HistoryEntryModel {
  @Field(() => Int) revision!: number;
  @Field({ description: 'Global position (commit/prepare).' }) position!: string;
  @Field(() => ID) eventId!: string;
  @Field() type!: string;
  @Field() recordedAt!: string;
  @Field(() => ActorModel) actor!: ActorModel;
  @Field() commandId!: string;
  @Field(() => String, { nullable: true }) commandType!: string | null;
  @Field() correlationId!: string;
  @Field() causationId!: string;
  @Field(() => String, { nullable: true, description: 'The reason given, where the event carries one.' })
  reason!: string | null;
  @Field({ description: 'The event payload as JSON.' }) data!: string;
}

@ObjectType('History')
export class HistoryModel {
  @Field(() => ID) oppdragId!: string;
  @Field(() => Int) totalCount!: number;
  @Field(() => [HistoryEntryModel]) entries!: HistoryEntryModel[];
  @Field() hasMore!: boolean;
}

@ObjectType('OppdragAsOf', { description: 'An oppdrag as it stood at an instant, replayed from its stream.' })
export class OppdragAsOfModel {
  @Field() asOf!: string;
  @Field() existed!: boolean;
  @Field(() => Int, { nullable: true }) revision!: number | null;
  @Field(() => OppdragModel, { nullable: true }) oppdrag!: OppdragModel | null;
}

@ObjectType('AuditEntry')
export class AuditEntryModel {
  @Field() position!: string;
  @Field(() => ID) oppdragId!: string;
  @Field(() => Int) revision!: number;
  @Field(() => ID) eventId!: string;
  @Field() type!: string;
  @Field() recordedAt!: string;
  @Field(() => ActorModel) actor!: ActorModel;
  @Field() commandId!: string;
  @Field() correlationId!: string;
  @Field() data!: string;
}

@ObjectType('AuditTrail')
export class AuditTrailModel {
  @Field(() => [AuditEntryModel]) entries!: AuditEntryModel[];
  @Field(() => String, { nullable: true }) endCursor!: string | null;
  @Field() hasNextPage!: boolean;
}

@ObjectType('MutationResult')
export class MutationResultModel {
  @Field(() => OppdragModel) oppdrag!: OppdragModel;
  @Field(() => Int, { description: 'The stream revision after the command.' }) revision!: number;
  @Field(() => [String], { description: 'The types of the events the command recorded.' }) events!: string[];
  @Field({ description: 'True when this command id was handled before and nothing new was written.' })
  duplicate!: boolean;
}

@ObjectType('Me')
export class MeModel {
  @Field() userId!: string;
  @Field() name!: string;
  @Field(() => RoleGql) role!: RoleGql;
  @Field(() => OrganisationModel, { nullable: true }) organisation!: OrganisationModel | null;
}

@ObjectType('OppdragChange')
export class OppdragChangeModel {
  @Field() eventType!: string;
  @Field() recordedAt!: string;
  @Field(() => OppdragModel) oppdrag!: OppdragModel;
}

@ObjectType('MyPart')
export class MyPartModel {
  @Field(() => OppdragModel) oppdrag!: OppdragModel;
  @Field(() => InvolvementGql) involvement!: InvolvementGql;
  @Field(() => PartModel, { nullable: true, description: 'Its own part (none for a collaborator).' })
  part!: PartModel | null;
  @Field(() => String, { nullable: true, description: 'The day its part is due (none for a collaborator).' })
  dueDate!: string | null;
  @Field() overdue!: boolean;
  @Field(() => [MilestoneModel], { description: 'Milestones its part owes that are overdue.' })
  overdueMilestones!: MilestoneModel[];
}

@ObjectType('MyParts')
export class MyPartsModel {
  @Field(() => OrganisationModel) organisation!: OrganisationModel;
  @Field(() => Int) totalCount!: number;
  @Field(() => [MyPartModel]) items!: MyPartModel[];
  @Field(() => PageInfoModel) pageInfo!: PageInfoModel;
}

@ObjectType('OwedItem')
export class OwedItemModel {
  @Field(() => OppdragModel) oppdrag!: OppdragModel;
  @Field({ description: "REPORT (its part's report) or MILESTONE." }) what!: string;
  @Field(() => MilestoneModel, { nullable: true }) milestone!: MilestoneModel | null;
  @Field() dueDate!: string;
  @Field() overdue!: boolean;
}

@ObjectType('StillOwes')
export class StillOwesModel {
  @Field(() => OrganisationModel) organisation!: OrganisationModel;
  @Field(() => Int) year!: number;
  @Field({ description: 'The Årlig melding for the year is due this day.' }) annualReportDate!: string;
  @Field(() => Int) totalCount!: number;
  @Field(() => [OwedItemModel]) items!: OwedItemModel[];
}
