/** The ways a command can be refused. Each maps to one API error code in one place. */
export type DomainErrorCode = 'INVALID_TRANSITION' | 'FORBIDDEN' | 'VALIDATION' | 'NOT_FOUND' | 'CONFLICT';

/** A refusal with a code and a message a person understands; `field` names the input at fault, if one is. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalidTransition = (message: string): DomainError =>
  new DomainError('INVALID_TRANSITION', message);
export const forbidden = (message: string): DomainError => new DomainError('FORBIDDEN', message);
export const validation = (field: string, message: string): DomainError =>
  new DomainError('VALIDATION', `${field}: ${message}`, field);
export const notFound = (message: string): DomainError => new DomainError('NOT_FOUND', message);
