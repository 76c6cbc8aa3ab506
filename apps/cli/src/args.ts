import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command line the CLI cannot run: printed as `usage: …` with exit code 64. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's arguments with `node:util` `parseArgs`, strictly: an unknown option, a missing value or
 * (when `positionals` is false) a stray argument is a {@link UsageError} that names it.
 */
export function parseCommandLine<const O extends Options>(
  args: readonly string[],
  options: O,
  positionals = false,
): ParsedCommandLine<O> {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: positionals });
  } catch (error) {
    throw new UsageError(usageMessage(error));
  }
}

type ParsedCommandLine<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: boolean }>
>;

/** Node's parse error in the CLI's words: what is wrong, with the option it concerns. */
function usageMessage(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  // Node quotes what it refers to: "'--secret <value>'", "'-j, --json'" or "'stray'".
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const named =
    quoted
      .split(/[ ,]+/)
      .filter((word) => word.startsWith('-'))
      .pop() ?? quoted;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${named}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(message) ? `${named} takes no value` : `${named} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${quoted}`;
    default:
      return message;
  }
}
