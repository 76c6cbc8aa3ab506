import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { OppdragRuntime } from '../infrastructure/runtime.js';

/** The only endpoints that answer without a token. */
@Controller('health')
export class HealthController {
  constructor(@Inject(OppdragRuntime) private readonly runtime: OppdragRuntime) {}

  /** Live unless the read models cannot go on (their subscription stopped for good): restart then. */
  @Get('live')
  @HttpCode(200)
  live(@Res({ passthrough: true }) reply: FastifyReply) {
    const { state, reason } = this.runtime.projector.status();
    if (state !== 'failed') return { status: 'ok' };
    void reply.status(503);
    return { status: 'failed', reason };
  }

  /** Ready when this instance's read models have caught up with the store; says why when not. */
  @Get('ready')
  ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const { state, reason } = this.runtime.projector.status();
    const ready = state === 'ready';
    void reply.status(ready ? 200 : 503);
    return {
      status: state,
      ...(reason === null ? {} : { reason }),
      oppdrag: this.runtime.projector.summaries.size,
      position: this.runtime.projector.position()?.commit.toString() ?? null,
      problems: this.runtime.projector.problemLog().length,
    };
  }
}
