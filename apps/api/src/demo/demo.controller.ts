import { Controller, Get, Inject } from '@nestjs/common';
import type { Actor } from '#domain';

/** Development mode only: the demo users and their tokens, for the dashboard's sign-in list. */
@Controller('demo')
export class DemoController {
  constructor(
    @Inject('DEMO_TOKENS') private readonly tokens: ReadonlyArray<{ actor: Actor; token: string }>,
  ) {}

  @Get('users')
  users() {
    return this.tokens.map(({ actor, token }) => ({ ...actor, token }));
  }
}
