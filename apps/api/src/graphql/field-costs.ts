/**
 * What each root field costs, for the complexity limit (see `limits.ts`). A field's own cost reflects the
 * work its resolver does, from its arguments and the size of the read models; what it returns (a page of
 * `first` items and their fields) is counted on top by the limit. One unit is roughly the work of
 * answering a cheap field; a scan walks every oppdrag summary at about a hundred per unit.
 */

/** What a cost may depend on besides the field's arguments. */
export interface CostContext {
  /** How many oppdrag the read models hold: the length of a scan of every summary. */
  readonly oppdrag: number;
}

export interface RootFieldCost {
  /** The work of the field itself, from its (coerced) arguments. */
  readonly cost: (args: Readonly<Record<string, unknown>>, context: CostContext) => number;
  /** A costly field: one request may ask for it at most this many times (by alias). */
  readonly perRequest?: number;
  /**
   * Its resolver works on the event loop for long: it takes turns with others (see `turns.ts`). The
   * letter mutations are not marked: they take a turn per letter instead.
   */
  readonly inTurns?: true;
}

/** A scan of every summary. */
const scan = (context: CostContext): number => Math.ceil(context.oppdrag / 100);

/** Whether a filter asks for free text, which no index answers: every summary's text is searched. */
function searchesText(args: Readonly<Record<string, unknown>>): boolean {
  const filter = args.filter as { text?: unknown } | null | undefined;
  return typeof filter?.text === 'string' && filter.text.trim() !== '';
}

/** Reading letters costs per letter and per KiB of text. */
function letterWork(args: Readonly<Record<string, unknown>>): number {
  const letters = Array.isArray(args.letters) ? (args.letters as Array<{ text?: unknown }>) : [];
  const bytes = letters.reduce((sum, l) => sum + (typeof l.text === 'string' ? l.text.length : 0), 0);
  return 20 * letters.length + Math.ceil(bytes / 1024);
}

/** A command: load and fold a stream, append, wait for the read models. */
const COMMAND: RootFieldCost = { cost: () => 20, perRequest: 20 };

/** Every root field by `Type.field`. A root field without an entry fails a test: give it a cost. */
export const ROOT_FIELD_COSTS: Readonly<Record<string, RootFieldCost>> = {
  'Query.me': { cost: () => 1 },
  'Query.organisations': { cost: () => 1 },
  'Query.oppdrag': { cost: () => 2 },
  'Query.oppdragList': {
    cost: (args, c) => 5 + (searchesText(args) ? scan(c) : 0),
    perRequest: 10,
    inTurns: true,
  },
  'Query.whoLeadsWhat': {
    cost: (args, c) => 10 + (searchesText(args) ? scan(c) : 0),
    perRequest: 5,
    inTurns: true,
  },
  // Its milestones (resolved only when asked for) scan every summary's unmet milestones.
  'Query.overdue': { cost: (_args, c) => 10 + scan(c), perRequest: 10, inTurns: true },
  // An RHF's parts and what it owes: a scan of every summary, then a sort of its own.
  'Query.myParts': { cost: (_args, c) => 10 + scan(c), perRequest: 5, inTurns: true },
  'Query.stillOwes': { cost: (_args, c) => 10 + scan(c), perRequest: 5, inTurns: true },
  'Query.workload': { cost: (_args, c) => 10 + scan(c), perRequest: 5, inTurns: true },
  // Reads from the event store.
  'Query.history': { cost: () => 20, perRequest: 10, inTurns: true },
  // Reads and folds a whole stream up to the instant.
  'Query.oppdragAsOf': { cost: () => 50, perRequest: 10, inTurns: true },
  // An SQLite query over the audit index, then the events of the page from the store.
  'Query.auditTrail': { cost: () => 20, perRequest: 5, inTurns: true },
  // The parts scan every summary; the monthly line scans them again and reads and folds each stream
  // changed since it was last asked (every stream, the first time after a start: it yields to the event
  // loop every 10 ms meanwhile). Counted as two scans, so that it stays answerable at a million events.
  'Query.charts': { cost: (_args, c) => 20 + 2 * scan(c), perRequest: 1, inTurns: true },
  // Reads (and for the mutations appends to) the asking user's own feed stream.
  'Query.calendarFeeds': { cost: () => 5 },
  'Mutation.createCalendarFeed': COMMAND,
  'Mutation.revokeCalendarFeed': COMMAND,
  // The Årlig melding sheet: a scan of every summary, then each row's view read and its parts judged.
  'Query.annualReport': { cost: (_args, c) => 20 + 2 * scan(c), perRequest: 2, inTurns: true },
  // Signs a link; the file is made when the link is used.
  'Mutation.createAnnualReportLink': { cost: () => 2, perRequest: 4 },
  'Mutation.previewLetter': { cost: (args) => 20 + letterWork(args), perRequest: 2 },
  'Mutation.commitLetterImport': { cost: (args) => 100 + 2 * letterWork(args), perRequest: 1 },
  'Mutation.assignOppdrag': COMMAND,
  'Mutation.startOppdrag': COMMAND,
  'Mutation.recordMilestone': COMMAND,
  'Mutation.reportOppdrag': COMMAND,
  'Mutation.reopenOppdrag': COMMAND,
  'Mutation.closeOppdrag': COMMAND,
  'Mutation.changeDeadline': COMMAND,
  'Mutation.reassignLead': COMMAND,
  'Mutation.addCollaborator': COMMAND,
  'Mutation.removeCollaborator': COMMAND,
  'Mutation.addAddressee': COMMAND,
  'Mutation.removeAddressee': COMMAND,
  'Mutation.correctDetails': COMMAND,
  'Mutation.addMilestone': COMMAND,
  'Mutation.changeMilestone': COMMAND,
  'Mutation.removeMilestone': COMMAND,
  // A subscription's cost is paid per event it delivers, not here.
  'Subscription.oppdragChanged': { cost: () => 1 },
  'Subscription.oppdragBecameOverdue': { cost: () => 1 },
};

/** Arguments the costs above (and the page sizes) read: a variable given for one can change the cost. */
export const COST_ARGUMENTS: ReadonlySet<string> = new Set(['first', 'limitPerLead', 'filter', 'letters']);
