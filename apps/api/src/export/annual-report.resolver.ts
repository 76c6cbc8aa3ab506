import { Inject, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '#domain';
import { MAX_PAGE_SIZE, type AnnualReport, type AnnualReportRow } from '#projections';
import { reportFileName } from '#reports';
import { SignedInGuard } from '../auth/signed-in.guard.js';
import { CurrentUser } from '../auth/current-user.js';
import { Today } from '../infrastructure/today.js';
import { dayArg, pageSize, yearArg } from '../graphql/args.js';
import { ApiError } from '../graphql/errors.js';
import type {
  CloseOutcomeGql,
  DeadlineSourceGql,
  OppdragStatusGql,
  PartStatusGql,
} from '../graphql/models.js';
import { organisationModel } from '../graphql/presenters.js';
import { annualReportRhfs } from './annual-report-access.js';
import {
  AnnualReportModel,
  AnnualReportRowModel,
  DownloadLinkModel,
  ExportFormatGql,
} from './annual-report.models.js';
import { AnnualReportQuery } from './annual-report.query.js';
import { DownloadLinks } from './download-links.js';

const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');
function decodeCursor(cursor: string, rows: readonly AnnualReportRow[]): number {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  const index = rows.findIndex((r) => r.oppdragId === id);
  if (index === -1)
    throw new ApiError('BAD_USER_INPUT', 'after: is not a cursor this sheet gave out', 'after');
  return index + 1;
}

export function rowModel(row: AnnualReportRow): AnnualReportRowModel {
  return {
    oppdragId: row.oppdragId,
    title: row.title,
    hovedmal: row.hovedmal,
    sourceLetter: row.source?.letter ?? null,
    lead: row.lead ? organisationModel(row.lead) : null,
    status: row.status as OppdragStatusGql,
    closedOutcome: row.closedOutcome as CloseOutcomeGql | null,
    deadline: row.deadline,
    effectiveDeadline: row.effectiveDeadline,
    deadlineSource: row.deadlineSource as DeadlineSourceGql,
    overdue: row.overdue,
    reportedLate: row.reportedLate,
    jointReport: row.jointReport,
    parts: row.parts
      .filter((p) => p !== null)
      .map((p) => ({
        organisation: organisationModel(p.rhf),
        leads: p.leads,
        status: p.status as PartStatusGql,
        startedOn: p.startedOn,
        reportedOn: p.reportedOn,
        documentRef: p.documentRef,
        dueDate: p.dueDate,
        overdue: p.overdue,
        reportedLate: p.reportedLate,
        owes: p.owes.map((o) => ({ ...o, what: o.what === 'report' ? 'REPORT' : 'MILESTONE' })),
      })),
  };
}

/** The Årlig melding sheet as rows, and the short-lived links that download it as a file. */
@Resolver()
@UseGuards(SignedInGuard)
export class AnnualReportResolver {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(Today) private readonly today: Today,
    @Inject(DownloadLinks) private readonly links: DownloadLinks,
  ) {}

  @Query(() => AnnualReportModel, {
    description:
      "The Årlig melding sheet of one year: every oppdrag addressed to the RHF, grouped by hovedmål in letter order, with its part, the lead's joint report, deadlines and what is still owed. An RHF user reads its own RHF's sheet (the default); coordinators and auditors read any RHF's, and all four side by side when `rhf` is left out.",
  })
  async annualReport(
    @CurrentUser() user: Actor,
    @Args('year', { type: () => Int }) year: number,
    @Args('rhf', { type: () => String, nullable: true, description: 'An RHF id or name.' })
    rhf: string | null,
    @Args('on', { type: () => String, nullable: true, description: 'Judge overdue on this day.' })
    on: string | null,
    @Args('first', { type: () => Int, defaultValue: 50, description: `At most ${MAX_PAGE_SIZE}.` })
    first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AnnualReportModel> {
    const rhfs = annualReportRhfs(user, rhf);
    const size = pageSize('first', first);
    const day = dayArg('on', on, this.today.date());
    const report: AnnualReport = await this.queries.execute(new AnnualReportQuery(yearArg(year), rhfs, day));
    const start = after ? decodeCursor(after, report.rows) : 0;
    const page = report.rows.slice(start, start + size);
    const last = page[page.length - 1];
    return {
      year: report.year,
      on: report.on,
      annualReportDate: report.annualReportDate,
      organisations: report.rhfs.map((id) => organisationModel(id)),
      totalCount: report.rows.length,
      pageInfo: {
        endCursor: last ? encodeCursor(last.oppdragId) : (after ?? null),
        hasNextPage: start + size < report.rows.length,
      },
      rows: page.map(rowModel),
      totals: report.totals.map(({ rhf: id, ...counts }) => ({
        organisation: organisationModel(id),
        ...counts,
      })),
    };
  }

  @Mutation(() => DownloadLinkModel, {
    description:
      'A short-lived link (a few minutes) that downloads one Årlig melding file without a bearer header, for a plain link in the browser. Who may have which sheet is as for `annualReport`.',
  })
  createAnnualReportLink(
    @CurrentUser() user: Actor,
    @Args('year', { type: () => Int }) year: number,
    @Args('rhf', { type: () => String, nullable: true, description: 'An RHF id or name.' })
    rhf: string | null,
    // Typed as a string: the validation pipe would take the enum object for an input class.
    @Args('format', { type: () => ExportFormatGql, defaultValue: ExportFormatGql.XLSX })
    format: string,
  ): DownloadLinkModel {
    const rhfs = annualReportRhfs(user, rhf);
    const file = {
      format: format === 'csv' ? ('csv' as const) : ('xlsx' as const),
      year: yearArg(year),
      rhfs,
    };
    const link = this.links.create(file, user);
    return { url: link.path, expiresAt: link.expiresAt, fileName: reportFileName(file, file.format) };
  }
}
