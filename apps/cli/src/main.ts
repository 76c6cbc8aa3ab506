#!/usr/bin/env node
import { exportAuditCommand, importCommand, mintTokenCommand, rebuildCommand } from './commands.js';
import { exportAnnualReportCommand } from './export-annual-report.js';
import { runScoreLetters } from './letters/score-command.js';
import { UsageError } from './store-options.js';

const USAGE = `oppdragsflyt <command>
  import <files…> [--json] [--verbose] [--commit] [--store PATH|URL]
                                                           read letters (.txt or .pdf); --commit assigns them
  score-letters [--gold DIR --documents DIR]               compare the letter reader with the gold labels
  mint-token --secret S --role R [--org O] [--user U] [--name N] [--expires 12h]
  rebuild [--verify] [--store PATH|URL] [--read-models PATH]  replay all history into the read models
  export-audit [--out FILE] [--store PATH|URL]             every event with its metadata, as JSON lines
  export-annual-report --year Y [--rhf R] [--format xlsx|csv] [--out FILE] [--on DATE] [--store PATH|URL]
                                                           the Årlig melding sheet (all four RHFs without --rhf)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const notes = (line: string): void => void process.stderr.write(`${line}\n`);
  // eslint-disable-next-line no-restricted-properties -- the CLI's one read of the environment
  const env = process.env;
  switch (command) {
    case 'import':
      return importCommand(args, out, env, notes);
    case 'score-letters':
      return runScoreLetters(args, out);
    case 'mint-token':
      return mintTokenCommand(args, out, env);
    case 'rebuild':
      return rebuildCommand(args, out, env);
    case 'export-audit':
      return exportAuditCommand(args, out, env);
    case 'export-annual-report':
      return exportAnnualReportCommand(args, out, env);
    default:
      out(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 64;
  }
}

/**
 * Exits once everything written has left the process: writes to a pipe are asynchronous, and exiting at once
 * would cut a long `--json` plan short.
 */
function exitWhenFlushed(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv.slice(2)).then(exitWhenFlushed, (error: unknown) => {
  process.stderr.write(
    `${error instanceof UsageError ? `usage: ${error.message}` : String((error as Error)?.message ?? error)}\n`,
  );
  exitWhenFlushed(error instanceof UsageError ? 64 : 1);
});
