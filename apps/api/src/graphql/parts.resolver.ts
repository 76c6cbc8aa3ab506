import { Inject, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  allowedActions,
  isRhfId,
  RHF_IDS,
  type Actor,
  type CalendarDate,
  type ExistingOppdrag,
} from '#domain';
import { MAX_PAGE_SIZE, type OverdueMilestone } from '#projections';

type OverdueMilestones = { readonly items: OverdueMilestone[]; readonly totalCount: number };
import { SignedInGuard } from '../auth/signed-in.guard.js';
import { CurrentUser } from '../auth/current-user.js';
import { Today } from '../infrastructure/today.js';
import { dayArg, pageSize, rhfNamed, yearArg } from './args.js';
import { ApiError } from './errors.js';
import { MyPartsQuery, OverdueMilestonesQuery, StillOwesQuery } from './messages.js';
import {
  InvolvementGql,
  MyPartsModel,
  OppdragModel,
  OverdueListModel,
  OverdueMilestoneModel,
  StillOwesModel,
  type MilestoneModel,
} from './models.js';
import {
  daysBetween,
  milestoneModel,
  organisationModel,
  partModel,
  presentedOppdrag,
  viewModel,
} from './presenters.js';

/**
 * The RHF a question is about: the one named (an id, a name or an alias such as "Helse Nord"), or the
 * asking RHF user's own. Coordinators and auditors read every RHF's parts and must name one.
 */
function rhfArg(user: Actor, value: string | null | undefined): string {
  if (value === null || value === undefined) {
    if (user.role === 'rhf' && isRhfId(user.organisationId)) return user.organisationId;
    throw new ApiError(
      'BAD_USER_INPUT',
      `rhf: name the RHF (one of ${RHF_IDS.join(', ')}); only an RHF user's own RHF is the default`,
      'rhf',
    );
  }
  return rhfNamed(value);
}

const milestoneOf = (oppdrag: ExistingOppdrag, id: string, day: CalendarDate): MilestoneModel | null => {
  const m = oppdrag.milestones.find((x) => x.id === id);
  return m ? milestoneModel(oppdrag, m, day) : null;
};

/** Each RHF's parts: what it leads, what is addressed to it, what it collaborates on, and what it owes. */
@Resolver()
@UseGuards(SignedInGuard)
export class PartsResolver {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(Today) private readonly day: Today,
  ) {}

  private today(): CalendarDate {
    return this.day.date();
  }

  @Query(() => MyPartsModel, {
    description:
      "An RHF's parts (default: your own RHF's): the oppdrag it leads, those addressed to it, and those it collaborates on, soonest due first, with what each part owes and its overdue milestones.",
  })
  async myParts(
    @CurrentUser() user: Actor,
    @Args('rhf', { type: () => String, nullable: true, description: 'An RHF id or name.' })
    rhf: string | null,
    @Args('year', { type: () => Int, nullable: true }) year: number | null,
    @Args('includeClosed', { type: () => Boolean, defaultValue: false }) includeClosed: boolean,
    @Args('on', { type: () => String, nullable: true, description: 'Judge overdue on this day.' })
    on: string | null,
    @Args('first', { type: () => Int, defaultValue: 50, description: `At most ${MAX_PAGE_SIZE}.` })
    first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<MyPartsModel> {
    const id = rhfArg(user, rhf);
    const day = dayArg('on', on, this.today());
    let page;
    try {
      page = await this.queries.execute(
        new MyPartsQuery(id, day, {
          year: year ?? null,
          includeClosed,
          first: pageSize('first', first),
          after: after ?? null,
        }),
      );
    } catch (error) {
      if (error instanceof RangeError) throw new ApiError('BAD_USER_INPUT', error.message, 'after');
      throw error;
    }
    return {
      organisation: organisationModel(id),
      totalCount: page.totalCount,
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      items: page.items.map((item) => {
        const oppdrag = item.view.oppdrag;
        const part = oppdrag.parts.find((p) => p.rhf === id);
        return {
          oppdrag: viewModel(item.view, day),
          involvement: item.involvement as InvolvementGql,
          part: part ? partModel(oppdrag, part, day) : null,
          dueDate: item.dueDate,
          overdue: item.overdue,
          overdueMilestones: item.overdueMilestones
            .map((m) => milestoneOf(oppdrag, m, day))
            .filter((m): m is MilestoneModel => m !== null),
        };
      }),
    };
  }

  @Query(() => StillOwesModel, {
    description:
      "What an RHF (default: your own) still owes for one year's letters before its Årlig melding: each unreported part and each milestone its part owes, soonest due first.",
  })
  async stillOwes(
    @CurrentUser() user: Actor,
    @Args('year', { type: () => Int }) year: number,
    @Args('rhf', { type: () => String, nullable: true, description: 'An RHF id or name.' })
    rhf: string | null,
    @Args('on', { type: () => String, nullable: true }) on: string | null,
    @Args('first', { type: () => Int, defaultValue: 100, description: `At most ${MAX_PAGE_SIZE}.` })
    first: number,
  ): Promise<StillOwesModel> {
    yearArg(year);
    const id = rhfArg(user, rhf);
    const day = dayArg('on', on, this.today());
    const result = await this.queries.execute(new StillOwesQuery(id, year, day, pageSize('first', first, 0)));
    return {
      organisation: organisationModel(id),
      year,
      annualReportDate: result.annualReportDate,
      totalCount: result.totalCount,
      items: result.items.map((item) => ({
        oppdrag: viewModel(item.view, day),
        what: item.what === 'report' ? 'REPORT' : 'MILESTONE',
        milestone: item.milestoneId ? milestoneOf(item.view.oppdrag, item.milestoneId, day) : null,
        dueDate: item.dueDate,
        overdue: item.overdue,
      })),
    };
  }
}

/** The overdue milestones of the overdue list, computed only when a query asks for them. */
@Resolver(() => OverdueListModel)
export class OverdueListResolver {
  /** The overdue milestones of one list, by RHF: one scan however many of its fields a query asks for. */
  private readonly found = new WeakMap<object, Map<string | null, Promise<OverdueMilestones>>>();

  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  private scan(list: OverdueListModel, rhf: string | null): Promise<OverdueMilestones> {
    return this.queries.execute(new OverdueMilestonesQuery(list.on as CalendarDate, MAX_PAGE_SIZE, rhf));
  }

  private overdueOf(list: OverdueListModel, rhf: string | null): Promise<OverdueMilestones> {
    let byRhf = this.found.get(list);
    if (!byRhf) this.found.set(list, (byRhf = new Map<string | null, Promise<OverdueMilestones>>()));
    let result = byRhf.get(rhf);
    if (!result) byRhf.set(rhf, (result = this.scan(list, rhf)));
    return result;
  }

  @ResolveField(() => [OverdueMilestoneModel])
  async milestones(
    @Parent() list: OverdueListModel,
    @Args('first', { type: () => Int, defaultValue: 50, description: `At most ${MAX_PAGE_SIZE}.` })
    first: number,
    @Args('rhf', { type: () => String, nullable: true, description: "Only those this RHF's part owes." })
    rhf: string | null,
  ): Promise<OverdueMilestoneModel[]> {
    const day = list.on as CalendarDate;
    const size = pageSize('first', first, 0);
    const result = await this.overdueOf(list, rhf == null ? null : rhfNamed(rhf));
    return result.items.slice(0, size).map((item) => ({
      oppdrag: viewModel(item.view, day),
      milestone: milestoneOf(item.view.oppdrag, item.milestoneId, day) as MilestoneModel,
      daysOverdue: daysBetween(item.dueDate, day),
    }));
  }

  @ResolveField(() => Int)
  async milestonesTotalCount(@Parent() list: OverdueListModel): Promise<number> {
    return (await this.overdueOf(list, null)).totalCount;
  }
}

/** What the asking user may do on an oppdrag, from the domain's one table of rules. */
@Resolver(() => OppdragModel)
export class OppdragActionsResolver {
  @ResolveField(() => [String], {
    description:
      'The actions you may take on it now (start, recordMilestone, report, reopen, close, changeDeadline, …), as the domain decides them.',
  })
  allowedActions(@Parent() oppdrag: OppdragModel, @CurrentUser() user: Actor): string[] {
    const state = presentedOppdrag(oppdrag);
    return state ? allowedActions(state, user) : [];
  }
}
