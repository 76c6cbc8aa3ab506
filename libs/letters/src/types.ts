import type { AssignData, CalendarDate, OrganisationRef, PlannedMilestone, RhfId } from '#domain';
import type { DateKind } from './dates.js';

/** A main letter, a supplement, or the protocol of a foretaksmøte (its oppdrag are the meeting's decisions). */
export type LetterKind = 'hoveddokument' | 'tilleggsdokument' | 'foretaksprotokoll';

/** A hovedmål (main goal) section of a letter. */
export interface LetterSection {
  readonly number: number | null;
  readonly title: string;
}

/** Where in the input an oppdrag stands (1-based, inclusive line numbers). */
export interface OppdragSource {
  readonly lineStart: number;
  readonly lineEnd: number;
  readonly section: LetterSection | null;
  /** The list heading or sub-heading it stands under ("Oppdrag 2024", "Utredningsoppdrag"), or the prose heading. */
  readonly heading: string | null;
  readonly letterKind: LetterKind;
}

export interface DateEvidence {
  readonly date: CalendarDate | null;
  readonly kind: DateKind;
  readonly phrase: string;
  /** How a period (year, month, season) became a day, when it did. */
  readonly convention: string | null;
}

export interface OppdragEvidence {
  /** The phrase that names whom the task is addressed to. */
  readonly subject: string | null;
  /** The phrases that name the addressees (the subject, and a next sentence that adds the recipient). */
  readonly addressees: readonly string[];
  /** The phrase that names the lead (or the addressee when it alone is addressed). */
  readonly lead: string | null;
  readonly collaborators: readonly { readonly id: string; readonly phrase: string }[];
  /** Every date the task must meet, and Årlig melding mentions (date null). */
  readonly dates: readonly DateEvidence[];
}

/** One proposed oppdrag read from a letter. */
export interface ParsedOppdrag {
  /** 1-based position among the letter's oppdrag. */
  readonly index: number;
  readonly year: number;
  readonly title: string;
  readonly description: string;
  readonly source: OppdragSource;
  /** `all` when addressed to the RHFs together, else the id of the RHF addressed. */
  readonly addressedTo: 'all' | RhfId;
  /** The RHFs that must do and report it (all four for a joint oppdrag); the lead is always one of them. */
  readonly addressees: readonly RhfId[];
  readonly lead: RhfId | null;
  readonly collaborators: readonly OrganisationRef[];
  readonly deadline: CalendarDate | null;
  readonly milestones: readonly PlannedMilestone[];
  /** How sure the reader is that this is one whole oppdrag with the right fields (0..1). */
  readonly confidence: number;
  readonly evidence: OppdragEvidence;
  /** A task stated in prose rather than under an oppdrag list heading. */
  readonly outsideList: boolean;
}

/** One letter inside the input: a file may hold a main letter, a supplement and repeated copies. */
export interface LetterPart {
  readonly kind: LetterKind;
  readonly title: string | null;
  readonly date: CalendarDate | null;
  readonly year: number;
  readonly lineStart: number;
  readonly lineEnd: number;
  /** Index of an earlier part this one repeats (its oppdrag are then not counted again), or null. */
  readonly repeats: number | null;
}

export interface ParsedLetter {
  /** How the letter is named in source references: the file name when given, else a synthesised name. */
  readonly letterId: string;
  readonly fileName: string | null;
  readonly recipient: RhfId | null;
  /** The RHFs the letter is addressed to (all four for a letter sent "ifølge liste"). */
  readonly addressees: readonly RhfId[];
  readonly year: number;
  readonly kind: LetterKind;
  readonly date: CalendarDate | null;
  readonly parts: readonly LetterPart[];
  readonly hovedmal: readonly LetterSection[];
  readonly oppdrag: readonly ParsedOppdrag[];
  readonly lineCount: number;
  readonly warnings: readonly string[];
}

export interface PlannedEvidence extends OppdragEvidence {
  readonly addressedTo: 'all' | RhfId;
  readonly outsideList: boolean;
  /** How many letter passages were merged into this oppdrag. */
  readonly passages: number;
}

/** The data of an `AssignOppdrag` command, with the addressees the letters name, how sure the reader is and why. */
export type PlannedOppdrag = AssignData & {
  /**
   * The RHFs that must do and report it: the union over every letter it stands in (a joint oppdrag read from
   * one region's letter already names all four); the lead is always one of them.
   */
  readonly addressees: readonly RhfId[];
  readonly confidence: number;
  readonly evidence: PlannedEvidence;
};

export interface LetterSummary {
  readonly letter: string;
  readonly recipient: RhfId | null;
  readonly year: number;
  readonly kind: LetterKind;
  readonly date: CalendarDate | null;
  readonly parts: number;
  readonly oppdrag: number;
}

/** What importing a set of letters would assign: one planned oppdrag per task, joint tasks once. */
export interface ImportPlan {
  readonly letters: readonly LetterSummary[];
  readonly oppdrag: readonly PlannedOppdrag[];
  readonly warnings: readonly string[];
}
