import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { OppdragRuntime } from '../infrastructure/runtime.js';

/** The only endpoints that answer without a token. */
@Controller('health')
export class HealthController {
  constructor(@Inject(OppdragRuntime) private readonly runtime: OppdragRuntime) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  /** Ready when this instance's read models have caught up with the store. */
  @Get('ready')
  ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const ready = this.runtime.projector.isCaughtUp();
    void reply.status(ready ? 200 : 503);
    return {
      status: ready ? 'ready' : 'catching-up',
      oppdrag: this.runtime.projector.summaries.size,
      position: this.runtime.projector.position()?.commit.toString() ?? null,
      problems: this.runtime.projector.problemLog().length,
    };
  }
}
