import { Inject, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { osloDate, organisationRef, resolveOrganisation, type Actor, type CalendarDate } from '#domain';
import { CurrentUser } from '../auth/current-user.js';
import { SignedInGuard } from '../auth/signed-in.guard.js';
import { Today } from '../infrastructure/today.js';
import { dayArg, pageSize } from './args.js';
import { instantArg, positionCursorArg } from './strict-args.js';
import { ApiError, inputValidation } from './errors.js';
import { AuditFilterInput, OppdragFilterInput } from './inputs.js';
import {
  AuditTrailQuery,
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

/** The queries over oppdrag: each checks its arguments and hands its query to the query bus. */
@Resolver(() => OppdragModel)
@UseGuards(SignedInGuard)
export class OppdragResolver {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(Today) private readonly day: Today,
  ) {}

  private today(): CalendarDate {
    return this.day.date();
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
