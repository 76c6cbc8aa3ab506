import { parseCommandLine, UsageError } from './args.js';

const OPTIONS = { secret: { type: 'string' }, json: { type: 'boolean', short: 'j' } } as const;

describe('parseCommandLine', () => {
  it('reads values, booleans, short flags and positionals', () => {
    const { values, positionals } = parseCommandLine(
      ['--secret', 's3cret', '-j', 'a.txt', '--secret=other'],
      OPTIONS,
      true,
    );
    expect(values).toEqual({ secret: 'other', json: true });
    expect(positionals).toEqual(['a.txt']);
  });

  it.each([
    [['--nope'], 'unknown option --nope'],
    [['--secret'], '--secret needs a value'],
    [['--secret', '--json'], '--secret needs a value'],
    [['--json=yes'], '--json takes no value'],
    [['stray'], 'unexpected argument stray'],
  ])('refuses %j as a usage error: %s', (args, message) => {
    let thrown: unknown;
    try {
      parseCommandLine(args, OPTIONS);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toBe(message);
  });
});
