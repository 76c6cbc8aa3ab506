import { DomainError, type Actor, type AssignData } from '#domain';
import type { Position } from '#event-store';
import type { OppdragCommandHandler } from './command-handler.js';
import { uuidFromName } from './ids.js';

export interface ImportOutcome {
  readonly assigned: readonly string[];
  /** Already assigned (by an earlier import of the same text, or otherwise): nothing was written. */
  readonly unchanged: readonly string[];
  readonly refused: ReadonlyArray<{
    readonly oppdragId: string;
    readonly code: string;
    readonly message: string;
  }>;
  /** The global position of the last event written, for read-your-writes. */
  readonly lastPosition: Position | null;
}

/**
 * Assigns planned oppdrag through the command handler. The command id is derived from the oppdrag id, so
 * importing the same letters again, or retrying an import that was cut off, writes nothing twice.
 */
export async function assignPlanned(
  handler: OppdragCommandHandler,
  planned: readonly AssignData[],
  actor: Actor,
  correlationId?: string,
): Promise<ImportOutcome> {
  const assigned: string[] = [];
  const unchanged: string[] = [];
  const refused: Array<{ oppdragId: string; code: string; message: string }> = [];
  let lastPosition: ImportOutcome['lastPosition'] = null;
  for (const data of planned) {
    try {
      const result = await handler.handle(
        { type: 'AssignOppdrag', data },
        { commandId: uuidFromName(`oppdragsflyt:import:${data.oppdragId}`), actor, correlationId },
      );
      if (result.duplicate) unchanged.push(data.oppdragId);
      else {
        assigned.push(data.oppdragId);
        lastPosition = result.position;
      }
    } catch (error) {
      if (error instanceof DomainError && error.code === 'INVALID_TRANSITION') unchanged.push(data.oppdragId);
      else if (error instanceof DomainError)
        refused.push({ oppdragId: data.oppdragId, code: error.code, message: error.message });
      else throw error;
    }
  }
  return { assigned, unchanged, refused, lastPosition };
}
