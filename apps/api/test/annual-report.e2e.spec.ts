import ExcelJS from 'exceljs';
import { RHF_IDS } from '#domain';
import { dataOf, errorOf, mark, post, writtenSince } from './support/clients.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { redactedUrl } from '../src/infrastructure/log-redaction.js';

/**
 * The Årlig melding sheet over the API, on the demo data read on 1 May 2024: the rows as GraphQL, the
 * files with a bearer token or a signed link, and who may have which.
 */
let server: TestServer;
const logLines: string[] = [];
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer({
    demo: true,
    now: '2024-05-01T10:00:00.000Z',
    config: { logLevel: 'info' },
    logStream: { write: (line: string) => void logLines.push(line) },
  });
  tokens.coordinator = await server.token('coordinator', 'hod');
  tokens.auditor = await server.token('auditor');
  for (const rhf of RHF_IDS) tokens[rhf] = await server.token('rhf', rhf);
});
afterAll(() => server.close());

const SHEET = `query ($year: Int!, $rhf: String, $first: Int, $after: String) {
  annualReport(year: $year, rhf: $rhf, first: $first, after: $after) {
    year on annualReportDate organisations { id } totalCount pageInfo { endCursor hasNextPage }
    rows { oppdragId title hovedmal { number } sourceLetter lead { id } status deadline effectiveDeadline
      deadlineSource overdue reportedLate jointReport { reportedOn documentRef }
      parts { organisation { id } leads status startedOn reportedOn documentRef dueDate overdue reportedLate
        owes { what milestoneId dueDate overdue } } }
    totals { organisation { id } parts leads open overdue reportedLate owed }
  }
}`;
const LINK = `mutation ($year: Int!, $rhf: String, $format: ExportFormat) {
  createAnnualReportLink(year: $year, rhf: $rhf, format: $format) { url expiresAt fileName }
}`;

type Sheet = {
  annualReport: {
    organisations: Array<{ id: string }>;
    totalCount: number;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
    rows: Array<{
      oppdragId: string;
      hovedmal: { number: number } | null;
      parts: Array<{ organisation: { id: string }; status: string }>;
    }>;
    totals: Array<{ organisation: { id: string }; parts: number; open: number; overdue: number }>;
  };
};

const download = (path: string, token?: string) =>
  fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

async function openXlsx(response: Response): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  return workbook;
}

describe('the annualReport query', () => {
  it("gives an RHF user its own RHF's sheet, grouped by hovedmål", async () => {
    const sheet = dataOf(
      await post<Sheet>(server, { token: tokens['helse-nord'], query: SHEET, variables: { year: 2024 } }),
    );
    expect(sheet.annualReport.organisations).toEqual([{ id: 'helse-nord' }]);
    const goals = sheet.annualReport.rows.map((r) => r.hovedmal?.number ?? 0);
    expect(goals).toEqual([...goals].sort((a, b) => a - b));
    expect(
      sheet.annualReport.rows.every((r) => r.parts.map((p) => p.organisation.id).join() === 'helse-nord'),
    ).toBe(true);
    // Helse Nord leads demo 3 and 8 and is addressed by the joint 5 and 8.
    expect(sheet.annualReport.rows.map((r) => r.oppdragId).sort()).toEqual([
      '2024-demo-03',
      '2024-demo-05',
      '2024-demo-08',
    ]);
  });

  it('gives a coordinator the four RHFs side by side, with totals that agree with the workload', async () => {
    const sheet = dataOf(
      await post<Sheet>(server, { token: tokens.coordinator, query: SHEET, variables: { year: 2024 } }),
    );
    expect(sheet.annualReport.organisations.map((o) => o.id)).toEqual([...RHF_IDS]);
    expect(sheet.annualReport.totalCount).toBe(10);
    const workload = dataOf(
      await post<{
        workload: Array<{ organisation: { id: string }; parts: number; open: number; overdue: number }>;
      }>(server, {
        token: tokens.coordinator,
        query: '{ workload(year: 2024) { organisation { id } parts open overdue } }',
      }),
    ).workload;
    expect(
      sheet.annualReport.totals.map((t) => ({
        organisation: t.organisation,
        parts: t.parts,
        open: t.open,
        overdue: t.overdue,
      })),
    ).toEqual(workload);
  });

  it('pages through the rows with a cursor', async () => {
    const first = dataOf(
      await post<Sheet>(server, {
        token: tokens.coordinator,
        query: SHEET,
        variables: { year: 2024, first: 4 },
      }),
    );
    expect(first.annualReport.rows).toHaveLength(4);
    expect(first.annualReport.pageInfo.hasNextPage).toBe(true);
    const rest = dataOf(
      await post<Sheet>(server, {
        token: tokens.coordinator,
        query: SHEET,
        variables: { year: 2024, first: 50, after: first.annualReport.pageInfo.endCursor },
      }),
    );
    expect(rest.annualReport.rows).toHaveLength(6);
    expect(rest.annualReport.pageInfo.hasNextPage).toBe(false);
  });

  it("refuses an RHF user another RHF's sheet and the four-RHF sheet, and bad input, naming the rule", async () => {
    const other = errorOf(
      await post(server, {
        token: tokens['helse-nord'],
        query: SHEET,
        variables: { year: 2024, rhf: 'helse-vest' },
      }),
    );
    expect(other.extensions).toEqual({ code: 'FORBIDDEN', field: 'rhf' });
    expect(other.message).toMatch(/an RHF user reads only its own RHF's Årlig melding sheet/);
    const year = errorOf(
      await post(server, { token: tokens.coordinator, query: SHEET, variables: { year: 1999 } }),
    );
    expect(year).toMatchObject({
      message: 'year: must be a whole year from 2000 to 2100',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const rhf = errorOf(
      await post(server, { token: tokens.coordinator, query: SHEET, variables: { year: 2024, rhf: 'hod' } }),
    );
    expect(rhf.extensions?.field).toBe('rhf');
    const first = errorOf(
      await post(server, {
        token: tokens.coordinator,
        query: '{ annualReport(year: 2024, first: 101) { totalCount } }',
      }),
    );
    expect(first.extensions?.field).toBe('first');
    const anonymous = await post(server, { token: null, query: SHEET, variables: { year: 2024 } });
    expect(anonymous.status).toBe(401);
  });

  it("lets an auditor read any RHF's sheet", async () => {
    const sheet = dataOf(
      await post<Sheet>(server, {
        token: tokens.auditor,
        query: SHEET,
        variables: { year: 2024, rhf: 'Helse Vest' },
      }),
    );
    expect(sheet.annualReport.organisations).toEqual([{ id: 'helse-vest' }]);
  });
});

describe('downloads with the bearer token', () => {
  it('gives a coordinator the four-RHF sheet of 2024 as XLSX, with dates as dates', async () => {
    const response = await download('/export/annual-report.xlsx?year=2024', tokens.coordinator);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="arlig-melding-2024-alle-rhf.xlsx"',
    );
    const workbook = await openXlsx(response);
    const sheet = workbook.getWorksheet('Årlig melding 2024') as ExcelJS.Worksheet;
    expect(sheet.rowCount).toBe(2 + 10);
    const heading = (sheet.getRow(2).values as unknown[]).indexOf('Gjeldende frist');
    for (let r = 3; r <= sheet.rowCount; r++)
      expect(sheet.getRow(r).getCell(heading).value).toBeInstanceOf(Date);
    const totals = workbook.getWorksheet('Summer') as ExcelJS.Worksheet;
    expect(totals.getRow(6).getCell(1).value).toBe('Alle RHF');
  });

  it('gives an RHF user its own sheet as CSV, and refuses the others', async () => {
    const csv = await download('/export/annual-report.csv?year=2024&rhf=helse-nord', tokens['helse-nord']);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\r\n')).toHaveLength(1 + 3 + 1);

    const other = await download('/export/annual-report.csv?year=2024&rhf=helse-vest', tokens['helse-nord']);
    expect(other.status).toBe(403);
    expect(((await other.json()) as { errors: Array<{ message: string }> }).errors[0]?.message).toMatch(
      /only its own RHF/,
    );
    const all = await download('/export/annual-report.xlsx?year=2024', tokens['helse-nord']);
    // Leaving the RHF out means its own sheet for an RHF user.
    expect(all.status).toBe(200);
    expect(all.headers.get('content-disposition')).toContain('arlig-melding-2024-helse-nord.xlsx');
  });

  it('refuses a request without a valid token, or with bad input, saying why', async () => {
    const none = await download('/export/annual-report.xlsx?year=2024');
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      errors: [
        {
          message: 'sign in: send Authorization: Bearer <token>, or use a download link',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    const forged = await download(
      '/export/annual-report.xlsx?year=2024',
      `${tokens.coordinator!.slice(0, -4)}AAAA`,
    );
    expect(forged.status).toBe(401);
    const noYear = await download('/export/annual-report.xlsx', tokens.coordinator);
    expect(noYear.status).toBe(400);
    expect(
      ((await noYear.json()) as { errors: Array<{ extensions: unknown }> }).errors[0]?.extensions,
    ).toEqual({ code: 'BAD_USER_INPUT', field: 'year' });
    const twice = await download('/export/annual-report.xlsx?year=2024&year=2025', tokens.coordinator);
    expect(twice.status).toBe(400);
  });
});

describe('signed download links', () => {
  const createLink = async (token: string, variables: Record<string, unknown>) =>
    dataOf(
      await post<{ createAnnualReportLink: { url: string; expiresAt: string; fileName: string } }>(server, {
        token,
        query: LINK,
        variables,
      }),
    ).createAnnualReportLink;

  it('downloads the one file without a bearer header, and writes nothing to the store', async () => {
    const before = await mark(server);
    const link = await createLink(tokens.coordinator!, { year: 2024, format: 'CSV' });
    expect(link.url).toMatch(/^\/export\/annual-report\.csv\?link=[\w-]+\.[\w-]+$/);
    expect(link.fileName).toBe('arlig-melding-2024-alle-rhf.csv');
    expect(Date.parse(link.expiresAt) - Date.parse(server.clock.now())).toBe(5 * 60_000);
    const response = await download(link.url);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.split('\r\n')[0]).toContain('Helse Nord RHF: Status for delen');
    expect(await writtenSince(server, before)).toEqual([]);
  });

  it('is refused for another file, when tampered with, and once expired, with a clear message', async () => {
    const link = await createLink(tokens['helse-vest']!, { year: 2024 });
    expect(link.fileName).toBe('arlig-melding-2024-helse-vest.xlsx');
    const otherFormat = await download(link.url.replace('.xlsx?', '.csv?'));
    expect(otherFormat.status).toBe(403);
    expect(await otherFormat.json()).toMatchObject({
      errors: [
        { message: 'link: grants the xlsx file, not the csv file', extensions: { code: 'LINK_INVALID' } },
      ],
    });

    // Another RHF's sheet in the payload, the signature kept.
    const [path, value] = link.url.split('?link=') as [string, string];
    const [payload, signature] = value.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const tampered = Buffer.from(JSON.stringify({ ...claims, r: [...RHF_IDS] })).toString('base64url');
    const changed = await download(`${path}?link=${tampered}.${signature}`);
    expect(changed.status).toBe(403);
    expect(((await changed.json()) as { errors: Array<{ message: string }> }).errors[0]?.message).toMatch(
      /signature does not match/,
    );
    const garbage = await download(`${path}?link=not-a-link`);
    expect(garbage.status).toBe(403);

    expect((await download(link.url)).status).toBe(200);
    server.clock.advance(5 * 60_000);
    const expired = await download(link.url);
    expect(expired.status).toBe(410);
    expect(await expired.json()).toMatchObject({
      errors: [
        {
          message: expect.stringMatching(/^link: expired at .*create a new one$/),
          extensions: { code: 'LINK_EXPIRED' },
        },
      ],
    });
    server.clock.set('2024-05-01T10:00:00.000Z');
  });

  it('is not made for a sheet the user may not have', async () => {
    const refused = errorOf(
      await post(server, {
        token: tokens['helse-vest'],
        query: LINK,
        variables: { year: 2024, rhf: 'helse-nord' },
      }),
    );
    expect(refused.extensions?.code).toBe('FORBIDDEN');
  });

  it('never writes a link or a token to the log', async () => {
    const link = await createLink(tokens.coordinator!, { year: 2024 });
    await download(link.url);
    await download('/export/annual-report.csv?year=2024', tokens.coordinator);
    const secret = link.url.split('?link=')[1] as string;
    const log = logLines.join('');
    expect(log).toContain('/export/annual-report.xlsx?link=[redacted]');
    expect(log).toContain('annual report downloaded');
    expect(log).not.toContain(secret.split('.')[1]);
    expect(log).not.toContain(tokens.coordinator);
    expect(redactedUrl('/x?year=2024&token=abc&sig=def#f')).toBe(
      '/x?year=2024&token=[redacted]&sig=[redacted]#f',
    );
  });
});
