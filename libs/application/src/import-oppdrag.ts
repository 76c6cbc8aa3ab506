import {
  DomainError,
  isRhfId,
  type Actor,
  type AssignData,
  type OppdragCommand,
  type SourceReference,
} from '#domain';
import type { Position } from '#event-store';
import type { OppdragCommandHandler } from './command-handler.js';
import { commandDigest, uuidFromName } from './ids.js';

export interface ImportOutcome {
  readonly assigned: readonly string[];
  /** Already assigned with every source: nothing was written. */
  readonly unchanged: readonly string[];
  /** Already assigned from another letter: the new sources (and their recipients as addressees) were added. */
  readonly sourcesAdded: ReadonlyArray<{ readonly oppdragId: string; readonly letter: string }>;
  readonly refused: ReadonlyArray<{
    readonly oppdragId: string;
    readonly code: string;
    readonly message: string;
  }>;
  /** The global position of the last event written, for read-your-writes. */
  readonly lastPosition: Position | null;
}

/** The RHF a source's letter was sent to, if it is one: it becomes an addressee with the source. */
const recipientOf = (source: SourceReference): string[] =>
  source.recipient !== null && isRhfId(source.recipient) ? [source.recipient] : [];

/**
 * Assigns planned oppdrag through the command handler. The command id is derived from the oppdrag id, so
 * importing the same letters again, or retrying an import that was cut off, writes nothing twice. An
 * oppdrag already assigned (the same joint oppdrag in another region's letter) gets each new source as a
 * `SourceAdded` event, once: its command id is derived from the oppdrag and the source.
 */
export async function assignPlanned(
  handler: OppdragCommandHandler,
  planned: readonly AssignData[],
  actor: Actor,
  correlationId?: string,
): Promise<ImportOutcome> {
  const assigned: string[] = [];
  const unchanged: string[] = [];
  const sourcesAdded: Array<{ oppdragId: string; letter: string }> = [];
  const refused: Array<{ oppdragId: string; code: string; message: string }> = [];
  let lastPosition: ImportOutcome['lastPosition'] = null;
  const refuse = (oppdragId: string, error: DomainError): void => {
    refused.push({ oppdragId, code: error.code, message: error.message });
  };
  for (const data of planned) {
    let alreadyAssigned = false;
    try {
      const command = { type: 'AssignOppdrag', data } as const;
      const result = await handler.handle(command, {
        commandId: importCommandId(actor, command),
        actor,
        correlationId,
      });
      if (result.duplicate) alreadyAssigned = true;
      else {
        assigned.push(data.oppdragId);
        lastPosition = result.position;
      }
    } catch (error) {
      if (error instanceof DomainError && error.code === 'INVALID_TRANSITION') alreadyAssigned = true;
      else if (error instanceof DomainError) refuse(data.oppdragId, error);
      else throw error;
    }
    if (!alreadyAssigned) continue;
    let added = false;
    for (const source of data.sources) {
      try {
        const command = {
          type: 'AddSource',
          data: { oppdragId: data.oppdragId, source, addressees: recipientOf(source) },
        } as const;
        const result = await handler.handle(command, {
          commandId: importCommandId(actor, command),
          actor,
          correlationId,
        });
        if (!result.duplicate) {
          added = true;
          sourcesAdded.push({ oppdragId: data.oppdragId, letter: source.letter });
          lastPosition = result.position;
        }
      } catch (error) {
        // The source is there already (this letter, or the letter it was assigned from): nothing to add.
        if (error instanceof DomainError && error.code === 'INVALID_TRANSITION') continue;
        if (error instanceof DomainError) refuse(data.oppdragId, error);
        else throw error;
      }
    }
    if (!added) unchanged.push(data.oppdragId);
  }
  return { assigned, unchanged, sourcesAdded, refused, lastPosition };
}

/**
 * The command id of an imported command: this user's, for this very command, so that importing the same
 * letter again is a retry answered without writing, while another user's import, or another letter's
 * version of an oppdrag, is a command of its own (which the decider then finds already done).
 */
function importCommandId(actor: Actor, command: OppdragCommand): string {
  return uuidFromName(
    `oppdragsflyt:import:${actor.organisationId}:${actor.userId}:${command.data.oppdragId}:${commandDigest(command)}`,
  );
}
