import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { EventStore } from '#event-store';
import { OppdragProjector } from '#projections';
import { EVENT_STORE } from '../infrastructure/runtime.js';

/** The only endpoints that answer without a token. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(OppdragProjector) private readonly projector: OppdragProjector,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /**
   * Fails (503) only when the instance cannot recover by itself: its read models have failed for longer
   * than the retry policy allows, or the event store says it cannot store appends any more. An
   * orchestrator then restarts it.
   */
  @Get('live')
  live(@Res({ passthrough: true }) reply: FastifyReply) {
    const { state, reason, failingSince } = this.projector.status();
    const store = this.store.health?.();
    if (state !== 'failed' && store?.writes !== 'failed') return { status: 'ok' };
    void reply.status(503);
    if (state !== 'failed') {
      return {
        status: 'failed',
        reason: `the event store cannot store appends: ${store?.reason ?? 'unknown'}`,
        failingSince: store?.since,
      };
    }
    return {
      status: 'failed',
      reason: `the read models cannot recover: ${reason ?? 'unknown'}`,
      failingSince,
    };
  }

  /**
   * Ready when this instance's read models have caught up with the store. Otherwise `status` says whether
   * they are catching up, retrying after a failure, interrupted (the store is resubscribing) or have
   * failed, and `reason` what is wrong. When appends fail (another process holds the store's write lock,
   * the disk is full), `store` says so; the instance stays ready, because it still answers queries.
   */
  @Get('ready')
  ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const projector = this.projector;
    const { state, reason, failures, failingSince } = projector.status();
    // While the store resubscribes the read models still answer, but fall behind: not ready.
    const ready = projector.isCaughtUp() && state !== 'interrupted';
    void reply.status(ready ? 200 : 503);
    const problems = projector.problemLog();
    const store = this.store.health?.();
    return {
      status: ready ? 'ready' : state === 'live' || state === 'stopped' ? 'catching-up' : state,
      ...(ready ? {} : { reason: reason ?? 'the read models are catching up with the event store' }),
      ...(failures > 0 ? { failures, failingSince } : {}),
      oppdrag: projector.summaries.size,
      position: projector.position()?.commit.toString() ?? null,
      problems: projector.problemTotal(),
      ...(problems.length > 0 ? { lastProblem: problems[problems.length - 1] } : {}),
      ...(store && store.writes !== 'ok' ? { store } : {}),
    };
  }
}
