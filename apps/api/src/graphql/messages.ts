import { Command, Query } from '@nestjs/cqrs';
import type {
  CommandMetadata,
  CommandResult,
  HandleOptions,
  ImportOutcome,
  StoredOppdragEvent,
} from '#application';
import type { Actor, AssignOppdrag, CalendarDate, ExistingOppdrag, OppdragCommand } from '#domain';
import type {
  AuditEntry,
  OppdragFilter,
  OppdragView,
  OverdueMilestone,
  OwedItem,
  Page,
  PartItem,
  Workload,
} from '#projections';

export interface ExecutedCommand extends CommandResult {
  /** The read model after the command, read from the projection once it includes the command's events. */
  readonly view: OppdragView | undefined;
}

/** One typed command message for every oppdrag command: the generic handler does the rest. */
export class ExecuteOppdragCommand extends Command<ExecutedCommand> {
  constructor(
    readonly command: OppdragCommand,
    readonly metadata: CommandMetadata,
    readonly options: HandleOptions,
  ) {
    super();
  }
}

/**
 * Assign the oppdrag planned from letters, idempotently: those assigned already gain only new sources.
 */
export class AssignPlannedCommand extends Command<ImportOutcome> {
  constructor(
    readonly planned: readonly AssignOppdrag['data'][],
    readonly actor: Actor,
    readonly correlationId: string,
  ) {
    super();
  }
}

export class GetOppdragQuery extends Query<OppdragView | undefined> {
  constructor(readonly id: string) {
    super();
  }
}

export class ListOppdragQuery extends Query<Page<OppdragView>> {
  constructor(
    readonly filter: OppdragFilter,
    readonly today: CalendarDate,
    readonly first: number,
    readonly after: string | null,
  ) {
    super();
  }
}

export class WhoLeadsWhatQuery extends Query<
  Array<{ lead: string | null; totalCount: number; items: OppdragView[] }>
> {
  constructor(
    readonly filter: OppdragFilter,
    readonly today: CalendarDate,
    readonly limitPerLead: number,
  ) {
    super();
  }
}

export class OverdueQuery extends Query<{ items: OppdragView[]; totalCount: number }> {
  constructor(
    readonly on: CalendarDate,
    readonly first: number,
  ) {
    super();
  }
}

export class WorkloadQuery extends Query<Workload[]> {
  constructor(
    readonly on: CalendarDate,
    readonly year: number | null,
  ) {
    super();
  }
}

export class HistoryQuery extends Query<{ entries: StoredOppdragEvent[]; totalCount: number }> {
  constructor(
    readonly oppdragId: string,
    readonly fromRevision: number,
    readonly first: number,
  ) {
    super();
  }
}

export class OppdragAsOfQuery extends Query<{
  oppdrag: ExistingOppdrag | null;
  revision: number | null;
  lastEvent: StoredOppdragEvent | null;
}> {
  constructor(
    readonly oppdragId: string,
    readonly asOf: string,
  ) {
    super();
  }
}

export class AuditTrailQuery extends Query<AuditEntry[]> {
  constructor(
    readonly filter: {
      actorUserId?: string | null;
      organisationId?: string | null;
      types?: readonly string[] | null;
      oppdragId?: string | null;
      from?: string | null;
      to?: string | null;
    },
    readonly afterPosition: string | null,
    readonly limit: number,
    readonly requestedBy: Actor,
  ) {
    super();
  }
}

export class MyPartsQuery extends Query<Page<PartItem>> {
  constructor(
    readonly rhf: string,
    readonly on: CalendarDate,
    readonly options: { year: number | null; includeClosed: boolean; first: number; after: string | null },
  ) {
    super();
  }
}

export class StillOwesQuery extends Query<{
  annualReportDate: CalendarDate;
  totalCount: number;
  items: OwedItem[];
}> {
  constructor(
    readonly rhf: string,
    readonly year: number,
    readonly on: CalendarDate,
    readonly first: number,
  ) {
    super();
  }
}

export class OverdueMilestonesQuery extends Query<{ items: OverdueMilestone[]; totalCount: number }> {
  constructor(
    readonly on: CalendarDate,
    readonly first: number,
    readonly rhf: string | null,
  ) {
    super();
  }
}
