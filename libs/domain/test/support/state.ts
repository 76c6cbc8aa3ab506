import { fold, type ExistingOppdrag, type MilestoneState, type OppdragEvent } from '../../src/index.js';

/** The state a history folds into, which must be an existing oppdrag. */
export function oppdragAfter(...history: readonly OppdragEvent[]): ExistingOppdrag {
  const state = fold(history);
  if (state.status === 'initial') throw new Error('the history does not assign the oppdrag');
  return state;
}

/** A milestone of an existing oppdrag by id. */
export function milestoneOf(oppdrag: ExistingOppdrag, id: string): MilestoneState {
  const milestone = oppdrag.milestones.find((m) => m.id === id);
  if (!milestone) throw new Error(`oppdrag ${oppdrag.id} has no milestone ${id}`);
  return milestone;
}
