/** One progress line on stderr, with the time of day; stdout is kept for the table. */
export const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};
