import { Inject, UseGuards } from '@nestjs/common';
import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { isRhfId, type Actor } from '#domain';
import { OppdragProjector } from '#projections';
import { CurrentUser } from '../auth/current-user.js';
import { SignedInGuard } from '../auth/signed-in.guard.js';
import { Today } from '../infrastructure/today.js';
import { ApiError } from './errors.js';
import { liveChanges } from './live-changes.js';
import { OppdragChangeModel } from './models.js';
import { viewModel } from './presenters.js';

/** Live updates over graphql-ws, fed by the projector (never by the in-process event bus). */
@Resolver(() => OppdragChangeModel)
@UseGuards(SignedInGuard)
export class SubscriptionsResolver {
  constructor(
    @Inject(OppdragProjector) private readonly projector: OppdragProjector,
    @Inject(Today) private readonly today: Today,
  ) {}

  @Subscription(() => OppdragChangeModel, {
    description: 'Every change to an oppdrag, optionally only those led by one RHF.',
    resolve: (payload: OppdragChangeModel) => payload,
  })
  oppdragChanged(
    @CurrentUser() _user: Actor,
    @Args('lead', { type: () => String, nullable: true }) lead: string | null,
  ) {
    if (lead !== null && lead !== undefined && !isRhfId(lead)) {
      throw new ApiError('BAD_USER_INPUT', 'lead: must be one of the four RHF ids', 'lead');
    }
    return liveChanges(this.projector, (change) => {
      if (lead && change.view.oppdrag.lead !== lead) return undefined;
      return {
        eventType: change.event.event.type,
        recordedAt: change.event.recordedAt,
        oppdrag: viewModel(change.view, this.today.date()),
      };
    });
  }

  @Subscription(() => OppdragChangeModel, {
    description: 'An oppdrag became overdue: the engine recorded DeadlinePassed.',
    resolve: (payload: OppdragChangeModel) => payload,
  })
  oppdragBecameOverdue(@CurrentUser() _user: Actor) {
    return liveChanges(this.projector, (change) =>
      change.event.event.type === 'DeadlinePassed'
        ? {
            eventType: change.event.event.type,
            recordedAt: change.event.recordedAt,
            oppdrag: viewModel(change.view, this.today.date()),
          }
        : undefined,
    );
  }
}
