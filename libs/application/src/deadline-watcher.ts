import { osloDate, SYSTEM_ACTOR, type CalendarDate } from '#domain';
import { DomainError } from '#domain';
import type { Clock } from './clock.js';
import type { OppdragCommandHandler } from './command-handler.js';
import { uuidFromName } from './ids.js';

/** Where the watcher learns which oppdrag have a deadline or milestone that passed unrecorded. */
export interface DueSource {
  dueForRecording(
    today: CalendarDate,
  ): Array<{ oppdragId: string; deadline: boolean; milestoneIds: string[] }>;
}

export interface WatchOutcome {
  readonly recorded: number;
  readonly alreadyRecorded: number;
  readonly failed: number;
}

/**
 * The engine's durable timers. Each run records `DeadlinePassed` / `MilestoneDue` for whatever passed
 * unmet. The command id is derived from the oppdrag, the kind and the date, so the event ids are too: two
 * instances racing, or a run repeated after a restart, append each fact exactly once (the loser's append
 * conflicts, it re-reads, finds its command already applied and writes nothing).
 */
export class DeadlineWatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<WatchOutcome> | null = null;

  constructor(
    private readonly handler: OppdragCommandHandler,
    private readonly source: DueSource,
    private readonly clock: Clock,
    private readonly onProblem: (message: string, error: unknown) => void = () => undefined,
  ) {}

  /** Runs once now; concurrent calls share the run in flight. */
  runOnce(): Promise<WatchOutcome> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  start(intervalMs: number): void {
    this.stop();
    const tick = (): void => {
      this.runOnce()
        .catch((error: unknown) => this.onProblem('deadline watcher run failed', error))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Waits for a run in flight to finish, for a graceful shutdown. */
  async drain(): Promise<void> {
    this.stop();
    await this.running;
  }

  private async run(): Promise<WatchOutcome> {
    const today = osloDate(this.clock.now());
    let recorded = 0;
    let alreadyRecorded = 0;
    let failed = 0;
    for (const due of this.source.dueForRecording(today)) {
      const jobs: Array<{
        name: string;
        run: (commandId: string) => ReturnType<OppdragCommandHandler['handle']>;
      }> = [];
      if (due.deadline) {
        jobs.push({
          name: `deadline-passed:${due.oppdragId}`,
          run: (commandId) =>
            this.handler.handle(
              { type: 'RecordDeadlinePassed', data: { oppdragId: due.oppdragId } },
              { commandId, actor: SYSTEM_ACTOR },
            ),
        });
      }
      for (const milestoneId of due.milestoneIds) {
        jobs.push({
          name: `milestone-due:${due.oppdragId}:${milestoneId}`,
          run: (commandId) =>
            this.handler.handle(
              { type: 'RecordMilestoneDue', data: { oppdragId: due.oppdragId, milestoneId } },
              { commandId, actor: SYSTEM_ACTOR },
            ),
        });
      }
      for (const job of jobs) {
        try {
          // One command id per fact and day it was found: the state decides whether the fact is new.
          const result = await job.run(uuidFromName(`oppdragsflyt:watch:${job.name}:${today}`));
          if (result.duplicate) alreadyRecorded += 1;
          else recorded += 1;
        } catch (error) {
          if (error instanceof DomainError && error.code === 'INVALID_TRANSITION') alreadyRecorded += 1;
          else {
            failed += 1;
            this.onProblem(`could not record ${job.name}`, error);
          }
        }
      }
    }
    return { recorded, alreadyRecorded, failed };
  }
}
