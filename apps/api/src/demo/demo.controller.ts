import { Controller, Get, Inject } from '@nestjs/common';
import type { Actor } from '#domain';

/** Development mode only: tokens for the demo users, minted when asked so that they are always valid. */
export interface DemoTokens {
  readonly enabled: boolean;
  mint(): Promise<ReadonlyArray<{ actor: Actor; token: string }>>;
}

/** Development mode only: the demo users and fresh tokens, for the dashboard's sign-in list. */
@Controller('demo')
export class DemoController {
  constructor(@Inject('DEMO_TOKENS') private readonly tokens: DemoTokens) {}

  @Get('users')
  async users() {
    return (await this.tokens.mint()).map(({ actor, token }) => ({ ...actor, token }));
  }
}
