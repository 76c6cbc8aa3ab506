// @ts-check
// The shapes the dashboard works with, for the type check only (this module exports nothing at run
// time). The API's answers are typed from schema.gql, and only with the fields that the documents in
// queries.js ask for: a view that reads a field its query does not ask for fails the type check.

export {};

/**
 * A GraphQL document whose answer (`data`) is `TData`. At run time it is the document's text; the type
 * carries the answer's shape, so that gql() and the live client return it typed.
 * @template TData
 * @typedef {string & { readonly __answer?: TData }} Document
 */

// Enums, by their names as GraphQL sends them.

/** @typedef {'ASSIGNED' | 'STARTED' | 'REPORTED' | 'CLOSED'} OppdragStatus */
/** @typedef {'ASSIGNED' | 'STARTED' | 'REPORTED'} PartStatus */
/** @typedef {'COORDINATOR' | 'RHF' | 'AUDITOR' | 'SYSTEM'} Role */
/** @typedef {'LEAD' | 'ADDRESSEE' | 'COLLABORATOR'} Involvement */
/** @typedef {'STATED' | 'ANNUAL_REPORT'} DeadlineSource */
/** @typedef {'COMPLETED' | 'WITHDRAWN' | 'SUPERSEDED' | 'CONTINUED'} CloseOutcome */

// Small shapes shared by several answers.

/** @typedef {{ id: string, name: string, shortName: string, kind: string }} Organisation */
/** @typedef {{ id: string, name: string, shortName: string }} OrganisationName */
/** @typedef {{ id: string, shortName: string }} OrganisationRef */
/** @typedef {{ endCursor: string | null, hasNextPage: boolean }} PageInfo */
/** @typedef {{ date: string, what: string }} NextDue */
/** @typedef {{ number: number | null, title: string }} Hovedmal */
/** @typedef {{ userId: string, name: string, role: Role, organisationId: string }} Actor */
/** @typedef {{ outcome: CloseOutcome, closedOn: string, reason: string | null, supersededBy: string | null }} Closure */

// ME and START.

/** @typedef {{ userId: string, name: string, role: Role, organisation: Organisation | null }} Me */
/** @typedef {{ me: Me }} MeAnswer */
/** @typedef {{ overdue: { on: string }, organisations: Organisation[] }} StartAnswer */

// The overview: FACETS, SUMMARY and LIST.
//
// Query.oppdragList is nullable in the schema only so that a refused filter nulls that field alone, with
// an error; gql() rejects every answer that has errors, so the answers it resolves to always have it.

/**
 * @typedef {{ oppdragList: { totalCount: number, pageInfo: PageInfo, nodes: Array<{ year: number, hovedmal: Hovedmal | null }> } }} FacetsAnswer
 */

/**
 * An oppdrag in the overview's short lists (SMALL_ROW).
 * @typedef {object} SmallRow
 * @property {string} id
 * @property {string} title
 * @property {OppdragStatus} status
 * @property {string} effectiveDeadline
 * @property {number} daysOverdue
 * @property {{ shortName: string } | null} lead
 */

/**
 * One RHF's workload.
 * @typedef {object} WorkloadRow
 * @property {OrganisationName} organisation
 * @property {number} parts
 * @property {number} leads
 * @property {number} collaboratesOn
 * @property {number} open
 * @property {number} overdue
 * @property {number} reportedLate
 */

/**
 * An overdue milestone in the overview.
 * @typedef {object} OverdueMilestone
 * @property {number} daysOverdue
 * @property {{ id: string, title: string }} oppdrag
 * @property {{ id: string, title: string, dueDate: string }} milestone
 */

/**
 * One of the signed-in RHF's parts in the overview.
 * @typedef {object} MinePart
 * @property {Involvement} involvement
 * @property {string | null} dueDate
 * @property {boolean} overdue
 * @property {{ id: string, title: string }} oppdrag
 * @property {{ status: PartStatus } | null} part
 * @property {Array<{ id: string }>} overdueMilestones
 */

/**
 * @typedef {object} SummaryAnswer
 * @property {WorkloadRow[]} workload
 * @property {{ on: string, totalCount: number, oppdrag: SmallRow[] }} overdue
 * @property {{ milestonesTotalCount: number, milestones: OverdueMilestone[] }} overdueMilestones
 * @property {{ totalCount: number, nodes: SmallRow[] }} soon
 * @property {{ totalCount: number, items: MinePart[] }} [mine] only when asked for (`withMine`)
 */

/**
 * An oppdrag in the overview's list (ROW).
 * @typedef {object} OppdragRow
 * @property {string} id
 * @property {string} title
 * @property {number} year
 * @property {OppdragStatus} status
 * @property {boolean} overdue
 * @property {number} daysOverdue
 * @property {boolean} reportedLate
 * @property {string} effectiveDeadline
 * @property {string | null} statedDeadline
 * @property {DeadlineSource} deadlineSource
 * @property {OrganisationName | null} lead
 * @property {OrganisationRef[]} addressees
 * @property {OrganisationRef[]} collaborators
 * @property {{ number: number | null } | null} hovedmal
 * @property {NextDue | null} nextDue
 */

/** @typedef {{ oppdragList: { totalCount: number, pageInfo: PageInfo, nodes: OppdragRow[] } }} ListAnswer */

// One oppdrag: OPPDRAG, HISTORY and AS_OF.

/**
 * @typedef {object} SourceReference
 * @property {string} letter
 * @property {string | null} recipient
 * @property {string} letterKind
 * @property {number | null} sectionNumber
 * @property {string | null} sectionTitle
 * @property {string | null} heading
 * @property {number | null} lineStart
 * @property {number | null} lineEnd
 */

/**
 * One RHF's part of an oppdrag.
 * @typedef {object} Part
 * @property {OrganisationName} organisation
 * @property {boolean} lead
 * @property {PartStatus} status
 * @property {string | null} startedOn
 * @property {string | null} reportedOn
 * @property {string | null} documentRef
 * @property {string | null} summary
 * @property {string} owes
 * @property {string} dueDate
 * @property {boolean} overdue
 * @property {boolean} reportedLate
 */

/**
 * @typedef {object} MilestoneReport
 * @property {OrganisationName} organisation
 * @property {string} reportedOn
 * @property {string} documentRef
 * @property {string | null} note
 * @property {boolean} late
 */

/**
 * @typedef {object} Milestone
 * @property {string} id
 * @property {string} kind
 * @property {string} title
 * @property {string} dueDate
 * @property {string | null} reportedOn
 * @property {string | null} documentRef
 * @property {boolean} late
 * @property {boolean} overdue
 * @property {MilestoneReport[]} reports
 */

/** @typedef {{ type: string, at: string, actorName: string, actorOrganisation: string }} LastChange */

/**
 * The oppdrag as its page shows it (FULL).
 * @typedef {object} Oppdrag
 * @property {string} id
 * @property {number} year
 * @property {string} title
 * @property {string} description
 * @property {OppdragStatus} status
 * @property {boolean} overdue
 * @property {number} daysOverdue
 * @property {boolean} reportedLate
 * @property {number} revision
 * @property {Hovedmal | null} hovedmal
 * @property {SourceReference[]} sources
 * @property {Organisation | null} lead
 * @property {Organisation[]} collaborators
 * @property {Organisation[]} addressees
 * @property {Part[]} parts
 * @property {Array<{ organisation: { id: string } }>} overdueParts
 * @property {string[]} allowedActions
 * @property {string | null} statedDeadline
 * @property {string} effectiveDeadline
 * @property {DeadlineSource} deadlineSource
 * @property {string | null} deadlinePassedOn
 * @property {NextDue | null} nextDue
 * @property {Milestone[]} milestones
 * @property {string | null} startedOn
 * @property {string | null} reportedOn
 * @property {string | null} documentRef
 * @property {Closure | null} closed
 * @property {LastChange | null} lastChange
 */

/** @typedef {{ oppdrag: Oppdrag | null }} OppdragAnswer */

/**
 * One event in an oppdrag's history.
 * @typedef {object} HistoryEntry
 * @property {number} revision
 * @property {string} position
 * @property {string} eventId
 * @property {string} type
 * @property {string} recordedAt
 * @property {string | null} reason
 * @property {string} data the event's data as JSON
 * @property {string} commandId
 * @property {string | null} commandType
 * @property {string} correlationId
 * @property {string} causationId
 * @property {Actor} actor
 */

/** @typedef {{ history: { totalCount: number, hasMore: boolean, entries: HistoryEntry[] } }} HistoryAnswer */

/**
 * The oppdrag as it stood at an instant.
 * @typedef {object} AsOfOppdrag
 * @property {string} id
 * @property {string} title
 * @property {OppdragStatus} status
 * @property {number} revision
 * @property {boolean} reportedLate
 * @property {{ shortName: string, name: string } | null} lead
 * @property {Array<{ shortName: string, name: string }>} collaborators
 * @property {string | null} statedDeadline
 * @property {string} effectiveDeadline
 * @property {DeadlineSource} deadlineSource
 * @property {Array<{ id: string, title: string, dueDate: string, reportedOn: string | null, documentRef: string | null }>} milestones
 * @property {string | null} startedOn
 * @property {string | null} reportedOn
 * @property {string | null} documentRef
 * @property {Closure | null} closed
 * @property {Array<{ organisation: OrganisationRef, status: PartStatus, startedOn: string | null, reportedOn: string | null, documentRef: string | null }>} parts
 * @property {{ type: string, at: string, actorName: string } | null} lastChange
 */

/** @typedef {{ asOf: string, existed: boolean, revision: number | null, oppdrag: AsOfOppdrag | null }} OppdragAsOf */
/** @typedef {{ oppdragAsOf: OppdragAsOf }} AsOfAnswer */

/** What a command answers (RESULT). */
/** @typedef {{ revision: number, events: string[], duplicate: boolean, oppdrag: { id: string, revision: number, status: OppdragStatus } }} MutationResult */

// Mitt RHF: MY_PARTS and STILL_OWES.

/**
 * An RHF's part as "Mitt RHF" lists it (PART).
 * @typedef {object} OwnPart
 * @property {PartStatus} status
 * @property {string | null} startedOn
 * @property {string | null} reportedOn
 * @property {string | null} documentRef
 * @property {string} owes
 * @property {string} dueDate
 * @property {boolean} overdue
 * @property {boolean} lead
 * @property {boolean} reportedLate
 */

/**
 * One of an RHF's parts, with its oppdrag.
 * @typedef {object} MyPart
 * @property {Involvement} involvement
 * @property {string | null} dueDate
 * @property {boolean} overdue
 * @property {{ id: string, title: string, year: number, status: OppdragStatus, lead: OrganisationRef | null, addressees: Array<{ id: string }>, nextDue: NextDue | null }} oppdrag
 * @property {OwnPart | null} part
 * @property {Array<{ id: string, title: string, dueDate: string }>} overdueMilestones
 */

/** @typedef {{ myParts: { organisation: OrganisationName, totalCount: number, pageInfo: PageInfo, items: MyPart[] } }} MyPartsAnswer */

/**
 * @typedef {object} OwedItem
 * @property {string} what
 * @property {string} dueDate
 * @property {boolean} overdue
 * @property {{ id: string, title: string }} oppdrag
 * @property {{ id: string, title: string } | null} milestone
 */

/** @typedef {{ organisation: OrganisationName, year: number, annualReportDate: string, totalCount: number, items: OwedItem[] }} StillOwes */
/** @typedef {{ stillOwes: StillOwes }} StillOwesAnswer */

// The live changes (CHANGE).

/**
 * @typedef {object} OppdragChange
 * @property {string} eventType
 * @property {string} recordedAt
 * @property {{ id: string, title: string, status: OppdragStatus, revision: number, overdue: boolean, lead: OrganisationRef | null, lastChange: LastChange | null }} oppdrag
 */

/** @typedef {{ oppdragChanged: OppdragChange }} OnChangeAnswer */
/** @typedef {{ oppdragBecameOverdue: OppdragChange }} OnOverdueAnswer */

// Importing letters: PREVIEW_LETTER and COMMIT_LETTERS.

/** @typedef {{ text: string, fileName: string | null }} LetterInput */
/** @typedef {{ letter: string, recipient: string | null, year: number, kind: string, date: string | null, oppdrag: number }} LetterSummary */
/** @typedef {{ date: string | null, kind: string, phrase: string, convention: string | null }} DateEvidence */

/**
 * An oppdrag the letter reader proposes.
 * @typedef {object} ProposedOppdrag
 * @property {string} oppdragId
 * @property {number} year
 * @property {string} title
 * @property {string} description
 * @property {number | null} hovedmalNumber
 * @property {string | null} hovedmalTitle
 * @property {string} addressedTo
 * @property {OrganisationName | null} lead
 * @property {OrganisationName[]} collaborators
 * @property {string | null} deadline
 * @property {Array<{ id: string, kind: string, title: string, dueDate: string }>} milestones
 * @property {number} confidence
 * @property {string | null} leadEvidence
 * @property {DateEvidence[]} dateEvidence
 * @property {boolean} alreadyAssigned
 */

/** @typedef {{ letters: LetterSummary[], warnings: string[], oppdrag: ProposedOppdrag[] }} LetterPreview */
/** @typedef {{ previewLetter: LetterPreview }} PreviewLetterAnswer */
/** @typedef {{ assigned: string[], unchanged: string[], refused: Array<{ oppdragId: string, code: string, message: string }> }} LetterImportResult */
/** @typedef {{ commitLetterImport: LetterImportResult }} CommitLettersAnswer */

// The Årlig melding file, the charts, the audit trail and the calendar feeds.

/** @typedef {{ url: string, expiresAt: string, fileName: string }} DownloadLink */
/** @typedef {{ createAnnualReportLink: DownloadLink }} AnnualReportLinkAnswer */

/** @typedef {{ organisation: OrganisationRef, open: number, reported: number, overdue: number }} PartsRow */
/** @typedef {{ month: string, on: string, complete: boolean, count: number }} MonthRow */
/** @typedef {{ year: number, on: string, rhf: OrganisationRef | null, parts: PartsRow[], overdueByMonth: MonthRow[] }} Charts */
/** @typedef {{ charts: Charts }} ChartsAnswer */

/**
 * One event in the audit trail.
 * @typedef {object} AuditEntry
 * @property {string} position
 * @property {string} oppdragId
 * @property {number} revision
 * @property {string} eventId
 * @property {string} type
 * @property {string} recordedAt
 * @property {string} commandId
 * @property {string} correlationId
 * @property {string} data the event's data as JSON
 * @property {Actor} actor
 */

/** @typedef {{ auditTrail: { endCursor: string | null, hasNextPage: boolean, entries: AuditEntry[] } }} AuditTrailAnswer */

/** @typedef {{ feedId: string, rhf: OrganisationRef | null, createdAt: string, revokedAt: string | null, path: string | null }} Feed */
/** @typedef {{ calendarFeeds: Feed[] }} CalendarFeedsAnswer */
/** @typedef {{ createCalendarFeed: Feed }} CreateCalendarFeedAnswer */
/** @typedef {{ revokeCalendarFeed: Feed }} RevokeCalendarFeedAnswer */

// The page itself.

/** @typedef {'connecting' | 'online' | 'offline' | 'refused'} LiveState */

/**
 * A live change as the overview's feed shows it.
 * @typedef {object} FeedEntry
 * @property {string} at
 * @property {string} eventType
 * @property {boolean} becameOverdue
 * @property {string} id
 * @property {string} title
 * @property {string | null} who
 */

/** The overview's year and main-goal choices. */
/** @typedef {{ years: number[], hovedmal: Array<[number, string]> }} Facets */

/**
 * What every view receives: the signed-in person, the server's today, the organisations, and the
 * page's shared state and messages. A view is only rendered once the start data has come.
 * @typedef {object} Context
 * @property {Me} me
 * @property {string | null} token
 * @property {string} today YYYY-MM-DD, the day `overdue` judges by
 * @property {Organisation[]} organisations
 * @property {FeedEntry[]} feed recent live changes, newest first
 * @property {Facets | null} facets
 * @property {LiveState} liveState
 * @property {(text: string) => void} announce
 * @property {(error: unknown, lead?: string) => void} showError
 * @property {() => void} clearError
 */

/**
 * What a rendered view offers the page.
 * @typedef {object} View
 * @property {() => void} [unmount]
 * @property {() => void} [refresh] reloads what it shows (after the live connection was away)
 * @property {(change: OppdragChange, entry: FeedEntry) => void} [onLiveChange]
 */
