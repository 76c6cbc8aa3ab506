import {
  currentDeadlinePassedOn,
  evolve,
  initialState,
  type ExistingOppdrag,
  type OppdragEventType,
} from '#domain';
import type { StoredOppdragEvent } from '#application/stored-events.js';
import type { OppdragView } from './oppdrag-view.js';

/**
 * The view of one oppdrag folded event by event without making a view for each event: a replay keeps the
 * domain state and the fields the view adds, and makes the view once, when it is written. Each event is
 * one call of the domain's own `evolve`, which stays the source of truth.
 *
 * It gives exactly the view {@link applyToView} gives event by event: the same guard (an event not newer
 * than the view's revision changes nothing, nor does one that leaves the state initial), the same state,
 * the view's own fields from the last event applied and `assignedAt` from the first.
 */
export class ViewFold {
  private state: ExistingOppdrag | null = null;
  private revision = -1;
  private position = 0n;
  private assignedAt = '';
  private type: OppdragEventType = 'OppdragAssigned';
  private at = '';
  private actorName = '';
  private actorOrganisation = '';

  /** Applies one event of the oppdrag; true when it changed the view (as applyToView making a new one). */
  apply(stored: StoredOppdragEvent): boolean {
    if (this.state !== null && stored.revision <= this.revision) return false;
    const state = evolve(this.state ?? initialState(), stored.event);
    if (state.status === 'initial') return false;
    if (this.state === null) this.assignedAt = stored.recordedAt;
    this.state = state;
    this.revision = stored.revision;
    this.position = stored.position.commit;
    this.type = stored.event.type;
    this.at = stored.recordedAt;
    const actor = stored.metadata.actor;
    this.actorName = actor?.name ?? 'ukjent';
    this.actorOrganisation = actor?.organisationId ?? 'ukjent';
    return true;
  }

  /** The view as folded so far (field for field, in the same key order, as applyToView makes it). */
  view(): OppdragView | undefined {
    if (this.state === null) return undefined;
    return {
      oppdrag: this.state,
      revision: this.revision,
      position: this.position.toString(),
      assignedAt: this.assignedAt,
      lastChange: {
        type: this.type,
        at: this.at,
        actorName: this.actorName,
        actorOrganisation: this.actorOrganisation,
      },
      deadlinePassedOn: currentDeadlinePassedOn(this.state),
    };
  }
}
