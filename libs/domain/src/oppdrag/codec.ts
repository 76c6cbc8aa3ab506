import {
  isRhfId,
  organisationRef,
  resolveOrganisation,
  RHF_IDS,
  type OrganisationRef,
} from '../organisations.js';
import { OPPDRAG_EVENT_TYPES, type OppdragEvent, type OppdragEventType } from './events.js';

/**
 * The explicit map between stored payloads and domain events. Stored payloads carry `schemaVersion`;
 * older shapes are upcast here, at the store boundary, so the decider only ever sees the current shape.
 */
export const CURRENT_SCHEMA_VERSION: Readonly<Record<OppdragEventType, number>> = {
  OppdragAssigned: 3,
  OppdragStarted: 2,
  MilestoneReported: 2,
  OppdragReported: 2,
  OppdragReopened: 2,
  OppdragClosed: 1,
  DeadlineChanged: 1,
  LeadReassigned: 2,
  CollaboratorAdded: 1,
  CollaboratorRemoved: 1,
  AddresseeAdded: 1,
  AddresseeRemoved: 1,
  SourceAdded: 1,
  OppdragDetailsCorrected: 1,
  MilestoneAdded: 1,
  MilestoneChanged: 1,
  MilestoneRemoved: 1,
  DeadlinePassed: 1,
  MilestoneDue: 1,
};

export class EventDecodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventDecodingError';
  }
}

type Payload = Record<string, unknown>;
type Upcaster = (data: Payload) => Payload;

/**
 * Events of one RHF's part recorded before parts existed (version 1) were the oppdrag's one part, which
 * belonged to its lead: `part: null` reads as the lead's part when the event is folded.
 */
const leadsPart: Upcaster = (v1) => ({ ...v1, part: null });

/**
 * Upcasters by type and the version they read. Version 1 of `OppdragAssigned` (the first pilot's shape)
 * named the lead `leadRhf` by display name, kept collaborators as bare names and had one `letter` string.
 * Version 2 had no addressees: a led oppdrag was its lead's alone, and one with no lead was every RHF's
 * ("each for itself"); nor the day it was assigned.
 */
const UPCASTERS: Partial<Record<OppdragEventType, Record<number, Upcaster>>> = {
  OppdragStarted: { 1: leadsPart },
  MilestoneReported: { 1: leadsPart },
  OppdragReported: { 1: leadsPart },
  OppdragReopened: { 1: (v1) => ({ ...v1, scope: 'report', part: null, reopenedOn: null }) },
  LeadReassigned: { 1: (v1) => ({ ...v1, carriesPart: true }) },
  OppdragAssigned: {
    2: (v2) => ({
      ...v2,
      addressees: typeof v2.lead === 'string' ? [v2.lead] : [...RHF_IDS],
      assignedOn: null,
    }),
    1: (v1) => {
      const leadName = typeof v1.leadRhf === 'string' ? v1.leadRhf : null;
      const collaborators = Array.isArray(v1.collaborators) ? (v1.collaborators as unknown[]) : [];
      const { leadRhf: _lead, letter, ...rest } = v1;
      // A lead name that names no RHF must not quietly become "no lead": that changes who may report on it.
      let lead: string | null = null;
      if (leadName) {
        const resolved = resolveOrganisation(leadName)?.id;
        if (!resolved || !isRhfId(resolved)) {
          throw new EventDecodingError(
            `OppdragAssigned v1 names lead "${leadName}", which is not one of the four RHFs`,
          );
        }
        lead = resolved;
      }
      // Aliases ("FHI", "Folkehelseinstituttet") resolve to one organisation, listed once; the lead never
      // also collaborates. Both are invariants the decider keeps for version 2.
      const refs = new Map<string, OrganisationRef>();
      for (const name of collaborators) {
        if (typeof name !== 'string') continue;
        const ref = organisationRef(name);
        if (ref.id !== lead && !refs.has(ref.id)) refs.set(ref.id, ref);
      }
      return {
        ...rest,
        lead,
        collaborators: [...refs.values()],
        hovedmal: rest.hovedmal ?? null,
        milestones: rest.milestones ?? [],
        sources:
          typeof letter === 'string'
            ? [
                {
                  letter,
                  recipient: null,
                  letterKind: 'other',
                  section: null,
                  heading: null,
                  lineStart: null,
                  lineEnd: null,
                },
              ]
            : [],
      };
    },
  },
};

const KNOWN_TYPES = new Set<string>(OPPDRAG_EVENT_TYPES);

export function isOppdragEventType(type: string): type is OppdragEventType {
  return KNOWN_TYPES.has(type);
}

/** The payload to store for an event: its data with the current schema version. */
export function encodeEvent(event: OppdragEvent): { type: OppdragEventType; data: Payload } {
  return { type: event.type, data: { ...event.data, schemaVersion: CURRENT_SCHEMA_VERSION[event.type] } };
}

/** Turns a stored type and payload into a current domain event, upcasting older versions. */
export function decodeEvent(type: string, stored: unknown): OppdragEvent {
  if (!isOppdragEventType(type)) throw new EventDecodingError(`unknown event type "${type}"`);
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    throw new EventDecodingError(`payload of ${type} is not an object`);
  }
  const { schemaVersion: rawVersion, ...rest } = stored as Payload;
  // Only an absent version means the unversioned pilot shape (1). Anything else that is not a whole number
  // is refused: reading, say, "2" as 1 would run the v1 upcaster over a v2 payload and drop its lead.
  let version = rawVersion === undefined ? 1 : typeof rawVersion === 'number' ? rawVersion : Number.NaN;
  const current = CURRENT_SCHEMA_VERSION[type];
  if (!Number.isInteger(version) || version < 1 || version > current) {
    const shown = typeof rawVersion === 'number' ? String(rawVersion) : JSON.stringify(rawVersion);
    throw new EventDecodingError(`${type} has schema version ${shown}; this build reads 1 to ${current}`);
  }
  let data: Payload = rest;
  while (version < current) {
    const upcast = UPCASTERS[type]?.[version];
    if (!upcast) throw new EventDecodingError(`no upcaster for ${type} from version ${version}`);
    data = upcast(data);
    version += 1;
  }
  if (typeof data.oppdragId !== 'string') throw new EventDecodingError(`${type} has no oppdragId`);
  return { type, data } as unknown as OppdragEvent;
}
