import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  osloDate,
  organisationRef,
  resolveOrganisation,
  type Actor,
  type CalendarDate,
  type OppdragCommand,
} from '#domain';
import { CorrelationId, CurrentUser } from '../auth/current-user.js';
import { OppdragRuntime, type ExecutedCommand } from '../infrastructure/runtime.js';
import { dayArg, pageSize } from './args.js';
import { instantArg, positionCursorArg } from './strict-args.js';
import { ApiError, inputValidation } from './errors.js';
import {
  AddCollaboratorInput,
  AddMilestoneInput,
  AddresseeInput,
  AssignOppdragInput,
  ChangeMilestoneInput,
  CorrectDetailsInput,
  RemoveMilestoneInput,
  AuditFilterInput,
  ChangeDeadlineInput,
  CloseOppdragInput,
  OppdragFilterInput,
  ReassignLeadInput,
  RecordMilestoneInput,
  RemoveCollaboratorInput,
  ReopenOppdragInput,
  ReportOppdragInput,
  StartOppdragInput,
} from './inputs.js';
import {
  AuditTrailQuery,
  ExecuteOppdragCommand,
  GetOppdragQuery,
  HistoryQuery,
  ListOppdragQuery,
  OppdragAsOfQuery,
  OverdueQuery,
  WhoLeadsWhatQuery,
  WorkloadQuery,
} from './messages.js';
import {
  AuditTrailModel,
  HistoryModel,
  LeadGroupModel,
  MeModel,
  MutationResultModel,
  OppdragAsOfModel,
  OppdragConnectionModel,
  OppdragModel,
  OrganisationModel,
  OverdueListModel,
  WorkloadModel,
} from './models.js';
import {
  auditEntryModel,
  historyEntryModel,
  oppdragModel,
  organisationModel,
  viewModel,
} from './presenters.js';
import { ORGANISATIONS } from '#domain';
import { cursorOf, MAX_PAGE_SIZE } from '#projections';

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,79}$/;

function oppdragIdArg(id: string): string {
  if (!ID_PATTERN.test(id))
    throw new ApiError(
      'BAD_USER_INPUT',
      'id: must be lower-case letters, digits and dashes (at most 80)',
      'id',
    );
  return id;
}

/** Queries and mutations over oppdrag. Resolvers only hand commands and queries to the buses. */
@Resolver(() => OppdragModel)
export class OppdragResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(OppdragRuntime) private readonly runtime: OppdragRuntime,
  ) {}

  /** The last day asked for, by the second it was asked in: the date in Oslo is the same all second. */
  private lastToday: { readonly second: number; readonly day: CalendarDate } | null = null;

  private today(): CalendarDate {
    const now = this.runtime.clock.now();
    const second = Math.floor(Date.parse(now) / 1000);
    if (this.lastToday !== null && this.lastToday.second === second) return this.lastToday.day;
    const day = osloDate(now);
    this.lastToday = { second, day };
    return day;
  }

  @Query(() => MeModel, { description: 'Who the token says you are.' })
  me(@CurrentUser() user: Actor): MeModel {
    return {
      userId: user.userId,
      name: user.name,
      role: user.role as MeModel['role'],
      organisation: organisationModel(user.organisationId),
    };
  }

  @Query(() => [OrganisationModel], { description: 'The organisation registry.' })
  organisations(@CurrentUser() _user: Actor): OrganisationModel[] {
    return ORGANISATIONS.map((o) => organisationModel(o.id));
  }

  @Query(() => OppdragModel, { nullable: true, description: 'One oppdrag by id, from the read model.' })
  async oppdrag(
    @CurrentUser() _user: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('on', {
      type: () => String,
      nullable: true,
      description: 'Judge overdue on this day (default today).',
    })
    on?: string | null,
  ): Promise<OppdragModel | null> {
    const view = await this.queries.execute(new GetOppdragQuery(oppdragIdArg(id)));
    return view ? viewModel(view, dayArg('on', on, this.today())) : null;
  }

  @Query(() => OppdragConnectionModel, {
    // Nullable: a refused filter nulls this field alone, not the other fields of the same answer.
    nullable: true,
    description:
      'Oppdrag matching a filter, soonest effective deadline first. Null (with an error) when the filter is refused.',
  })
  async oppdragList(
    @CurrentUser() _user: Actor,
    @Args('filter', { type: () => OppdragFilterInput, nullable: true }, inputValidation(OppdragFilterInput))
    filter: OppdragFilterInput | null,
    @Args('first', { type: () => Int, defaultValue: 25, description: `Page size, at most ${MAX_PAGE_SIZE}.` })
    first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<OppdragConnectionModel> {
    const today = this.today();
    let page;
    try {
      page = await this.queries.execute(
        new ListOppdragQuery(toFilter(filter), today, pageSize('first', first), after ?? null),
      );
    } catch (error) {
      if (error instanceof RangeError) throw new ApiError('BAD_USER_INPUT', error.message, 'after');
      throw error;
    }
    const day = (filter?.overdueOn as CalendarDate | undefined) ?? today;
    const nodes = page.items.map((v) => viewModel(v, day));
    return {
      edges: page.items.map((view, i) => ({ node: nodes[i] as OppdragModel, cursor: cursorOf(view) })),
      nodes,
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      totalCount: page.totalCount,
    };
  }

  @Query(() => [LeadGroupModel], {
    nullable: true,
    description:
      'Who leads what: per RHF (and no lead), soonest deadline first. Null (with an error) when the filter is refused.',
  })
  async whoLeadsWhat(
    @CurrentUser() _user: Actor,
    @Args('filter', { type: () => OppdragFilterInput, nullable: true }, inputValidation(OppdragFilterInput))
    filter: OppdragFilterInput | null,
    @Args('limitPerLead', { type: () => Int, defaultValue: 25 }) limitPerLead: number,
  ): Promise<LeadGroupModel[]> {
    const today = this.today();
    const groups = await this.queries.execute(
      new WhoLeadsWhatQuery(toFilter(filter), today, pageSize('limitPerLead', limitPerLead)),
    );
    return groups.map((g) => ({
      lead: g.lead ? organisationModel(g.lead) : null,
      totalCount: g.totalCount,
      oppdrag: g.items.map((v) => viewModel(v, today)),
    }));
  }

  @Query(() => OverdueListModel, {
    description: 'What is overdue on a day (default today), most overdue first.',
  })
  async overdue(
    @CurrentUser() _user: Actor,
    @Args('on', { type: () => String, nullable: true }) on: string | null,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
  ): Promise<OverdueListModel> {
    const day = dayArg('on', on, this.today());
    const result = await this.queries.execute(new OverdueQuery(day, pageSize('first', first)));
    return { on: day, totalCount: result.totalCount, oppdrag: result.items.map((v) => viewModel(v, day)) };
  }

  @Query(() => [WorkloadModel], {
    description: 'Per RHF: leads, collaborates on, open, overdue, reported late.',
  })
  async workload(
    @CurrentUser() _user: Actor,
    @Args('on', { type: () => String, nullable: true }) on: string | null,
    @Args('year', { type: () => Int, nullable: true }) year: number | null,
  ): Promise<WorkloadModel[]> {
    const rows = await this.queries.execute(new WorkloadQuery(dayArg('on', on, this.today()), year ?? null));
    return rows.map(({ organisationId, ...counts }) => ({
      organisation: organisationModel(organisationId),
      ...counts,
    }));
  }

  @Query(() => HistoryModel, {
    description: 'Every event of one oppdrag with who, when, why and all metadata, read from its stream.',
  })
  async history(
    @CurrentUser() _user: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('fromRevision', { type: () => Int, defaultValue: 0 }) fromRevision: number,
    @Args('first', { type: () => Int, defaultValue: 100 }) first: number,
  ): Promise<HistoryModel> {
    const oppdragId = oppdragIdArg(id);
    if (!Number.isInteger(fromRevision) || fromRevision < 0)
      throw new ApiError('BAD_USER_INPUT', 'fromRevision: must be 0 or more', 'fromRevision');
    const size = pageSize('first', first);
    const result = await this.queries.execute(new HistoryQuery(oppdragId, fromRevision, size));
    if (result.totalCount === 0) throw new ApiError('NOT_FOUND', `oppdrag ${oppdragId} does not exist`);
    const last = result.entries[result.entries.length - 1];
    return {
      oppdragId,
      totalCount: result.totalCount,
      entries: result.entries.map(historyEntryModel),
      hasMore: last ? last.revision < result.totalCount - 1 : false,
    };
  }

  @Query(() => OppdragAsOfModel, {
    description: 'An oppdrag as it stood at an instant, replayed from its stream.',
  })
  async oppdragAsOf(
    @CurrentUser() _user: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('instant', { description: 'An ISO instant, e.g. 2024-06-01T12:00:00Z.' }) instant: string,
  ): Promise<OppdragAsOfModel> {
    const asOf = instantArg('instant', instant);
    const result = await this.queries.execute(new OppdragAsOfQuery(oppdragIdArg(id), asOf));
    const day = osloDate(asOf);
    return {
      asOf,
      existed: result.oppdrag !== null,
      revision: result.revision,
      oppdrag:
        result.oppdrag && result.lastEvent
          ? oppdragModel(result.oppdrag, day, {
              revision: result.lastEvent.revision,
              lastChange: {
                type: result.lastEvent.event.type,
                at: result.lastEvent.recordedAt,
                actorName: result.lastEvent.metadata.actor?.name ?? 'ukjent',
                actorOrganisation: result.lastEvent.metadata.actor?.organisationId ?? 'ukjent',
              },
            })
          : null,
    };
  }

  @Query(() => AuditTrailModel, {
    description: 'The audit trail across oppdrag, oldest first. Auditors and coordinators.',
  })
  async auditTrail(
    @CurrentUser() user: Actor,
    @Args('filter', { type: () => AuditFilterInput, nullable: true }, inputValidation(AuditFilterInput))
    filter: AuditFilterInput | null,
    @Args('first', { type: () => Int, defaultValue: 100 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AuditTrailModel> {
    const size = pageSize('first', first);
    // The trail stores UTC instants as text: compare instants, so that an offset such as +02:00 means
    // the same moment and not a different string.
    const range = {
      from: instantArg('from', filter?.from),
      to: instantArg('to', filter?.to),
    };
    const entries = await this.queries.execute(
      new AuditTrailQuery(
        {
          ...filter,
          ...range,
          organisationId: filter?.organisationId ? organisationRef(filter.organisationId).id : null,
        },
        positionCursorArg('after', after),
        size + 1,
        user,
      ),
    );
    const page = entries.slice(0, size);
    return {
      entries: page.map(auditEntryModel),
      endCursor: page[page.length - 1]?.position ?? null,
      hasNextPage: entries.length > size,
    };
  }

  // Mutations: one per command of the domain. Every one names its actor; the decider applies the role rules.

  @Mutation(() => MutationResultModel, { description: 'Coordinator: assign a new oppdrag.' })
  assignOppdrag(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: AssignOppdragInput,
  ) {
    return this.run(user, correlationId, input, {
      type: 'AssignOppdrag',
      data: {
        oppdragId: input.oppdragId,
        year: input.year,
        title: input.title,
        description: input.description ?? '',
        hovedmal: input.hovedmalTitle
          ? { number: input.hovedmalNumber ?? null, title: input.hovedmalTitle }
          : null,
        sources: (input.sources ?? []).map((s) => ({
          letter: s.letter,
          recipient: s.recipient ?? null,
          letterKind: (s.letterKind ?? 'other') as 'hoveddokument' | 'tilleggsdokument' | 'other',
          section: s.sectionTitle ? { number: s.sectionNumber ?? null, title: s.sectionTitle } : null,
          heading: s.heading ?? null,
          lineStart: s.lineStart ?? null,
          lineEnd: s.lineEnd ?? null,
        })),
        lead: input.lead ?? null,
        collaborators: (input.collaborators ?? []).map(organisationRef),
        deadline: (input.deadline ?? null) as CalendarDate | null,
        milestones: (input.milestones ?? []).map((m) => ({
          id: m.id,
          kind: m.kind,
          title: m.title,
          dueDate: m.dueDate as CalendarDate,
        })),
        ...(input.addressees ? { addressees: input.addressees } : {}),
        assignedOn: (input.assignedOn ?? null) as CalendarDate | null,
        confirmPastDeadline: input.confirmPastDeadline ?? false,
        registerNewOrganisation: input.registerNewOrganisation ?? false,
      },
    });
  }

  @Mutation(() => MutationResultModel, { description: "RHF: mark your own RHF's part started." })
  startOppdrag(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: StartOppdragInput,
  ) {
    return this.run(user, correlationId, input, {
      type: 'StartOppdrag',
      data: {
        oppdragId: input.oppdragId,
        part: input.part ?? null,
        startedOn: input.startedOn as CalendarDate,
      },
    });
  }

  @Mutation(() => MutationResultModel, {
    description: "RHF: record a milestone your own RHF's part delivered.",
  })
  recordMilestone(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: RecordMilestoneInput,
  ) {
    return this.run(user, correlationId, input, {
      type: 'RecordMilestone',
      data: {
        oppdragId: input.oppdragId,
        part: input.part ?? null,
        milestoneId: input.milestoneId,
        reportedOn: input.reportedOn as CalendarDate,
        documentRef: input.documentRef,
        note: input.note ?? null,
      },
    });
  }

  @Mutation(() => MutationResultModel, {
    description: "RHF: report your own RHF's part (starts it too if needed).",
  })
  reportOppdrag(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: ReportOppdragInput,
  ) {
    return this.run(user, correlationId, input, {
      type: 'ReportOppdrag',
      data: {
        oppdragId: input.oppdragId,
        part: input.part ?? null,
        reportedOn: input.reportedOn as CalendarDate,
        documentRef: input.documentRef,
        summary: input.summary ?? null,
      },
    });
  }

  @Mutation(() => MutationResultModel, {
    description:
      "Coordinator: reopen a closed oppdrag, or a part's report (the lead's unless another part is named), with a reason.",
  })
  reopenOppdrag(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: ReopenOppdragInput,
  ) {
    return this.run(user, correlationId, input, {
      type: 'ReopenOppdrag',
      data: { oppdragId: input.oppdragId, reason: input.reason, part: input.part ?? null },
    });
  }

  @Mutation(() => MutationResultModel, {
    description: 'Coordinator: close an oppdrag (completed, withdrawn, superseded, continued).',
  })
  closeOppdrag(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: CloseOppdragInput,
  ) {
    return this.run(user, correlationId, input, {
      type: 'CloseOppdrag',
      data: {
        oppdragId: input.oppdragId,
        outcome: input.outcome,
        reason: input.reason ?? null,
        supersededBy: input.supersededBy ?? null,
      },
    });
  }

  @Mutation(() => MutationResultModel, { description: 'Coordinator: change the deadline, with a reason.' })
  changeDeadline(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: ChangeDeadlineInput,
  ) {
    return this.run(user, correlationId, input, {
      type: 'ChangeDeadline',
      data: {
        oppdragId: input.oppdragId,
        deadline: (input.deadline ?? null) as CalendarDate | null,
        reason: input.reason,
        confirmPastDeadline: input.confirmPastDeadline ?? false,
      },
    });
  }

  @Mutation(() => MutationResultModel, { description: 'Coordinator: reassign the lead RHF, with a reason.' })
  reassignLead(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: ReassignLeadInput,
  ) {
    return this.run(user, correlationId, input, {
      type: 'ReassignLead',
      data: { oppdragId: input.oppdragId, lead: input.lead ?? null, reason: input.reason },
    });
  }

  @Mutation(() => MutationResultModel, { description: 'Coordinator: add a collaborator, with a reason.' })
  addCollaborator(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: AddCollaboratorInput,
  ) {
    return this.run(user, correlationId, input, {
      type: 'AddCollaborator',
      data: {
        oppdragId: input.oppdragId,
        collaborator: organisationRef(input.collaborator),
        reason: input.reason,
        registerNewOrganisation: input.registerNewOrganisation ?? false,
      },
    });
  }

  @Mutation(() => MutationResultModel, { description: 'Coordinator: remove a collaborator, with a reason.' })
  removeCollaborator(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: RemoveCollaboratorInput,
  ) {
    return this.run(user, correlationId, input, {
      type: 'RemoveCollaborator',
      data: { oppdragId: input.oppdragId, collaboratorId: input.collaboratorId, reason: input.reason },
    });
  }

  @Mutation(() => MutationResultModel, {
    description:
      'Coordinator: address the oppdrag to one more RHF (it gets a part of its own), with a reason.',
  })
  addAddressee(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: AddresseeInput,
  ) {
    return this.run(user, correlationId, input, {
      type: 'AddAddressee',
      data: { oppdragId: input.oppdragId, addressee: input.addressee, reason: input.reason },
    });
  }

  @Mutation(() => MutationResultModel, {
    description: 'Coordinator: no longer address the oppdrag to an RHF (not the lead), with a reason.',
  })
  removeAddressee(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: AddresseeInput,
  ) {
    return this.run(user, correlationId, input, {
      type: 'RemoveAddressee',
      data: { oppdragId: input.oppdragId, addressee: input.addressee, reason: input.reason },
    });
  }

  @Mutation(() => MutationResultModel, {
    description: 'Coordinator: correct the title, description or hovedmål, with a reason.',
  })
  correctDetails(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: CorrectDetailsInput,
  ) {
    if (input.clearHovedmal && input.hovedmalTitle) {
      throw new ApiError(
        'BAD_USER_INPUT',
        'clearHovedmal: give either clearHovedmal or hovedmalTitle',
        'clearHovedmal',
      );
    }
    const hovedmal = input.clearHovedmal
      ? null
      : input.hovedmalTitle
        ? { number: input.hovedmalNumber ?? null, title: input.hovedmalTitle }
        : undefined;
    return this.run(user, correlationId, input, {
      type: 'CorrectDetails',
      data: {
        oppdragId: input.oppdragId,
        title: input.title ?? null,
        description: input.description ?? null,
        ...(hovedmal !== undefined ? { hovedmal } : {}),
        reason: input.reason,
      },
    });
  }

  @Mutation(() => MutationResultModel, { description: 'Coordinator: add a milestone, with a reason.' })
  addMilestone(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: AddMilestoneInput,
  ) {
    const m = input.milestone;
    return this.run(user, correlationId, input, {
      type: 'AddMilestone',
      data: {
        oppdragId: input.oppdragId,
        milestone: { id: m.id, kind: m.kind, title: m.title, dueDate: m.dueDate as CalendarDate },
        reason: input.reason,
        confirmPastDeadline: input.confirmPastDeadline ?? false,
      },
    });
  }

  @Mutation(() => MutationResultModel, {
    description: "Coordinator: change a milestone's kind, title or due date, with a reason.",
  })
  changeMilestone(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: ChangeMilestoneInput,
  ) {
    return this.run(user, correlationId, input, {
      type: 'ChangeMilestone',
      data: {
        oppdragId: input.oppdragId,
        milestoneId: input.milestoneId,
        kind: input.kind ?? null,
        title: input.title ?? null,
        dueDate: (input.dueDate ?? null) as CalendarDate | null,
        reason: input.reason,
        confirmPastDeadline: input.confirmPastDeadline ?? false,
      },
    });
  }

  @Mutation(() => MutationResultModel, { description: 'Coordinator: remove a milestone, with a reason.' })
  removeMilestone(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: RemoveMilestoneInput,
  ) {
    return this.run(user, correlationId, input, {
      type: 'RemoveMilestone',
      data: { oppdragId: input.oppdragId, milestoneId: input.milestoneId, reason: input.reason },
    });
  }

  private async run(
    user: Actor,
    correlationId: string | undefined,
    input: { expectedRevision?: number | null; commandId?: string | null },
    command: OppdragCommand,
  ): Promise<MutationResultModel> {
    const commandId = input.commandId ?? randomUUID();
    const result: ExecutedCommand = await this.commands.execute(
      new ExecuteOppdragCommand(
        command,
        { commandId, actor: user, correlationId: correlationId ?? commandId },
        input.expectedRevision === null || input.expectedRevision === undefined
          ? {}
          : { expectedRevision: input.expectedRevision },
      ),
    );
    if (!result.view)
      throw new ApiError('INTERNAL_SERVER_ERROR', 'the read model did not include the command');
    return {
      oppdrag: viewModel(result.view, this.today()),
      revision: result.revision,
      events: result.events.map((e) => e.type),
      duplicate: result.duplicate,
    };
  }
}

function toFilter(input: OppdragFilterInput | null) {
  return {
    year: input?.year ?? null,
    // Names and aliases mean the organisation's id ("Helse Vest" → helse-vest, "FHI" → folkehelseinstituttet).
    lead: input?.lead ? (resolveOrganisation(input.lead)?.id ?? input.lead) : null,
    withoutLead: input?.withoutLead ?? null,
    collaborator: input?.collaborator ? organisationRef(input.collaborator).id : null,
    status: (input?.status ?? null) as Array<'assigned' | 'started' | 'reported' | 'closed'> | null,
    hovedmal: input?.hovedmal ?? null,
    overdueOn: (input?.overdueOn ?? null) as CalendarDate | null,
    dueWithinDays: input?.dueWithinDays ?? null,
    text: input?.text ?? null,
  };
}
