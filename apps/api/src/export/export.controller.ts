import { Controller, Get, Inject, Query as QueryParams, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OppdragProjector, type AnnualReport } from '#projections';
import {
  annualReportCsv,
  annualReportXlsx,
  CSV_CONTENT_TYPE,
  reportFileName,
  XLSX_CONTENT_TYPE,
} from '#reports';
import { bearerActor } from '../auth/http-auth.js';
import { TokenVerifier } from '../auth/tokens.js';
import { dayArg, yearArg } from '../graphql/args.js';
import { ApiError } from '../graphql/errors.js';
import { RefusalFilter } from '../http/refusal.filter.js';
import { Today } from '../infrastructure/today.js';
import { annualReportRhfs } from './annual-report-access.js';
import { AnnualReportQuery } from './annual-report.query.js';
import { DownloadLinks, type ExportFormat } from './download-links.js';

type Params = Readonly<Record<string, unknown>>;

/**
 * The Årlig melding sheet as a file: `GET /export/annual-report.xlsx?year=2024&rhf=helse-nord` (or `.csv`;
 * the four RHFs side by side when `rhf` is left out, for coordinators and auditors) with the bearer token,
 * or `GET /export/annual-report.xlsx?link=…` with a signed link from `createAnnualReportLink`.
 */
@Controller('export')
@UseFilters(RefusalFilter)
export class ExportController {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(OppdragProjector) private readonly projector: OppdragProjector,
    @Inject(Today) private readonly today: Today,
    @Inject(TokenVerifier) private readonly tokens: TokenVerifier,
    @Inject(DownloadLinks) private readonly links: DownloadLinks,
  ) {}

  @Get('annual-report.xlsx')
  xlsx(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @QueryParams() params: Params) {
    return this.download('xlsx', request, reply, params);
  }

  @Get('annual-report.csv')
  csv(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @QueryParams() params: Params) {
    return this.download('csv', request, reply, params);
  }

  private async download(
    format: ExportFormat,
    request: FastifyRequest,
    reply: FastifyReply,
    params: Params,
  ): Promise<void> {
    if (!this.projector.isCaughtUp())
      throw new ApiError(
        'SERVICE_UNAVAILABLE',
        'the read models are catching up with the event store; try again shortly',
      );
    const file =
      params.link !== undefined ? this.grantOf(format, params) : await this.askedFor(request, params);
    const report: AnnualReport = await this.queries.execute(
      new AnnualReportQuery(file.year, file.rhfs, dayArg('on', file.on, this.today.date())),
    );
    const body = format === 'xlsx' ? await annualReportXlsx(report) : annualReportCsv(report);
    request.log.info(
      { userId: file.userId, year: report.year, rhfs: report.rhfs, format, rows: report.rows.length },
      'annual report downloaded',
    );
    await reply
      .code(200)
      .header('content-type', format === 'xlsx' ? XLSX_CONTENT_TYPE : CSV_CONTENT_TYPE)
      .header('content-disposition', `attachment; filename="${reportFileName(report, format)}"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  }

  /** The file a signed link grants: its own year and RHFs, whatever else the address says. */
  private grantOf(format: ExportFormat, params: Params) {
    const grant = this.links.verify(params.link, format);
    return { year: grant.year, rhfs: grant.rhfs, userId: grant.userId, on: null };
  }

  /** The file asked for with a bearer token, if that user may have it. */
  private async askedFor(request: FastifyRequest, params: Params) {
    const user = await bearerActor(
      request.headers.authorization,
      this.tokens,
      'sign in: send Authorization: Bearer <token>, or use a download link',
    );
    for (const key of ['year', 'rhf', 'on'])
      if (params[key] !== undefined && typeof params[key] !== 'string')
        throw new ApiError('BAD_USER_INPUT', `${key}: give it once`, key);
    const rhfs = annualReportRhfs(user, params.rhf as string | undefined);
    if (params.year === undefined)
      throw new ApiError('BAD_USER_INPUT', 'year: is required (e.g. year=2024)', 'year');
    return {
      year: yearArg(params.year),
      rhfs,
      userId: user.userId,
      on: (params.on as string | undefined) ?? null,
    };
  }
}
