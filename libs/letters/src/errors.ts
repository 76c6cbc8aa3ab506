/** The input rules a text must pass before it is read as a letter. */
export type LetterErrorRule =
  | 'not-text'
  | 'empty'
  | 'binary'
  | 'too-large'
  | 'not-a-letter'
  /** The bytes are no readable PDF. */
  | 'not-a-pdf'
  /** A PDF without a text layer: a scanned letter that needs OCR first. */
  | 'no-text-layer';

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
