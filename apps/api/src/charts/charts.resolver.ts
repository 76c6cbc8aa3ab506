import { Inject, UseGuards } from '@nestjs/common';
import { QueryBus, QueryHandler, Query as CqrsQuery, type IQueryHandler } from '@nestjs/cqrs';
import { Args, Field, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { type Actor, type CalendarDate } from '#domain';
import type { EventStore } from '#event-store';
import { ChartQueries, OppdragProjector, type StatusCharts } from '#projections';
import { SignedInGuard } from '../auth/signed-in.guard.js';
import { CurrentUser } from '../auth/current-user.js';
import { EVENT_STORE } from '../infrastructure/runtime.js';
import { Today } from '../infrastructure/today.js';
import { OrganisationModel } from '../graphql/models.js';
import { rhfNamed, yearArg } from '../graphql/args.js';
import { organisationModel } from '../graphql/presenters.js';

@ObjectType('PartsByState', { description: "One RHF's parts: each counted in exactly one of the three." })
export class PartsByStateModel {
  @Field(() => OrganisationModel) organisation!: OrganisationModel;
  @Field(() => Int, { description: 'Not reported, oppdrag not closed, and not overdue on the day.' })
  open!: number;
  @Field(() => Int, { description: 'Reported.' }) reported!: number;
  @Field(() => Int, { description: 'Overdue on the day (not reported, and what the part owes is due).' })
  overdue!: number;
}

@ObjectType('MonthOverdue')
export class MonthOverdueModel {
  @Field({ description: 'YYYY-MM.' }) month!: string;
  @Field({ description: 'The day asked about: the last day of the month, or today in the current month.' })
  on!: string;
  @Field({ description: 'False for the current month: counted as of today.' }) complete!: boolean;
  @Field(() => Int) count!: number;
}

@ObjectType('StatusCharts', { description: 'The numbers behind the dashboard charts.' })
export class StatusChartsModel {
  @Field(() => Int) year!: number;
  @Field({ description: 'The day the parts are counted on (today).' }) on!: string;
  @Field(() => OrganisationModel, {
    nullable: true,
    description: 'The RHF the numbers are for; null for all four.',
  })
  rhf!: OrganisationModel | null;
  @Field(() => [PartsByStateModel], { description: "Per RHF: the year's parts open, reported and overdue." })
  parts!: PartsByStateModel[];
  @Field(() => [MonthOverdueModel], {
    description:
      'How many oppdrag (with rhf: how many of its parts) were overdue at the end of each month of the year, from the history: each oppdrag as its events stood then, by the overdue rule on the last day of the month.',
  })
  overdueByMonth!: MonthOverdueModel[];
}

export class ChartsQuery extends CqrsQuery<StatusCharts> {
  constructor(
    readonly year: number,
    readonly on: CalendarDate,
    readonly rhf: string | null,
  ) {
    super();
  }
}

@QueryHandler(ChartsQuery)
export class ChartsHandler implements IQueryHandler<ChartsQuery> {
  constructor(@Inject(ChartQueries) private readonly charts: ChartQueries) {}
  async execute(q: ChartsQuery): Promise<StatusCharts> {
    return {
      year: q.year,
      on: q.on,
      rhf: q.rhf,
      parts: this.charts.partsByState(q.on, q.year, q.rhf),
      overdueByMonth: await this.charts.overdueByMonth(q.year, q.on, q.rhf),
    };
  }
}

@Resolver(() => StatusChartsModel)
@UseGuards(SignedInGuard)
export class ChartsResolver {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(Today) private readonly day: Today,
  ) {}

  @Query(() => StatusChartsModel, {
    description:
      "Charts of one year (default this year): per RHF its parts open, reported and overdue today, and the oppdrag overdue at each month's end. With rhf: that RHF's own.",
  })
  async charts(
    @CurrentUser() _user: Actor,
    @Args('year', { type: () => Int, nullable: true }) year: number | null,
    @Args('rhf', { type: () => ID, nullable: true, description: 'An RHF by id or name.' })
    rhf: string | null,
  ): Promise<StatusChartsModel> {
    const today = this.day.date();
    const wanted = year === null || year === undefined ? Number(today.slice(0, 4)) : yearArg(year);
    const organisation = rhf === null || rhf === undefined ? null : rhfNamed(rhf);
    const result = await this.queries.execute(new ChartsQuery(wanted, today, organisation));
    return {
      year: result.year,
      on: result.on,
      rhf: result.rhf === null ? null : organisationModel(result.rhf),
      parts: result.parts.map(({ organisationId, ...counts }) => ({
        organisation: organisationModel(organisationId),
        ...counts,
      })),
      overdueByMonth: result.overdueByMonth.map((m) => ({ ...m })),
    };
  }
}

/** The providers of the charts: the query over the read models and the store, its handler and resolver. */
export const CHARTS_PROVIDERS = [
  {
    provide: ChartQueries,
    useFactory: (projector: OppdragProjector, store: EventStore) => new ChartQueries(projector, store),
    inject: [OppdragProjector, EVENT_STORE],
  },
  ChartsHandler,
  ChartsResolver,
];
