// @ts-check
// The GraphQL documents the dashboard sends. Page sizes are kept small enough for the API's
// complexity limit (a list costs its page size times the fields asked for). Each is typed with the shape
// of its answer (types.js), which gql() and the live client return.

/** @import { AnnualReportLinkAnswer, AsOfAnswer, AuditTrailAnswer, CalendarFeedsAnswer, ChartsAnswer, CommitLettersAnswer, CreateCalendarFeedAnswer, Document, FacetsAnswer, HistoryAnswer, ListAnswer, MeAnswer, MutationResult, MyPartsAnswer, OnChangeAnswer, OnOverdueAnswer, OppdragAnswer, PreviewLetterAnswer, RevokeCalendarFeedAnswer, StartAnswer, StillOwesAnswer, SummaryAnswer } from './types.js' */

const ORG = 'id name shortName kind';

const ROW = `
  id title year status overdue daysOverdue reportedLate
  effectiveDeadline statedDeadline deadlineSource
  lead { id shortName name }
  addressees { id shortName }
  collaborators { id shortName }
  hovedmal { number }
  nextDue { date what }`;

const SMALL_ROW = 'id title status effectiveDeadline daysOverdue lead { shortName }';

export const ME = /** @type {Document<MeAnswer>} */ (
  `query Me { me { userId name role organisation { ${ORG} } } }`
);

/** The server's today (the day `overdue` judges by) and the organisation registry. */
export const START = /** @type {Document<StartAnswer>} */ (
  `query Start { overdue(first: 1) { on } organisations { ${ORG} } }`
);

export const FACETS = /** @type {Document<FacetsAnswer>} */ (
  `query Facets($after: String) {
  oppdragList(first: 100, after: $after) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { year hovedmal { number title } }
  }
}`
);

export const SUMMARY = /** @type {Document<SummaryAnswer>} */ (
  `query Summary($year: Int, $withMine: Boolean!) {
  workload(year: $year) {
    organisation { id shortName name } parts leads collaboratesOn open overdue reportedLate
  }
  overdue(first: 50) { on totalCount oppdrag { ${SMALL_ROW} } }
  overdueMilestones: overdue(first: 1) {
    milestonesTotalCount
    # rhf: null is passed on purpose: the API answers an internal error when it is left out.
    milestones(first: 20, rhf: null) { daysOverdue oppdrag { id title } milestone { id title dueDate } }
  }
  soon: oppdragList(filter: { dueWithinDays: 30 }, first: 50) { totalCount nodes { ${SMALL_ROW} } }
  mine: myParts(year: $year, first: 50) @include(if: $withMine) {
    totalCount
    items {
      involvement dueDate overdue
      oppdrag { id title }
      part { status }
      overdueMilestones { id }
    }
  }
}`
);

export const LIST = /** @type {Document<ListAnswer>} */ (
  `query List($filter: OppdragFilterInput, $first: Int!, $after: String) {
  oppdragList(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { ${ROW} }
  }
}`
);

const FULL = `
  id year title description status overdue daysOverdue reportedLate revision
  hovedmal { number title }
  sources { letter recipient letterKind sectionNumber sectionTitle heading lineStart lineEnd }
  lead { ${ORG} }
  collaborators { ${ORG} }
  addressees { ${ORG} }
  parts {
    organisation { id name shortName } lead status startedOn reportedOn documentRef summary
    owes dueDate overdue reportedLate
  }
  overdueParts { organisation { id } }
  allowedActions
  statedDeadline effectiveDeadline deadlineSource deadlinePassedOn
  nextDue { date what }
  milestones {
    id kind title dueDate reportedOn documentRef late overdue
    reports { organisation { id name shortName } reportedOn documentRef note late }
  }
  startedOn reportedOn documentRef
  closed { outcome closedOn reason supersededBy }
  lastChange { type at actorName actorOrganisation }`;

export const OPPDRAG = /** @type {Document<OppdragAnswer>} */ (
  `query Oppdrag($id: ID!) { oppdrag(id: $id) { ${FULL} } }`
);

export const HISTORY = /** @type {Document<HistoryAnswer>} */ (
  `query History($id: ID!, $from: Int!) {
  history(id: $id, fromRevision: $from, first: 100) {
    totalCount hasMore
    entries {
      revision position eventId type recordedAt reason data
      commandId commandType correlationId causationId
      actor { userId name role organisationId }
    }
  }
}`
);

export const AS_OF = /** @type {Document<AsOfAnswer>} */ (
  `query AsOf($id: ID!, $instant: String!) {
  oppdragAsOf(id: $id, instant: $instant) {
    asOf existed revision
    oppdrag {
      id title status revision reportedLate
      lead { shortName name } collaborators { shortName name }
      statedDeadline effectiveDeadline deadlineSource
      milestones { id title dueDate reportedOn documentRef }
      startedOn reportedOn documentRef
      closed { outcome closedOn reason supersededBy }
      parts { organisation { id shortName } status startedOn reportedOn documentRef }
      lastChange { type at actorName }
    }
  }
}`
);

const RESULT = `revision events duplicate oppdrag { id revision status }`;

/**
 * A command's document: its answer is the command's result under the command's name.
 * @param {string} name
 * @param {string} type the input type
 * @returns {Document<Record<string, MutationResult>>}
 */
const mutation = (name, type) =>
  `mutation ${name.charAt(0).toUpperCase()}${name.slice(1)}($input: ${type}!) { ${name}(input: $input) { ${RESULT} } }`;

export const MUTATIONS = {
  assignOppdrag: mutation('assignOppdrag', 'AssignOppdragInput'),
  startOppdrag: mutation('startOppdrag', 'StartOppdragInput'),
  recordMilestone: mutation('recordMilestone', 'RecordMilestoneInput'),
  reportOppdrag: mutation('reportOppdrag', 'ReportOppdragInput'),
  reopenOppdrag: mutation('reopenOppdrag', 'ReopenOppdragInput'),
  closeOppdrag: mutation('closeOppdrag', 'CloseOppdragInput'),
  changeDeadline: mutation('changeDeadline', 'ChangeDeadlineInput'),
  reassignLead: mutation('reassignLead', 'ReassignLeadInput'),
  addCollaborator: mutation('addCollaborator', 'AddCollaboratorInput'),
  removeCollaborator: mutation('removeCollaborator', 'RemoveCollaboratorInput'),
  addAddressee: mutation('addAddressee', 'AddresseeInput'),
  removeAddressee: mutation('removeAddressee', 'AddresseeInput'),
  correctDetails: mutation('correctDetails', 'CorrectDetailsInput'),
  addMilestone: mutation('addMilestone', 'AddMilestoneInput'),
  changeMilestone: mutation('changeMilestone', 'ChangeMilestoneInput'),
  removeMilestone: mutation('removeMilestone', 'RemoveMilestoneInput'),
};

const PART = 'status startedOn reportedOn documentRef owes dueDate overdue lead reportedLate';

/** An RHF's own parts (led, addressed to it, collaborating), soonest due first. */
export const MY_PARTS = /** @type {Document<MyPartsAnswer>} */ (
  `query MyParts($year: Int, $after: String) {
  myParts(year: $year, first: 50, after: $after) {
    organisation { id name shortName } totalCount
    pageInfo { endCursor hasNextPage }
    items {
      involvement dueDate overdue
      oppdrag { id title year status lead { id shortName } addressees { id } nextDue { date what } }
      part { ${PART} }
      overdueMilestones { id title dueDate }
    }
  }
}`
);

/** What an RHF still owes for one year's letters before its Årlig melding. */
export const STILL_OWES = /** @type {Document<StillOwesAnswer>} */ (
  `query StillOwes($year: Int!) {
  stillOwes(year: $year, first: 100) {
    organisation { id name shortName } year annualReportDate totalCount
    items { what dueDate overdue oppdrag { id title } milestone { id title } }
  }
}`
);

const CHANGE = `eventType recordedAt oppdrag {
  id title status revision overdue
  lead { id shortName }
  lastChange { type at actorName actorOrganisation }
}`;

export const ON_CHANGE = /** @type {Document<OnChangeAnswer>} */ (
  `subscription OnChange { oppdragChanged { ${CHANGE} } }`
);
export const ON_OVERDUE = /** @type {Document<OnOverdueAnswer>} */ (
  `subscription OnOverdue { oppdragBecameOverdue { ${CHANGE} } }`
);

export const PREVIEW_LETTER = /** @type {Document<PreviewLetterAnswer>} */ (
  `mutation PreviewLetter($letters: [LetterInput!]!) {
  previewLetter(letters: $letters) {
    letters { letter recipient year kind date oppdrag }
    warnings
    oppdrag {
      oppdragId year title description hovedmalNumber hovedmalTitle addressedTo
      lead { id shortName name } collaborators { id shortName name }
      deadline milestones { id kind title dueDate }
      confidence leadEvidence dateEvidence { date kind phrase convention }
      alreadyAssigned
    }
  }
}`
);

export const COMMIT_LETTERS = /** @type {Document<CommitLettersAnswer>} */ (
  `mutation CommitLetters($letters: [LetterInput!]!, $ids: [ID!]) {
  commitLetterImport(letters: $letters, oppdragIds: $ids) { assigned unchanged refused { oppdragId code message } }
}`
);

export const CREATE_ANNUAL_REPORT_LINK = /** @type {Document<AnnualReportLinkAnswer>} */ (
  `mutation AnnualReportLink($year: Int!, $rhf: String, $format: ExportFormat) {
  createAnnualReportLink(year: $year, rhf: $rhf, format: $format) { url expiresAt fileName }
}`
);

export const CHARTS = /** @type {Document<ChartsAnswer>} */ (
  `query Charts($year: Int, $rhf: ID) {
  charts(year: $year, rhf: $rhf) {
    year on rhf { id shortName }
    parts { organisation { id shortName } open reported overdue }
    overdueByMonth { month on complete count }
  }
}`
);

export const AUDIT_TRAIL = /** @type {Document<AuditTrailAnswer>} */ (
  `query AuditTrail($filter: AuditFilterInput, $first: Int!, $after: String) {
  auditTrail(filter: $filter, first: $first, after: $after) {
    endCursor hasNextPage
    entries { position oppdragId revision eventId type recordedAt commandId correlationId data
      actor { userId name role organisationId } }
  }
}`
);

const FEED = 'feedId rhf { id shortName } createdAt revokedAt path';
export const CALENDAR_FEEDS = /** @type {Document<CalendarFeedsAnswer>} */ (
  `query CalendarFeeds { calendarFeeds { ${FEED} } }`
);
export const CREATE_CALENDAR_FEED = /** @type {Document<CreateCalendarFeedAnswer>} */ (
  `mutation CreateCalendarFeed($rhf: ID) { createCalendarFeed(rhf: $rhf) { ${FEED} } }`
);
export const REVOKE_CALENDAR_FEED = /** @type {Document<RevokeCalendarFeedAnswer>} */ (
  `mutation RevokeCalendarFeed($feedId: ID!) { revokeCalendarFeed(feedId: $feedId) { ${FEED} } }`
);
