/** The input rules a text must pass before it is read as a letter. */
export type LetterErrorRule =
  | 'not-text'
  | 'empty'
  | 'binary'
  /** Bytes that are not UTF-8 (a Latin-1 or Windows-1252 file): the letter must be saved as UTF-8. */
  | 'not-utf8'
  | 'too-large'
  | 'not-a-letter'
  /** The bytes are no readable PDF. */
  | 'not-a-pdf'
  /** A PDF without a text layer: a scanned letter that needs OCR first. */
  | 'no-text-layer';

/** What a letter given as bytes that are not UTF-8 is told: which encoding is expected, and how to fix it. */
export const NOT_UTF8_MESSAGE =
  'the text is not UTF-8 (it looks like Latin-1 or Windows-1252, where æ, ø and å are single bytes): save the letter as UTF-8 and try again';

/** The largest text accepted, in UTF-8 bytes. Real letters are a few hundred kilobytes at most. */
export const MAX_LETTER_BYTES = 2 * 1024 * 1024;

/** A text that cannot be read as an assignment letter; `rule` names the rule it broke. */
export class LetterError extends Error {
  constructor(
    readonly rule: LetterErrorRule,
    message: string,
    readonly fileName: string | null = null,
  ) {
    super(`${fileName ? `${fileName}: ` : ''}${message} [rule: ${rule}]`);
    this.name = 'LetterError';
  }
}
