import { Controller, Get, Header, Inject, Param, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CalendarFeeds } from '#application';
import { OppdragProjector } from '#projections';
import { ApiError } from '../errors/api-error.js';
import { RefusalFilter } from '../http/refusal.filter.js';
import { Today } from '../infrastructure/today.js';
import { feedCalendar } from './feed-calendar.js';

/** A Host header as a link may carry it; anything else is not echoed into the calendar. */
const HOST = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/;

const NO_FEED = 'no calendar feed at this address: it may have been revoked';

/**
 * A calendar feed, read by calendar clients that cannot send a bearer token: the secret in the address
 * opens this one feed, read-only, and nothing else (GraphQL and the exports want a bearer token). The
 * address is never logged (see `redact.ts`).
 */
@Controller('kalender')
@UseFilters(RefusalFilter)
export class CalendarController {
  constructor(
    @Inject(OppdragProjector) private readonly projector: OppdragProjector,
    @Inject(Today) private readonly today: Today,
    @Inject(CalendarFeeds) private readonly feeds: CalendarFeeds,
  ) {}

  @Get(':file')
  @Header('cache-control', 'private, no-store')
  @Header('referrer-policy', 'no-referrer')
  async feed(
    @Param('file') file: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const token = file.endsWith('.ics') ? file.slice(0, -4) : file;
    const feed = await this.feeds.verify(token);
    if (!feed) throw new ApiError('NOT_FOUND', NO_FEED);
    if (!this.projector.isCaughtUp())
      throw new ApiError('SERVICE_UNAVAILABLE', 'the read models are catching up; try again');
    void reply.header('content-type', 'text/calendar; charset=utf-8');
    return feedCalendar(feed, this.projector, {
      baseUrl: `${request.protocol}://${HOST.test(request.host) ? request.host : 'localhost'}`,
      now: this.today.now(),
    });
  }
}
