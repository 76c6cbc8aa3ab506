import { toStoredOppdragEvent, type StoredOppdragEvent } from '#application/stored-events.js';
import { streamIdFor } from '#domain';
import type { EventStore } from '#event-store';
import type { AuditFilter, AuditIndexEntry, ReadModelStore } from './read-model-store.js';

/** One line of the audit trail: who did what to which oppdrag, when, read from the stored event itself. */
export interface AuditEntry {
  readonly position: string;
  readonly oppdragId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly actorUserId: string;
  readonly actorName: string;
  readonly actorRole: string;
  readonly actorOrganisation: string;
  readonly commandId: string;
  readonly correlationId: string;
  readonly data: string;
}

/**
 * The audit trail across oppdrag. The read models keep only an index of the events (position, oppdrag,
 * type, time, actor) for filtering; every entry handed out is then read from the event store, so what an
 * auditor sees is the stored event and its metadata, never a copy of it.
 */
export class AuditTrail {
  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelStore,
  ) {}

  async query(filter: AuditFilter): Promise<AuditEntry[]> {
    const index = this.readModels.audit(filter);
    return Promise.all(index.map((entry) => this.entryOf(entry)));
  }

  private async entryOf(entry: AuditIndexEntry): Promise<AuditEntry> {
    const [recorded] = await this.store.readStream(streamIdFor(entry.oppdragId), {
      fromRevision: entry.revision,
      toRevision: entry.revision,
      maxCount: 1,
    });
    if (!recorded || recorded.position.commit.toString() !== entry.position) {
      throw new Error(
        `audit trail: the event at position ${entry.position} (${entry.oppdragId} revision ${entry.revision}) is not in the event store`,
      );
    }
    return auditEntryOf(toStoredOppdragEvent(recorded));
  }
}

/** What the read models keep of a stored event for the audit trail (see {@link AuditIndexEntry}). */
export function auditIndexEntryOf(stored: StoredOppdragEvent): AuditIndexEntry {
  const actor = stored.metadata.actor;
  return {
    position: stored.position.commit.toString(),
    oppdragId: stored.oppdragId,
    revision: stored.revision,
    type: stored.event.type,
    recordedAt: stored.recordedAt,
    actorUserId: actor?.userId ?? 'ukjent',
    actorOrganisation: actor?.organisationId ?? 'ukjent',
  };
}

/** The whole audit entry of a stored event. */
export function auditEntryOf(stored: StoredOppdragEvent): AuditEntry {
  return {
    ...auditIndexEntryOf(stored),
    eventId: stored.eventId,
    actorName: stored.metadata.actor?.name ?? 'ukjent',
    actorRole: stored.metadata.actor?.role ?? 'ukjent',
    commandId: stored.metadata.commandId ?? '',
    correlationId: stored.metadata.correlationId ?? '',
    data: JSON.stringify(stored.event.data),
  };
}
