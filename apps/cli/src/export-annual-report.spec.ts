/**
 * `export-annual-report` replays the store into read models in memory and writes the Årlig melding sheet
 * of one RHF, or of all four, as XLSX or CSV.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { givenTheYear } from '../../../libs/projections/test/support/annual-year.js';
import { exportAnnualReportCommand } from './export-annual-report.js';
import { UsageError } from './store-options.js';

describe('export-annual-report', () => {
  let dir: string;
  let store: string;
  const lines: string[] = [];
  const out = (line: string) => void lines.push(line);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'annual-report-cli-'));
    store = join(dir, 'events.db');
    await (await givenTheYear(store)).stop();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => (lines.length = 0));

  it('writes one RHF’s sheet as XLSX, with dates as dates', async () => {
    const file = join(dir, 'nord.xlsx');
    const code = await exportAnnualReportCommand(
      ['--year', '2024', '--rhf', 'Helse Nord', '--out', file, '--on', '2024-05-01', '--store', store],
      out,
      {},
    );
    expect(code).toBe(0);
    expect(lines).toEqual([`wrote 3 oppdrag for helse-nord, 2024, judged on 2024-05-01, to ${file}`]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('Årlig melding 2024') as ExcelJS.Worksheet;
    expect(sheet.getRow(1).getCell(1).value).toBe('Årlig melding 2024 – Helse Nord RHF');
    expect(sheet.getRow(3).getCell(2).value).toBe('2024-a-03');
    expect(sheet.getRow(4).getCell(8).value).toEqual(new Date('2024-04-01T00:00:00.000Z'));
  });

  it('writes all four RHFs as CSV when --rhf is left out', async () => {
    const file = join(dir, 'alle.csv');
    await exportAnnualReportCommand(
      ['--year', '2024', '--format', 'csv', '--out', file, '--store', store],
      out,
      {},
    );
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('\uFEFFHovedmål;')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(1 + 4 + 1);
    for (const name of ['Helse Sør-Øst RHF', 'Helse Vest RHF', 'Helse Midt-Norge RHF', 'Helse Nord RHF'])
      expect(text).toContain(`${name}: Status for delen`);
  });

  it('prints a CSV to standard output without --out', async () => {
    await exportAnnualReportCommand(['--year', '2023', '--rhf', 'helse-nord', '--store', store], out, {});
    expect(lines).toHaveLength(1);
    expect(lines[0]?.split('\r\n')).toHaveLength(2);
    expect(lines[0]).toContain('2023-a-01');
  });

  it('refuses a missing year, an unknown RHF and an unknown format, naming the flag', async () => {
    const run = (args: string[]) => exportAnnualReportCommand([...args, '--store', store], out, {});
    await expect(run(['--rhf', 'helse-nord'])).rejects.toThrow(
      new UsageError('--year must be a whole year from 2000 to 2100, e.g. --year 2024'),
    );
    await expect(run(['--year', '2024', '--rhf', 'hod'])).rejects.toThrow(/--rhf must be one of/);
    await expect(run(['--year', '2024', '--out', join(dir, 'x.pdf')])).rejects.toThrow(
      /--format must be xlsx or csv/,
    );
    await expect(run(['--year', '2024', '--format', 'xlsx'])).rejects.toThrow(/--out FILE is needed/);
  });
});
