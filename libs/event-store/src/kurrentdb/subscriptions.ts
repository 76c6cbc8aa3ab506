/**
 * Subscriptions to $all that survive the server: one it drops is subscribed again from the last delivered
 * position, with capped exponential back-off, until it has failed for longer than the settings allow.
 */
import { START } from '@kurrent/kurrentdb-client';
import { CheckpointBeyondHeadError, StoreUnavailableError, UnreadableEventError } from '../errors.js';
import {
  comparePositions,
  type Position,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../port.js';
import type { Deadline, ServedStreams } from './connection.js';
import { translateKurrentDbError } from './error-mapping.js';
import type { KurrentDbClient, ResubscribeSettings } from './options.js';
import type { KurrentDbReader } from './reading.js';
import { toRecorded, type ClientResolvedEvent } from './records.js';

/** Raised inside a subscription when the caller's handler fails, so that its error reaches onError as it is. */
class HandlerFailure extends Error {
  constructor(readonly error: unknown) {
    super('the subscription handler failed');
  }
}

export class KurrentDbSubscriptions {
  private readonly running = new Set<Subscription>();

  constructor(
    private readonly client: KurrentDbClient,
    private readonly deadline: Deadline,
    private readonly served: ServedStreams,
    private readonly reader: KurrentDbReader,
    private readonly settings: ResubscribeSettings,
  ) {}

  /** Starts a subscription to $all from `after`, resumed after drops, until stopped or given up. */
  start(options: SubscribeOptions, batchSize: number, after: Position | null): Subscription {
    const settings = this.settings;
    let stopped = false;
    /** Wakes whatever the subscription waits for (the next event, or the delay before resubscribing). */
    let wake: (() => void) | null = null;
    const poke = (): void => {
      const resolve = wake;
      wake = null;
      resolve?.();
    };
    const state = { checkpoint: after, attempt: 0, failingSince: null as number | null };

    const run = async (): Promise<void> => {
      while (!stopped) {
        try {
          await this.follow(state, options, batchSize, {
            stopped: () => stopped,
            sleep: (resolve) => {
              wake = resolve;
            },
          });
          return;
        } catch (error) {
          if (stopped) return;
          if (error instanceof HandlerFailure) throw error;
          const failure = translateKurrentDbError(error);
          if (!(failure instanceof StoreUnavailableError)) throw failure;
          state.attempt += 1;
          state.failingSince ??= Date.now();
          const failingFor = Date.now() - state.failingSince;
          if (failingFor >= settings.giveUpAfterMs) {
            throw new StoreUnavailableError(
              `the subscription could not be resumed for ${failingFor} ms (${state.attempt - 1} attempts): ${failure.message}`,
              { cause: failure },
            );
          }
          const delayMs = backoff(state.attempt, settings);
          options.onRetry?.({ attempt: state.attempt, delayMs, error: failure, after: state.checkpoint });
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, delayMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      }
    };

    const running = run()
      .catch((error: unknown) => {
        if (stopped) return;
        stopped = true;
        options.onError?.(error instanceof HandlerFailure ? error.error : translateKurrentDbError(error));
      })
      .finally(() => this.running.delete(subscription));

    const subscription: Subscription = {
      stop: async () => {
        stopped = true;
        poke();
        await running;
      },
    };
    this.running.add(subscription);
    return subscription;
  }

  /**
   * One subscription of the client, from the checkpoint, until it fails or the caller stops: delivers
   * batches, moves the checkpoint, reports catching up. Throws what ended it.
   */
  private async follow(
    state: { checkpoint: Position | null; attempt: number; failingSince: number | null },
    options: SubscribeOptions,
    batchSize: number,
    control: { readonly stopped: () => boolean; readonly sleep: (resolve: () => void) => void },
  ): Promise<void> {
    // Checked each time, since a store can be restored under a running subscriber too. It also tells
    // when a server that never sends caughtUp (before caught-up messages existed) is caught up: once the
    // subscription has delivered the head the store had when it started.
    const head = await this.reader.readHead();
    if (state.checkpoint !== null && comparePositions(state.checkpoint, head) > 0) {
      throw new CheckpointBeyondHeadError(state.checkpoint, head);
    }
    const from = state.checkpoint;
    const source = this.client.subscribeToAll(
      {
        fromPosition: from === null ? START : { ...from },
        filter: this.served.filter(),
        resolveLinkTos: false,
      },
      { highWaterMark: batchSize },
    );
    let ended = false;
    // Set by the listeners below, which TypeScript does not follow into.
    let failure = null as { error: unknown } | null;
    let serverCaughtUp = false;
    /** Whether the server has answered the subscription at all: its confirmation, an event or caught-up. */
    let confirmed = false;
    let wake: (() => void) | null = null;
    const poke = (): void => {
      const resolve = wake;
      wake = null;
      resolve?.();
    };
    const setUp = setTimeout(() => {
      if (confirmed) return;
      failure ??= { error: this.deadline.passed('a subscription') };
      poke();
    }, this.deadline.ms);
    const listeners = {
      confirmation: (): void => {
        confirmed = true;
      },
      readable: (): void => {
        confirmed = true;
        poke();
      },
      caughtUp: (): void => {
        confirmed = true;
        serverCaughtUp = true;
        poke();
      },
      error: (error: Error): void => {
        failure ??= { error };
        poke();
      },
      end: (): void => {
        ended = true;
        poke();
      },
    };
    source.on('confirmation', listeners.confirmation);
    source.on('readable', listeners.readable);
    source.on('caughtUp', listeners.caughtUp);
    source.on('error', listeners.error);
    source.on('end', listeners.end);
    source.on('close', listeners.end);
    /** The subscription works again: a later drop starts the back-off afresh. */
    const working = (): void => {
      state.attempt = 0;
      state.failingSince = null;
    };
    try {
      let reported = false;
      while (!control.stopped()) {
        if (failure) throw failure.error;
        const batch: RecordedEvent[] = [];
        let unreadable: UnreadableEventError | null = null;
        while (batch.length < batchSize) {
          const item = source.read() as ClientResolvedEvent | null;
          if (item === null) break;
          const event = item.event;
          if (!event || !this.served.serves(event)) continue;
          let recorded: RecordedEvent;
          try {
            recorded = toRecorded(event);
          } catch (error) {
            // Deliver everything before an event that cannot be decoded, then raise it: the subscriber
            // may skip exactly that one and resume after it (see UnreadableEventError).
            if (!(error instanceof UnreadableEventError)) throw error;
            unreadable = error;
            break;
          }
          const last = batch[batch.length - 1]?.position ?? state.checkpoint;
          // Never deliver anything at or before the checkpoint, whatever the server's start semantics.
          if (last !== null && comparePositions(recorded.position, last) <= 0) continue;
          batch.push(recorded);
        }
        if (batch.length > 0) {
          reported = false;
          working();
          try {
            await options.handle(batch);
          } catch (error) {
            throw new HandlerFailure(error);
          }
          state.checkpoint = (batch[batch.length - 1] as RecordedEvent).position;
          if (unreadable) throw unreadable;
          continue;
        }
        if (unreadable) throw unreadable;
        if (!reported && (serverCaughtUp || head === null || comparePositions(state.checkpoint, head) >= 0)) {
          reported = true;
          working();
          options.onCaughtUp?.(state.checkpoint);
          continue;
        }
        if (ended) throw new StoreUnavailableError('KurrentDB ended the subscription');
        await new Promise<void>((resolve) => {
          wake = resolve;
          // The caller's stop wakes this wait too.
          control.sleep(() => {
            poke();
          });
        });
      }
    } finally {
      clearTimeout(setUp);
      source.off('confirmation', listeners.confirmation);
      source.off('readable', listeners.readable);
      source.off('caughtUp', listeners.caughtUp);
      source.off('error', listeners.error);
      source.off('end', listeners.end);
      source.off('close', listeners.end);
      // A late error from the cancelled call must not go unhandled.
      source.on('error', () => undefined);
      try {
        await source.unsubscribe();
      } catch {
        // The call never started or is gone already: nothing to cancel.
      }
      source.destroy();
    }
  }

  /** Stops every running subscription. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((s) => s.stop()));
  }
}

/** Capped exponential back-off with jitter: a random delay between half and all of the capped step. */
function backoff(attempt: number, settings: ResubscribeSettings): number {
  const step = Math.min(settings.maxDelayMs, settings.firstDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(step / 2 + Math.random() * (step / 2));
}
