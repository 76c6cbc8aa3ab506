/**
 * Reading the Ministry of Health's assignment letters (oppdragsdokument, tilleggsdokument) into proposed
 * oppdrag, and merging several letters into one import plan. Pure: no I/O, no framework.
 */
export { parseLetter, type ParseOptions } from './parse-letter.js';
export { mergeLetters, toAssignData, oppdragIdFor } from './merge.js';
export { LetterError, MAX_LETTER_BYTES, type LetterErrorRule } from './errors.js';
export { readPdfText, isPdf, MAX_PDF_BYTES } from './pdf.js';
export { findDeadlines, classifyDate, type DateKind, type FoundDate, type DateContext } from './dates.js';
export { findSubject, findLeadPhrases, findCollaborators, decideLead, decideAddressees } from './analyse.js';
export { fnv1a32, fingerprint } from './hash.js';
export type {
  DateEvidence,
  ImportPlan,
  LetterKind,
  LetterPart,
  LetterSection,
  LetterSummary,
  OppdragEvidence,
  OppdragSource,
  ParsedLetter,
  ParsedOppdrag,
  PlannedEvidence,
  PlannedOppdrag,
} from './types.js';
