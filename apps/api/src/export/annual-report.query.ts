import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CalendarDate } from '#domain';
import { annualReport, type AnnualReport } from '#projections';
import { OppdragRuntime } from '../infrastructure/runtime.js';

/** The Årlig melding sheet of one year for the given RHFs, judged on a day (see `annualReport`). */
export class AnnualReportQuery extends Query<AnnualReport> {
  constructor(
    readonly year: number,
    readonly rhfs: readonly string[],
    readonly on: CalendarDate,
  ) {
    super();
  }
}

@QueryHandler(AnnualReportQuery)
export class AnnualReportHandler implements IQueryHandler<AnnualReportQuery> {
  constructor(@Inject(OppdragRuntime) private readonly runtime: OppdragRuntime) {}
  execute(q: AnnualReportQuery) {
    return Promise.resolve(annualReport(this.runtime.queries, { year: q.year, rhfs: q.rhfs, on: q.on }));
  }
}
