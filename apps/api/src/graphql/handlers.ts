import { Inject } from '@nestjs/common';
import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { loadOppdrag } from '#application';
import { OppdragRuntime } from '../infrastructure/runtime.js';
import {
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
} from './messages.js';

@CommandHandler(ExecuteOppdragCommand)
export class ExecuteOppdragHandler implements ICommandHandler<ExecuteOppdragCommand> {
  constructor(@Inject(OppdragRuntime) private readonly runtime: OppdragRuntime) {}
  execute(message: ExecuteOppdragCommand) {
    return this.runtime.execute(message.command, message.metadata, message.options);
  }
}

@QueryHandler(GetOppdragQuery)
export class GetOppdragHandler implements IQueryHandler<GetOppdragQuery> {
  constructor(@Inject(OppdragRuntime) private readonly runtime: OppdragRuntime) {}
  execute(query: GetOppdragQuery) {
    return Promise.resolve(this.runtime.queries.byId(query.id));
  }
}

@QueryHandler(ListOppdragQuery)
export class ListOppdragHandler implements IQueryHandler<ListOppdragQuery> {
  constructor(@Inject(OppdragRuntime) private readonly runtime: OppdragRuntime) {}
  execute(q: ListOppdragQuery) {
    return Promise.resolve(this.runtime.queries.list(q.filter, q.today, q.first, q.after));
  }
}

@QueryHandler(WhoLeadsWhatQuery)
export class WhoLeadsWhatHandler implements IQueryHandler<WhoLeadsWhatQuery> {
  constructor(@Inject(OppdragRuntime) private readonly runtime: OppdragRuntime) {}
  execute(q: WhoLeadsWhatQuery) {
    return Promise.resolve(this.runtime.queries.whoLeadsWhat(q.filter, q.today, q.limitPerLead));
  }
}

@QueryHandler(OverdueQuery)
export class OverdueHandler implements IQueryHandler<OverdueQuery> {
  constructor(@Inject(OppdragRuntime) private readonly runtime: OppdragRuntime) {}
  execute(q: OverdueQuery) {
    return Promise.resolve(this.runtime.queries.overdueOn(q.on, q.first));
  }
}

@QueryHandler(WorkloadQuery)
export class WorkloadHandler implements IQueryHandler<WorkloadQuery> {
  constructor(@Inject(OppdragRuntime) private readonly runtime: OppdragRuntime) {}
  execute(q: WorkloadQuery) {
    return Promise.resolve(this.runtime.queries.workload(q.on, q.year));
  }
}

/** History and as-of answers come from the stream itself, never from the read model. */
@QueryHandler(HistoryQuery)
export class HistoryHandler implements IQueryHandler<HistoryQuery> {
  constructor(@Inject(OppdragRuntime) private readonly runtime: OppdragRuntime) {}
  async execute(q: HistoryQuery) {
    const loaded = await loadOppdrag(this.runtime.store, q.oppdragId);
    return {
      entries: loaded.events.filter((e) => e.revision >= q.fromRevision).slice(0, q.first),
      totalCount: loaded.events.length,
    };
  }
}

@QueryHandler(OppdragAsOfQuery)
export class OppdragAsOfHandler implements IQueryHandler<OppdragAsOfQuery> {
  constructor(@Inject(OppdragRuntime) private readonly runtime: OppdragRuntime) {}
  async execute(q: OppdragAsOfQuery) {
    const loaded = await loadOppdrag(this.runtime.store, q.oppdragId, { asOf: q.asOf });
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
  constructor(@Inject(OppdragRuntime) private readonly runtime: OppdragRuntime) {}
  execute(q: AuditTrailQuery) {
    return this.runtime.auditTrail.query({ ...q.filter, afterPosition: q.afterPosition, limit: q.limit });
  }
}

@QueryHandler(MyPartsQuery)
export class MyPartsHandler implements IQueryHandler<MyPartsQuery> {
  constructor(@Inject(OppdragRuntime) private readonly runtime: OppdragRuntime) {}
  execute(q: MyPartsQuery) {
    return Promise.resolve(this.runtime.queries.partsOf(q.rhf, q.on, q.options));
  }
}

@QueryHandler(StillOwesQuery)
export class StillOwesHandler implements IQueryHandler<StillOwesQuery> {
  constructor(@Inject(OppdragRuntime) private readonly runtime: OppdragRuntime) {}
  execute(q: StillOwesQuery) {
    return Promise.resolve(this.runtime.queries.stillOwes(q.rhf, q.year, q.on, q.first));
  }
}

@QueryHandler(OverdueMilestonesQuery)
export class OverdueMilestonesHandler implements IQueryHandler<OverdueMilestonesQuery> {
  constructor(@Inject(OppdragRuntime) private readonly runtime: OppdragRuntime) {}
  execute(q: OverdueMilestonesQuery) {
    return Promise.resolve(this.runtime.queries.overdueMilestonesOn(q.on, q.first, q.rhf));
  }
}

export const CQRS_HANDLERS = [
  MyPartsHandler,
  StillOwesHandler,
  OverdueMilestonesHandler,
  ExecuteOppdragHandler,
  GetOppdragHandler,
  ListOppdragHandler,
  WhoLeadsWhatHandler,
  OverdueHandler,
  WorkloadHandler,
  HistoryHandler,
  OppdragAsOfHandler,
  AuditTrailHandler,
];
