import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  CloseOutcomeGql,
  DeadlineSourceGql,
  HovedmalModel,
  OppdragStatusGql,
  OrganisationModel,
  PageInfoModel,
  PartStatusGql,
} from '../graphql/models.js';

export enum ExportFormatGql {
  XLSX = 'xlsx',
  CSV = 'csv',
}
registerEnumType(ExportFormatGql, {
  name: 'ExportFormat',
  description:
    'XLSX (a workbook with real dates) or CSV (UTF-8 with BOM, `;`-separated, as Norwegian Excel opens it).',
});

@ObjectType('AnnualReportOwed')
export class AnnualReportOwedModel {
  @Field({ description: "REPORT (the part's own report) or MILESTONE." }) what!: string;
  @Field(() => String, { nullable: true }) milestoneId!: string | null;
  @Field(() => String, { nullable: true, description: "The milestone's title." }) title!: string | null;
  @Field() dueDate!: string;
  @Field() overdue!: boolean;
}

@ObjectType('AnnualReportPart', { description: "One RHF's own part of an oppdrag on the sheet." })
export class AnnualReportPartModel {
  @Field(() => OrganisationModel) organisation!: OrganisationModel;
  @Field({ description: 'This RHF leads the oppdrag.' }) leads!: boolean;
  @Field(() => PartStatusGql) status!: PartStatusGql;
  @Field(() => String, { nullable: true }) startedOn!: string | null;
  @Field(() => String, { nullable: true }) reportedOn!: string | null;
  @Field(() => String, { nullable: true }) documentRef!: string | null;
  @Field({ description: "The day this part's report is due." }) dueDate!: string;
  @Field({ description: 'Overdue on the day the sheet is judged on.' }) overdue!: boolean;
  @Field({ description: 'Its report was delivered after its due date.' }) reportedLate!: boolean;
  @Field(() => [AnnualReportOwedModel], { description: 'What it still owes, soonest due first.' })
  owes!: AnnualReportOwedModel[];
}

@ObjectType('JointReport')
export class JointReportModel {
  @Field() reportedOn!: string;
  @Field(() => String, { nullable: true }) documentRef!: string | null;
}

@ObjectType('AnnualReportRow', { description: "One oppdrag on the sheet, with each RHF's part." })
export class AnnualReportRowModel {
  @Field() oppdragId!: string;
  @Field() title!: string;
  @Field(() => HovedmalModel, { nullable: true }) hovedmal!: HovedmalModel | null;
  @Field(() => String, { nullable: true, description: 'The letter it stands in.' }) sourceLetter!:
    string | null;
  @Field(() => OrganisationModel, { nullable: true }) lead!: OrganisationModel | null;
  @Field(() => OppdragStatusGql) status!: OppdragStatusGql;
  @Field(() => CloseOutcomeGql, { nullable: true }) closedOutcome!: CloseOutcomeGql | null;
  @Field(() => String, { nullable: true, description: 'The stated deadline, if any.' }) deadline!:
    string | null;
  @Field() effectiveDeadline!: string;
  @Field(() => DeadlineSourceGql) deadlineSource!: DeadlineSourceGql;
  @Field() overdue!: boolean;
  @Field() reportedLate!: boolean;
  @Field(() => JointReportModel, {
    nullable: true,
    description: "The lead's joint report, when the oppdrag has a lead and it has reported.",
  })
  jointReport!: JointReportModel | null;
  @Field(() => [AnnualReportPartModel], {
    description: "The parts of the sheet's RHFs that it is addressed to, in the sheet's order.",
  })
  parts!: AnnualReportPartModel[];
}

@ObjectType('AnnualReportTotals')
export class AnnualReportTotalsModel {
  @Field(() => OrganisationModel) organisation!: OrganisationModel;
  @Field(() => Int) parts!: number;
  @Field(() => Int) leads!: number;
  @Field(() => Int) assigned!: number;
  @Field(() => Int) started!: number;
  @Field(() => Int) reported!: number;
  @Field(() => Int) open!: number;
  @Field(() => Int) overdue!: number;
  @Field(() => Int) reportedLate!: number;
  @Field(() => Int) owed!: number;
}

@ObjectType('AnnualReport', {
  description:
    'The Årlig melding sheet: one row per oppdrag of the year, grouped by hovedmål in letter order.',
})
export class AnnualReportModel {
  @Field(() => Int) year!: number;
  @Field({ description: 'The day overdue and owed are judged on.' }) on!: string;
  @Field({ description: 'The Årlig melding for the year is due this day.' }) annualReportDate!: string;
  @Field(() => [OrganisationModel], { description: 'One RHF, or all four side by side.' })
  organisations!: OrganisationModel[];
  @Field(() => Int) totalCount!: number;
  @Field(() => PageInfoModel) pageInfo!: PageInfoModel;
  @Field(() => [AnnualReportRowModel]) rows!: AnnualReportRowModel[];
  @Field(() => [AnnualReportTotalsModel], { description: 'Per RHF, over every row (not only this page).' })
  totals!: AnnualReportTotalsModel[];
}

@ObjectType('DownloadLink')
export class DownloadLinkModel {
  @Field({ description: 'A path on this server that downloads the one file without a bearer header.' })
  url!: string;
  @Field({ description: 'The link is refused after this instant.' }) expiresAt!: string;
  @Field() fileName!: string;
}
