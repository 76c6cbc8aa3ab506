/**
 * A given/when/then harness for the oppdrag decider: history in, one command, events or a refusal out.
 * It calls the real `decide` and `fold`; nothing is mocked.
 */
import {
  decide,
  DomainError,
  fold,
  type Actor,
  type DomainErrorCode,
  type OppdragCommand,
  type OppdragEvent,
  type OppdragState,
} from '../../src/index.js';

/** The instant used when a scenario names none: mid-June 2024, in the middle of an Oslo working day. */
export const DEFAULT_NOW = '2024-06-14T10:00:00Z';

export interface When {
  readonly actor: Actor;
  /** An ISO instant from the server clock; defaults to {@link DEFAULT_NOW}. */
  readonly now?: string;
}

type Outcome =
  | { readonly kind: 'events'; readonly events: OppdragEvent[] }
  | { readonly kind: 'error'; readonly error: unknown };

export class Decision {
  constructor(
    private readonly history: readonly OppdragEvent[],
    private readonly outcome: Outcome,
  ) {}

  /** Asserts the command was accepted with exactly these events, in order; returns the state after them. */
  then(expected: readonly OppdragEvent[]): OppdragState {
    const events = this.accepted();
    expect(events).toEqual(expected);
    return fold([...this.history, ...events]);
  }

  /** The state after the accepted command's events. */
  state(): OppdragState {
    return fold([...this.history, ...this.accepted()]);
  }

  /** The events of an accepted command, for assertions `then` cannot express. */
  accepted(): OppdragEvent[] {
    if (this.outcome.kind === 'error') {
      const error = this.outcome.error;
      const detail = error instanceof DomainError ? `${error.code}: ${error.message}` : String(error);
      throw new Error(`expected the command to be accepted, but it was refused (${detail})`);
    }
    return this.outcome.events;
  }

  /**
   * Asserts the command was refused with a {@link DomainError} of this code whose message matches; a refused
   * decision yields no events by construction, and this also fails when events were returned.
   */
  thenRefuses(code: DomainErrorCode, message: RegExp | string): DomainError {
    if (this.outcome.kind === 'events') {
      throw new Error(
        `expected a ${code} refusal, but the command yielded ${JSON.stringify(this.outcome.events.map((e) => e.type))}`,
      );
    }
    const error = this.outcome.error;
    expect(error).toBeInstanceOf(DomainError);
    const domainError = error as DomainError;
    const messageMatches =
      typeof message === 'string' ? domainError.message.includes(message) : message.test(domainError.message);
    if (domainError.code !== code || !messageMatches) {
      // Code and message in one line, so a failure shows both.
      throw new Error(
        `expected ${code} with a message matching ${JSON.stringify(String(message))}, but got ${domainError.code}: ${domainError.message}`,
      );
    }
    return domainError;
  }
}

export class Scenario {
  constructor(private readonly history: readonly OppdragEvent[]) {}

  /** The state the history folds into. */
  get state(): OppdragState {
    return fold(this.history);
  }

  /** Decides the command on the folded history. */
  when(command: OppdragCommand, context: When): Decision {
    const state = fold(this.history);
    let outcome: Outcome;
    try {
      outcome = {
        kind: 'events',
        events: decide(command, state, { actor: context.actor, now: context.now ?? DEFAULT_NOW }),
      };
    } catch (error) {
      outcome = { kind: 'error', error };
    }
    return new Decision(this.history, outcome);
  }
}

/** Starts a specification from a stream's history (no events: the oppdrag does not exist yet). */
export function given(...history: readonly OppdragEvent[]): Scenario {
  return new Scenario(history);
}
