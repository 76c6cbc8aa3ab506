import { Inject } from '@nestjs/common';
import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { assignPlanned, loadOppdrag, OppdragCommandHandler } from '#application';
import type { EventStore } from '#event-store';
import { AuditTrail, OppdragProjector, OppdragQueries } from '#projections';
import { EVENT_STORE } from '../infrastructure/runtime.js';
import { Writes } from '../infrastructure/writes.js';
import {
  AssignPlannedCommand,
  AuditTrailQuery,
  ExecuteOppdragCommand,
  GetOppdragQuery,
  HistoryQuery,
  ListOppdragQuery,
  MyPartsQuery,
  OppdragAsOfQuery,
  OverdueMilestonesQuery,
  OverdueQuery,
  StillOwesQuery,
  WhoLeadsWhatQuery,
  WorkloadQuery,
  type ExecutedCommand,
} from './messages.js';

/**
 * Handles an oppdrag command (load, decide, append) and answers once this instance's read models include
 * its events, with the oppdrag as they show it.
 */
@CommandHandler(ExecuteOppdragCommand)
export class ExecuteOppdragHandler implements ICommandHandler<ExecuteOppdragCommand> {
  constructor(
    @Inject(OppdragCommandHandler) private readonly handler: OppdragCommandHandler,
    @Inject(Writes) private readonly writes: Writes,
    @Inject(OppdragProjector) private readonly projector: OppdragProjector,
  ) {}

  async execute({ command, metadata, options }: ExecuteOppdragCommand): Promise<ExecutedCommand> {
    const result = await this.writes.run(
      () => this.handler.handle(command, metadata, options),
      (r) => r.position,
      'the command was recorded but the read models did not catch up in time; send it again with the same commandId for the answer',
    );
    return { ...result, view: this.projector.view(result.oppdragId) };
  }
}

/** Assigns the oppdrag planned from letters and answers once the read models include what was written. */
@CommandHandler(AssignPlannedCommand)
export class AssignPlannedHandler implements ICommandHandler<AssignPlannedCommand> {
  constructor(
    @Inject(OppdragCommandHandler) private readonly handler: OppdragCommandHandler,
    @Inject(Writes) private readonly writes: Writes,
  ) {}

  execute({ planned, actor, correlationId }: AssignPlannedCommand) {
    return this.writes.run(
      () => assignPlanned(this.handler, planned, actor, correlationId),
      (outcome) => outcome.lastPosition,
      'the import was recorded but the read models did not catch up in time; send it again for the answer',
    );
  }
}

@QueryHandler(GetOppdragQuery)
export class GetOppdragHandler implements IQueryHandler<GetOppdragQuery> {
  constructor(@Inject(OppdragQueries) private readonly queries: OppdragQueries) {}
  execute(query: GetOppdragQuery) {
    return Promise.resolve(this.queries.byId(query.id));
  }
}

@QueryHandler(ListOppdragQuery)
export class ListOppdragHandler implements IQueryHandler<ListOppdragQuery> {
  constructor(@Inject(OppdragQueries) private readonly queries: OppdragQueries) {}
  execute(q: ListOppdragQuery) {
    return Promise.resolve(this.queries.list(q.filter, q.today, q.first, q.after));
  }
}

@QueryHandler(WhoLeadsWhatQuery)
export class WhoLeadsWhatHandler implements IQueryHandler<WhoLeadsWhatQuery> {
  constructor(@Inject(OppdragQueries) private readonly queries: OppdragQueries) {}
  execute(q: WhoLeadsWhatQuery) {
    return Promise.resolve(this.queries.whoLeadsWhat(q.filter, q.today, q.limitPerLead));
  }
}

@QueryHandler(OverdueQuery)
export class OverdueHandler implements IQueryHandler<OverdueQuery> {
  constructor(@Inject(OppdragQueries) private readonly queries: OppdragQueries) {}
  execute(q: OverdueQuery) {
    return Promise.resolve(this.queries.overdueOn(q.on, q.first));
  }
}

@QueryHandler(WorkloadQuery)
export class WorkloadHandler implements IQueryHandler<WorkloadQuery> {
  constructor(@Inject(OppdragQueries) private readonly queries: OppdragQueries) {}
  execute(q: WorkloadQuery) {
    return Promise.resolve(this.queries.workload(q.on, q.year));
  }
}

/** History and as-of answers come from the stream itself, never from the read model. */
@QueryHandler(HistoryQuery)
export class HistoryHandler implements IQueryHandler<HistoryQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async execute(q: HistoryQuery) {
    const loaded = await loadOppdrag(this.store, q.oppdragId);
    return {
      entries: loaded.events.filter((e) => e.revision >= q.fromRevision).slice(0, q.first),
      totalCount: loaded.events.length,
    };
  }
}

@QueryHandler(OppdragAsOfQuery)
export class OppdragAsOfHandler implements IQueryHandler<OppdragAsOfQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async execute(q: OppdragAsOfQuery) {
    const loaded = await loadOppdrag(this.store, q.oppdragId, { asOf: q.asOf });
    const lastEvent = loaded.events[loaded.events.length - 1] ?? null;
    return {
      oppdrag: loaded.state.status === 'initial' ? null : loaded.state,
      revision: loaded.revision === 'no_stream' ? null : loaded.revision,
      lastEvent,
    };
  }
}

@QueryHandler(AuditTrailQuery)
export class AuditTrailHandler implements IQueryHandler<AuditTrailQuery> {
  constructor(@Inject(AuditTrail) private readonly auditTrail: AuditTrail) {}
  execute(q: AuditTrailQuery) {
    return this.auditTrail.query({ ...q.filter, afterPosition: q.afterPosition, limit: q.limit });
  }
}

@QueryHandler(MyPartsQuery)
export class MyPartsHandler implements IQueryHandler<MyPartsQuery> {
  constructor(@Inject(OppdragQueries) private readonly queries: OppdragQueries) {}
  execute(q: MyPartsQuery) {
    return Promise.resolve(this.queries.partsOf(q.rhf, q.on, q.options));
  }
}

@QueryHandler(StillOwesQuery)
export class StillOwesHandler implements IQueryHandler<StillOwesQuery> {
  constructor(@Inject(OppdragQueries) private readonly queries: OppdragQueries) {}
  execute(q: StillOwesQuery) {
    return Promise.resolve(this.queries.stillOwes(q.rhf, q.year, q.on, q.first));
  }
}

@QueryHandler(OverdueMilestonesQuery)
export class OverdueMilestonesHandler implements IQueryHandler<OverdueMilestonesQuery> {
  constructor(@Inject(OppdragQueries) private readonly queries: OppdragQueries) {}
  execute(q: OverdueMilestonesQuery) {
    return Promise.resolve(this.queries.overdueMilestonesOn(q.on, q.first, q.rhf));
  }
}

export const CQRS_HANDLERS = [
  MyPartsHandler,
  StillOwesHandler,
  OverdueMilestonesHandler,
  ExecuteOppdragHandler,
  AssignPlannedHandler,
  GetOppdragHandler,
  ListOppdragHandler,
  WhoLeadsWhatHandler,
  OverdueHandler,
  WorkloadHandler,
  HistoryHandler,
  OppdragAsOfHandler,
  AuditTrailHandler,
];
