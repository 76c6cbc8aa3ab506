import { Controller, Get, Inject, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { organisationRef } from '#domain';
import { AuditTrail, OppdragProjector } from '#projections';
import { httpActor } from '../auth/http-auth.js';
import { ApiError } from '../errors/api-error.js';
import { RefusalFilter } from '../http/refusal.filter.js';
import { TokenVerifier } from '../auth/tokens.js';
import { validationFailure } from '../graphql/errors.js';
import { AuditFilterInput } from '../graphql/inputs.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { auditCsv, auditJsonl } from './audit-export.js';

const FORMATS = {
  jsonl: { type: 'application/x-ndjson; charset=utf-8', render: auditJsonl },
  csv: { type: 'text/csv; charset=utf-8', render: auditCsv },
} as const;

type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[value.length - 1] : value;

/**
 * The audit trail as a download, for auditors and coordinators: the same selection as the `auditTrail`
 * query (actor, organisation, event types, oppdrag, period), every entry read from the event store, as
 * JSON Lines or CSV. `GET /export/audit.jsonl?actor=…&type=OppdragReported&type=…&from=…&to=…`.
 */
@Controller('export')
@UseFilters(RefusalFilter)
export class AuditExportController {
  constructor(
    @Inject(OppdragProjector) private readonly projector: OppdragProjector,
    @Inject(AuditTrail) private readonly auditTrail: AuditTrail,
    @Inject(TokenVerifier) private readonly tokens: TokenVerifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('audit.:format')
  async audit(
    @Param('format') format: string,
    @Query() params: Params,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    await httpActor(
      request.headers.authorization,
      this.tokens,
      ['auditor', 'coordinator'],
      'export the audit trail',
    );
    const output = FORMATS[format as keyof typeof FORMATS];
    if (!output) throw new ApiError('NOT_FOUND', 'the audit trail is exported as audit.jsonl or audit.csv');
    if (!this.projector.isCaughtUp())
      throw new ApiError(
        'SERVICE_UNAVAILABLE',
        'the read models are catching up with the event store; try again shortly',
      );
    const types = params.type === undefined ? null : [params.type].flat().flatMap((t) => t.split(','));
    const input = plainToInstance(AuditFilterInput, {
      actorUserId: one(params.actor) ?? null,
      organisationId: one(params.organisation) ?? null,
      types,
      oppdragId: one(params.oppdrag) ?? null,
      from: one(params.from) ?? null,
      to: one(params.to) ?? null,
    });
    const problems = await validate(input, { skipMissingProperties: false });
    if (problems.length > 0) throw validationFailure(problems);
    // The most entries one export holds: a larger selection is refused, to be narrowed.
    const max = this.config.limits.auditExportRows;
    const entries = await this.auditTrail.query({
      actorUserId: input.actorUserId ?? null,
      organisationId: input.organisationId ? organisationRef(input.organisationId).id : null,
      types: input.types ?? null,
      oppdragId: input.oppdragId ?? null,
      from: input.from ? new Date(input.from).toISOString() : null,
      to: input.to ? new Date(input.to).toISOString() : null,
      limit: max + 1,
    });
    if (entries.length > max)
      throw new ApiError(
        'TOO_LARGE',
        `the selection holds more than ${max} events, the most one export holds: narrow it by period, actor or event type`,
      );
    void reply
      .header('content-type', output.type)
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="revisjonsspor.${format}"`)
      .header('x-total-count', String(entries.length));
    return output.render(entries);
  }
}
