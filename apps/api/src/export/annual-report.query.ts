import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CalendarDate } from '#domain';
import { annualReport, OppdragQueries, type AnnualReport } from '#projections';

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
  constructor(@Inject(OppdragQueries) private readonly oppdrag: OppdragQueries) {}
  execute(q: AnnualReportQuery) {
    return Promise.resolve(annualReport(this.oppdrag, { year: q.year, rhfs: q.rhfs, on: q.on }));
  }
}
