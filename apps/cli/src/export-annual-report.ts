import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { systemClock } from '#application';
import { isCalendarDate, isRhfId, osloDate, resolveOrganisation, RHF_IDS } from '#domain';
import { annualReport, OppdragProjector, OppdragQueries, ReadModelStore } from '#projections';
import { annualReportCsv, annualReportXlsx } from '#reports';
import { openStore, parseArgs, storeOptions, UsageError } from './store-options.js';

type Out = (line: string) => void;
type Env = Readonly<Record<string, string | undefined>>;

/**
 * `export-annual-report --year 2024 [--rhf helse-nord] [--format xlsx|csv] [--out FILE] [--on YYYY-MM-DD]`:
 * the Årlig melding sheet of one RHF, or of all four side by side when `--rhf` is left out. The history is
 * replayed into read models in memory, so the sheet is as current as the store (the API's read models are
 * not touched). The format follows `--format`, else the file's extension; a CSV without `--out` goes to
 * standard output.
 */
export async function exportAnnualReportCommand(args: string[], out: Out, env: Env): Promise<number> {
  const { flags, positional } = parseArgs(args, []);
  if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
  const yearText = flags.get('year');
  if (!yearText || !/^\d{4}$/.test(yearText) || Number(yearText) < 2000 || Number(yearText) > 2100)
    throw new UsageError('--year must be a whole year from 2000 to 2100, e.g. --year 2024');
  const rhfs = rhfsOf(flags.get('rhf'));
  const file = flags.get('out');
  const format = formatOf(flags.get('format'), file);
  if (format === 'xlsx' && !file) throw new UsageError('--out FILE is needed for an xlsx file');
  const on = flags.get('on') ?? osloDate(systemClock.now());
  if (!isCalendarDate(on)) throw new UsageError('--on must be a calendar date YYYY-MM-DD');

  const store = await openStore(storeOptions(flags, env));
  const readModels = new ReadModelStore(':memory:');
  try {
    const projector = new OppdragProjector(store, readModels, { retry: false });
    await projector.start();
    await projector.stop();
    const report = annualReport(new OppdragQueries(projector), {
      year: Number(yearText),
      rhfs,
      on: on,
    });
    const body = format === 'xlsx' ? await annualReportXlsx(report) : annualReportCsv(report);
    if (!file) {
      out(body.toString().replace(/\r\n$/, ''));
      return 0;
    }
    await writeFile(file, body);
    out(
      `wrote ${report.rows.length} oppdrag for ${rhfs.length === 1 ? rhfs[0] : 'all four RHFs'}, ${report.year}, judged on ${report.on}, to ${file}`,
    );
    return 0;
  } finally {
    readModels.close();
    await store.close();
  }
}

function rhfsOf(value: string | undefined): string[] {
  if (value === undefined) return [...RHF_IDS];
  const id = resolveOrganisation(value)?.id ?? value;
  if (!isRhfId(id)) throw new UsageError(`--rhf must be one of ${RHF_IDS.join(', ')} (or its name)`);
  return [id];
}

function formatOf(value: string | undefined, file: string | undefined): 'xlsx' | 'csv' {
  const format = value ?? (file ? extname(file).slice(1).toLowerCase() : 'csv');
  if (format !== 'xlsx' && format !== 'csv') throw new UsageError('--format must be xlsx or csv');
  return format;
}
