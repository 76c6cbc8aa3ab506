import { RHF_IDS } from '#domain';
import { annualReport, type AnnualReport, type OppdragQueries } from '../src/index.js';
import { givenTheYear, ON } from './support/annual-year.js';

describe('the Årlig melding sheet', () => {
  let queries: OppdragQueries;
  let stop: () => Promise<void>;
  beforeAll(async () => ({ queries, stop } = await givenTheYear()));
  afterAll(() => stop());

  describe('for one RHF', () => {
    let report: AnnualReport;
    beforeAll(() => (report = annualReport(queries, { year: 2024, rhfs: ['helse-nord'], on: ON })));

    it('holds every oppdrag of the year addressed to it, grouped by hovedmål in letter order', () => {
      expect(report.rows.map((r) => r.oppdragId)).toEqual(['2024-a-03', '2024-a-02', '2024-a-01']);
      expect(report.annualReportDate).toBe('2025-03-15');
    });

    it('shows its own letter as the source', () => {
      const joint = report.rows.find((r) => r.oppdragId === '2024-a-01');
      expect(joint?.source?.letter).toBe('Oppdragsdokument 2024 helse-nord');
    });

    it("shows its own part, the lead's joint report and what the part still owes", () => {
      const [noLead, own, joint] = report.rows;
      expect(noLead).toMatchObject({
        lead: null,
        deadline: null,
        effectiveDeadline: '2025-03-15',
        deadlineSource: 'annual-report',
        overdue: false,
        jointReport: null,
      });
      expect(noLead?.parts[0]).toMatchObject({ status: 'assigned', dueDate: '2025-03-15', overdue: false });
      expect(noLead?.parts[0]?.owes.map((o) => o.what)).toEqual(['report']);

      expect(own?.parts[0]).toMatchObject({
        leads: true,
        status: 'reported',
        startedOn: '2024-04-20',
        reportedOn: '2024-04-20',
        documentRef: 'Rapport; "endelig".pdf',
        reportedLate: true,
        owes: [],
      });
      expect(own).toMatchObject({ reportedLate: true, jointReport: { reportedOn: '2024-04-20' } });

      // A non-lead part of a led oppdrag owes its report by the Årlig melding; the lead has not reported.
      expect(joint).toMatchObject({
        lead: 'helse-vest',
        status: 'started',
        overdue: true,
        jointReport: null,
      });
      expect(joint?.parts[0]).toMatchObject({
        leads: false,
        status: 'reported',
        reportedOn: '2024-03-10',
        dueDate: '2025-03-15',
        overdue: false,
        reportedLate: false,
      });
    });
  });

  describe('for all four RHFs', () => {
    let report: AnnualReport;
    beforeAll(() => (report = annualReport(queries, { year: 2024, rhfs: [...RHF_IDS], on: ON })));

    it('has one row per oppdrag and a part per RHF where it is addressed', () => {
      // Within hovedmål 1, by letter (a-04 stands in "2024-helse-midt-norge-rhf.txt"), then by line.
      expect(report.rows.map((r) => r.oppdragId)).toEqual([
        '2024-a-04',
        '2024-a-03',
        '2024-a-02',
        '2024-a-01',
      ]);
      const own = report.rows.find((r) => r.oppdragId === '2024-a-02');
      expect(own?.parts.map((p) => p?.rhf ?? null)).toEqual([null, null, null, 'helse-nord']);
    });

    it("owes the lead's milestones only on the lead's part", () => {
      const joint = report.rows.find((r) => r.oppdragId === '2024-a-01');
      const vest = joint?.parts[RHF_IDS.indexOf('helse-vest')];
      expect(vest?.owes).toEqual([
        {
          what: 'milestone',
          milestoneId: 'status-1',
          title: 'Statusrapport',
          dueDate: '2024-03-01',
          overdue: true,
        },
        { what: 'report', milestoneId: null, title: null, dueDate: '2024-04-01', overdue: true },
      ]);
      expect(vest?.overdue).toBe(true);
      const sorOst = joint?.parts[RHF_IDS.indexOf('helse-sor-ost')];
      expect(sorOst?.owes.map((o) => o.what)).toEqual(['report']);
    });

    it('totals agree with the workload and stillOwes queries of the same read models', () => {
      const workload = queries.workload(ON, 2024);
      for (const totals of report.totals) {
        const load = workload.find((w) => w.organisationId === totals.rhf);
        expect({
          rhf: totals.rhf,
          parts: totals.parts,
          open: totals.open,
          overdue: totals.overdue,
          late: totals.reportedLate,
        }).toEqual({
          rhf: totals.rhf,
          parts: load?.parts,
          open: load?.open,
          overdue: load?.overdue,
          late: load?.reportedLate,
        });
        expect(totals.owed).toBe(queries.stillOwes(totals.rhf, 2024, ON, 100).totalCount);
        expect(totals.assigned + totals.started + totals.reported).toBe(totals.parts);
      }
      expect(report.totals.find((t) => t.rhf === 'helse-vest')).toMatchObject({
        parts: 3,
        leads: 2,
        overdue: 1,
      });
    });
  });

  it('refuses what is not an RHF, and an empty list', () => {
    expect(() => annualReport(queries, { year: 2024, rhfs: ['hod'], on: ON })).toThrow(/rhf: "hod"/);
    expect(() => annualReport(queries, { year: 2024, rhfs: [], on: ON })).toThrow(/rhfs/);
  });

  it('refuses a sheet with more rows than allowed, before reading any view', () => {
    expect(() => annualReport(queries, { year: 2024, rhfs: [...RHF_IDS], on: ON, maxRows: 3 })).toThrow(
      'the sheet would have 4 rows; at most 3 are allowed',
    );
    expect(annualReport(queries, { year: 2024, rhfs: [...RHF_IDS], on: ON, maxRows: 4 }).rows).toHaveLength(
      4,
    );
  });

  it('is empty for a year with nothing addressed', () => {
    const report = annualReport(queries, { year: 2030, rhfs: ['helse-nord'], on: ON });
    expect(report.rows).toEqual([]);
    expect(report.totals[0]).toMatchObject({ parts: 0, owed: 0 });
  });
});
