import { osloDate, SYSTEM_ACTOR, type CalendarDate } from '#domain';
import { DomainError } from '#domain';
import type { Clock } from './clock.js';
import type { OppdragCommandHandler } from './command-handler.js';
import { uuidFromName } from './ids.js';

/** An oppdrag with a deadline or milestones that passed unrecorded, as the read models saw it. */
export interface DueForRecording {
  readonly oppdragId: string;
  /** The stream revision the read models had folded when they found it. */
  readonly revision: number;
  /** The effective deadline that passed unrecorded, or null when only milestones are due. */
  readonly deadline: CalendarDate | null;
  readonly milestones: ReadonlyArray<{ readonly id: string; readonly dueDate: CalendarDate }>;
}

/** Where the watcher learns which oppdrag have a deadline or milestone that passed unrecorded. */
export interface DueSource {
  dueForRecording(today: CalendarDate): DueForRecording[];
}

export interface WatchOutcome {
  readonly recorded: number;
  readonly alreadyRecorded: number;
  readonly failed: number;
}

/**
 * The engine's durable timers. Each run records `DeadlinePassed` / `MilestoneDue` for whatever passed
 * unmet. The command id is derived from the oppdrag, the fact, the date it concerns (the deadline or the
 * milestone's due date) and the revision at which the fact was found unrecorded, so the event ids are too:
 * two instances racing, or a run repeated after a restart, append each fact exactly once (the loser's
 * append conflicts, it re-reads, finds its command already applied, or the decider finds the fact
 * recorded, and writes nothing). A fact that is due again (a deadline moved to another past date, an
 * oppdrag reopened after its deadline) is found at a later revision, so it gets a command of its own the
 * same day instead of being taken for the earlier one.
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
      if (due.deadline !== null) {
        jobs.push({
          name: `deadline-passed:${due.oppdragId}:${due.deadline}@${String(due.revision)}`,
          run: (commandId) =>
            this.handler.handle(
              { type: 'RecordDeadlinePassed', data: { oppdragId: due.oppdragId } },
              { commandId, actor: SYSTEM_ACTOR },
            ),
        });
      }
      for (const milestone of due.milestones) {
        jobs.push({
          name: `milestone-due:${due.oppdragId}:${milestone.id}:${milestone.dueDate}@${String(due.revision)}`,
          run: (commandId) =>
            this.handler.handle(
              { type: 'RecordMilestoneDue', data: { oppdragId: due.oppdragId, milestoneId: milestone.id } },
              { commandId, actor: SYSTEM_ACTOR },
            ),
        });
      }
      for (const job of jobs) {
        try {
          // One command id per fact, the date it concerns and the state it was found in.
          const result = await job.run(uuidFromName(`oppdragsflyt:watch:${job.name}`));
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
