import { Inject, UseGuards } from '@nestjs/common';
import {
  Command,
  CommandBus,
  CommandHandler,
  Query as CqrsQuery,
  QueryBus,
  QueryHandler,
  type ICommandHandler,
  type IQueryHandler,
} from '@nestjs/cqrs';
import { Args, Field, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { CalendarFeeds, type CalendarFeedInfo, type CreatedCalendarFeed } from '#application';
import type { Actor, FeedScope } from '#domain';
import { CorrelationId, CurrentUser } from '../auth/current-user.js';
import { SignedInGuard } from '../auth/signed-in.guard.js';
import { ApiError } from '../graphql/errors.js';
import { OrganisationModel } from '../graphql/models.js';
import { rhfNamed } from '../graphql/args.js';
import { organisationModel } from '../graphql/presenters.js';

@ObjectType('CalendarFeed', { description: 'A calendar subscription of the signed-in user.' })
export class CalendarFeedModel {
  @Field(() => ID) feedId!: string;
  @Field(() => OrganisationModel, {
    nullable: true,
    description: "The RHF whose parts it shows; null for every RHF's.",
  })
  rhf!: OrganisationModel | null;
  @Field() createdAt!: string;
  @Field(() => String, { nullable: true }) revokedAt!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'The feed address (a path on this server, with its secret), given only when the feed is created. Subscribe to it in a calendar; anyone with it can read this feed until it is revoked.',
  })
  path!: string | null;
}

export class CreateCalendarFeedCommand extends Command<CreatedCalendarFeed> {
  constructor(
    readonly actor: Actor,
    readonly scope: FeedScope | null,
    readonly correlationId: string | undefined,
  ) {
    super();
  }
}

export class RevokeCalendarFeedCommand extends Command<CalendarFeedInfo> {
  constructor(
    readonly actor: Actor,
    readonly feedId: string,
    readonly correlationId: string | undefined,
  ) {
    super();
  }
}

export class CalendarFeedsQuery extends CqrsQuery<CalendarFeedInfo[]> {
  constructor(readonly actor: Actor) {
    super();
  }
}

@CommandHandler(CreateCalendarFeedCommand)
export class CreateCalendarFeedHandler implements ICommandHandler<CreateCalendarFeedCommand> {
  constructor(@Inject(CalendarFeeds) private readonly feeds: CalendarFeeds) {}
  execute(c: CreateCalendarFeedCommand) {
    return this.feeds.create(c.actor, c.scope, c.correlationId);
  }
}

@CommandHandler(RevokeCalendarFeedCommand)
export class RevokeCalendarFeedHandler implements ICommandHandler<RevokeCalendarFeedCommand> {
  constructor(@Inject(CalendarFeeds) private readonly feeds: CalendarFeeds) {}
  execute(c: RevokeCalendarFeedCommand) {
    return this.feeds.revoke(c.actor, c.feedId, c.correlationId);
  }
}

@QueryHandler(CalendarFeedsQuery)
export class CalendarFeedsHandler implements IQueryHandler<CalendarFeedsQuery> {
  constructor(@Inject(CalendarFeeds) private readonly feeds: CalendarFeeds) {}
  execute(q: CalendarFeedsQuery) {
    return this.feeds.list(q.actor);
  }
}

function feedModel(feed: CalendarFeedInfo, token: string | null = null): CalendarFeedModel {
  return {
    feedId: feed.feedId,
    rhf: feed.scope.kind === 'rhf' ? organisationModel(feed.scope.rhf) : null,
    createdAt: feed.createdAt,
    revokedAt: feed.revokedAt,
    path: token === null ? null : `/kalender/${token}.ics`,
  };
}

const FEED_ID = /^[0-9a-f]{16}$/;

@Resolver(() => CalendarFeedModel)
@UseGuards(SignedInGuard)
export class CalendarFeedsResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  @Query(() => [CalendarFeedModel], { description: "The signed-in user's calendar feeds, newest first." })
  async calendarFeeds(@CurrentUser() user: Actor): Promise<CalendarFeedModel[]> {
    return (await this.queries.execute(new CalendarFeedsQuery(user))).map((f) => feedModel(f));
  }

  @Mutation(() => CalendarFeedModel, {
    description:
      "Makes a calendar feed of deadlines and milestones for the signed-in user: an RHF user's own parts, or for a coordinator every RHF's (or the one named). The answer's path is the only time its secret is shown.",
  })
  async createCalendarFeed(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('rhf', { type: () => ID, nullable: true, description: 'Coordinators: one RHF, by id or name.' })
    rhf: string | null,
  ): Promise<CalendarFeedModel> {
    const scope: FeedScope | null =
      rhf === null || rhf === undefined ? null : { kind: 'rhf', rhf: rhfNamed(rhf) };
    const created = await this.commands.execute(new CreateCalendarFeedCommand(user, scope, correlationId));
    return feedModel(created, created.token);
  }

  @Mutation(() => CalendarFeedModel, {
    description: 'Revokes one of your calendar feeds: its address stops working at once.',
  })
  async revokeCalendarFeed(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('feedId', { type: () => ID }) feedId: string,
  ): Promise<CalendarFeedModel> {
    if (!FEED_ID.test(feedId))
      throw new ApiError(
        'BAD_USER_INPUT',
        'feedId: must be the id of one of your feeds (16 hex digits)',
        'feedId',
      );
    return feedModel(await this.commands.execute(new RevokeCalendarFeedCommand(user, feedId, correlationId)));
  }
}

/** The calendar feeds' providers: their handlers and resolver (the feeds themselves are the app module's). */
export const CALENDAR_PROVIDERS = [
  CreateCalendarFeedHandler,
  RevokeCalendarFeedHandler,
  CalendarFeedsHandler,
  CalendarFeedsResolver,
];
