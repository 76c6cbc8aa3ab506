/**
 * The structure of a letter: blocks (bullets, paragraphs, headings, letter titles) built from lines, and a
 * walk through them that knows the zones of an oppdragsdokument — preamble and hovedmål prose, "Mål 20XX"
 * goal lists, "Oppdrag 20XX" task lists with their sub-headings, the reporting section, signature and annexes —
 * and collects the passages that are oppdrag.
 */
import { isTaskLike, opensWithLeadRole, opensWithSubject } from './analyse.js';
import { rhfIdOf } from './organisations-in-text.js';
import { findDeadlines, parseStandaloneDate } from './dates.js';
import { endsSentence, isLetterTitle, stripHeadingMarkup, type Bullet, type LetterLine } from './lines.js';
import { joinWrappedLines, normaliseForMatch, splitSentences, squash } from './text.js';
import type { LetterKind, LetterSection } from './types.js';

export type HeadingType =
  | 'tasks'
  | 'goals'
  | 'reporting'
  | 'annex'
  | 'closing'
  | 'section'
  | 'generic'
  /** A part that gives the RHFs no task: another agency's oppdrag, or a protocol's formalities. */
  | 'other';

export interface HeadingInfo {
  readonly type: HeadingType;
  /** The heading as written, mark-up removed. */
  readonly text: string;
  /** The heading without its number and closing colon. */
  readonly title: string;
  /** The number path of a numbered heading ("3.1" → [3, 1]), else null. */
  readonly numbers: readonly number[] | null;
}

export interface Block {
  kind: 'bullet' | 'para' | 'heading' | 'title';
  lines: LetterLine[];
  bullet: Bullet | null;
  heading: HeadingInfo | null;
}

const VERB =
  /(?:^|\s)(?:skal|bes|er|har|vil|blir|vert|kan|må|bør|ble|vart|var|gir|gis|skulle|legges|vises|viser|fatta|fattet|gjorde)(?![\p{L}])/iu;
const CLOSING =
  /^(?:med\s+(?:vennlig\s+|vennleg\s+|venleg\s+)?(?:hilsen|helsing)|vennlig\s+hilsen|venn?leg\s+helsing)$/iu;
const ANNEX = /^(?:vedlegg|vedlegg\s*\d+|bilag|tabell\s*\d+)(?![\p{L}])/iu;
const REPORTING =
  /^(?:oppfølging\s+og\s+rapportering|rapportering\s+og\s+oppfølging|oppfølging|rapportering|rapporteringskrav|styringsdialog(?:en)?|oppfølgingsmøter?|(?:rapportering\s+i\s+)?årl[ei]g\s+melding(?:\s+(?:for\s+)?(?:19|20)\d\d)?)$/iu;
const GOALS =
  /^(?:(?:mål|måla|målene|delmål)\s+(?:for|i|med)\s+(?!(?:19|20)\d\d$)(?:(?!\s(?:er|skal|vil|blir|vert|kan|må|har)(?![\p{L}]))[^.:;]){1,50}|mål|måla|måltal|delmål|resultatmål|styringsmål|kvalitative(?:\s+mål)?|kvantitative(?:\s+mål)?|indikatorer|indikatorar|styringsparametere|styringsparametre|styringsparametrar|styringsparameter|styringsindikatorar|styringsindikatorer)(?:(?:\s+(?:for|i))?\s+(?:19|20)\d\d)?$/iu;
/** Another body's tasks ("Oppdrag til Helsedirektoratet", "Oppgåver gitt til Folkehelseinstituttet"). */
const FOREIGN_TASKS =
  /^(?:(?:andre|nye)\s+)?(?:oppdrag|oppgaver|oppgåver|tildelingsbrev|bestillinger|bestillingar)(?:\s+(?:19|20)\d\d)?\s+(?:gitt\s+|gjeve\s+|gjevne\s+)?(?:til|for)\s+(?!(?:de|dei|alle)\s+regionale|helse\s|rhf|regionane|regionene)\p{L}/iu;
/** An annex about another agency's oppdrag or letter: "Vedlegg 2 Helsedirektoratets oppdrag …". */
const OTHER_AGENCY_ANNEX =
  /^(?!.*(?:regionale\s+helse|RHF|helseføretak|helseforetak)).*(?:helsedirektorat|folkehelseinstitutt|\bFHI\b|direktorat|tilsyn|\bNav\b|tildelingsbrev)/iu;
/** The formal items of a foretaksmøte protocol: constitution, agenda, who signs, who attended. */
const FORMALITIES =
  /^(?:konstituering|opning|åpning|godkjenning\s+av\s+(?:innkalling|dagsorden|protokoll)|innkalling|dagsorden|val\s+av|valg\s+av|møteleiar|møteleder|til\s+stades|til\s+stede|frå\s+departementet|fra\s+departementet|møtt|protokollunderskrivar|protokollunderskriver|underskrift|eventuelt|orienteringssaker|orientering\s+om)(?![\p{L}])/iu;
const TASKS: readonly RegExp[] = [
  /^(?:(?:andre|nye|øvrige|øvrege|særskilte|særskilde|særlege|særlige|konkrete|felles)\s+)?(?:oppdrag|oppgaver|oppgåver|oppgåvar|styringskrav|styringsbodskap|styringsbudskap|krav|bestillinger|bestillingar)(?:\s+og\s+\p{L}+)?(?:(?:\s+(?:for|i|til|frå|fra))?\s+(?:19|20)\d\d)?$/iu,
  /^\p{L}{3,}oppdrag(?:\s+(?:19|20)\d\d)?$/iu,
  // "Oppgåver i planperioden", "Oppdrag knytt til Nasjonal helse- og sjukehusplan".
  /^(?:(?:andre|nye)\s+)?(?:oppdrag|oppgåver|oppgaver)\s+(?:i|knytt\s+til|knytte\s+til|knyttet\s+til|som\s+gjeld|som\s+gjelder)\s+(?!helse\s|(?:de|dei)\s+regionale)[^.:;]{3,60}$/iu,
  /^(?:oppdrag|oppgåver|oppgaver)\b.{0,60}(?:føre|fore)taksmøte\p{L}*(?:\s+.{0,40})?$/iu,
  /^(?:oppdrag|oppgåver|oppgaver)\s+(?:19|20)\d\d\s*[-–:]\s*.{1,60}$/iu,
];

/** Reads a line as a heading, or returns null. Knows the headings letters use and rejects sentences. */
export function headingInfo(text: string): HeadingInfo | null {
  // "Sak 3 Val av representant …", "Sak 4/20 Oppdrag og bestillingar 2020": a protocol's items are headings.
  const squashed = stripHeadingMarkup(text).replace(/\s+/g, ' ').trim();
  const sak = /^sak\s+\d{1,2}(?:\/\d{2,4})?\s*[:.–-]?\s+(?=\p{Lu})/iu.exec(squashed);
  const t = sak ? squashed.slice(sak[0].length) : squashed;
  if (t.length < 2 || t.length > 130 || parseStandaloneDate(t)) return null;
  const numbered =
    /^(\d{1,2}(?:\.\d{1,2}){0,2})\.?\s+(\p{Lu}.*)$/u.exec(t) ??
    /^(?:hovedmål|hovudmål)\s+(\d{1,2})\s*[:.–-]?\s+(\p{Lu}.*)$/iu.exec(t);
  const body = (numbered?.[2] ?? t).replace(/\s*[:.]\s*$/, '').trim();
  const numbers = numbered?.[1] ? numbered[1].split('.').map(Number) : null;
  const make = (type: HeadingType): HeadingInfo => ({ type, text: t, title: body, numbers });
  if (body.length <= 100) {
    if (CLOSING.test(body)) return make('closing');
    if (FOREIGN_TASKS.test(body) || (FORMALITIES.test(body) && !VERB.test(body))) return make('other');
    if (ANNEX.test(body)) return make('annex');
    if (REPORTING.test(body)) return make('reporting');
    if (GOALS.test(body)) return make('goals');
    if (TASKS.some((re) => re.test(body))) return make('tasks');
  }
  // A numbered heading may end with a full stop ("2. Prioritere psykisk helsevern."): PDF letters repeat the
  // hovedmål as written in their list. Any other heading ending in a stop or comma is a sentence.
  const stopped = numbered
    ? /[;,]$/.test(t) || (/\.$/.test(t) && body.split(' ').length > 12)
    : /[.;,]$/.test(t);
  // Any other item of a protocol ("Sak 5 Årleg melding 2019") is a section of its own.
  if (sak && !/[.;]$/.test(t)) return make('section');
  if (stopped || !/^[\p{Lu}\d]/u.test(t) || VERB.test(body)) return null;
  if (numbered) {
    if (body.split(' ').length > 16) return null;
    return make('section');
  }
  if (body.includes(',') || body.split(' ').length > 10) return null;
  return make('generic');
}

function firstUsefulLine(lines: readonly LetterLine[], from: number, step: 1 | -1): LetterLine | null {
  for (let i = from; i >= 0 && i < lines.length; i += step) {
    const l = lines[i];
    if (l && l.kind !== 'blank' && l.kind !== 'furniture') return l;
  }
  return null;
}

/** A numbered line in a run of numbered lines (1, 2, 3 …) is a list item, not a heading. */
function inNumberedRun(lines: readonly LetterLine[], index: number, number: number): boolean {
  const prev = firstUsefulLine(lines, index - 1, -1);
  const next = firstUsefulLine(lines, index + 1, 1);
  const isNeighbour = (l: LetterLine | null, n: number) =>
    l?.bullet?.glyph === 'number' && l.bullet.number === n && l.text.length <= 130;
  return isNeighbour(prev, number - 1) || isNeighbour(next, number + 1);
}

/** Groups lines into blocks. PDF artefacts are repaired: a paragraph split by a blank line or a page break
 * continues when the next piece starts in lower case or the piece before ended mid-sentence. */
export function buildBlocks(lines: readonly LetterLine[]): Block[] {
  const blocks: Block[] = [];
  let open: Block | null = null;
  let lastClosed: Block | null = null;
  let inFootnote = false;
  const close = () => {
    if (open) lastClosed = open;
    open = null;
  };
  const lastText = (b: Block): string => b.lines[b.lines.length - 1]?.text ?? '';
  lines.forEach((line, i) => {
    if (line.kind === 'blank') {
      close();
      inFootnote = false;
      return;
    }
    if (line.kind === 'furniture') return;
    if (line.kind === 'table') {
      close();
      lastClosed = null;
      return;
    }
    if (line.kind === 'footnote') {
      if (open) lastClosed = open;
      open = null;
      inFootnote = true;
      return;
    }
    if (inFootnote) return;
    const current: Block | null = open;
    const startsBlock =
      !current || current.kind === 'heading' || current.kind === 'title' || endsSentence(lastText(current));
    // A letter title inside a running sentence is a page header of a PDF extraction: passed over.
    if (!startsBlock && isLetterTitle(line.text)) return;
    if (startsBlock && isLetterTitle(line.text)) {
      close();
      lastClosed = null;
      blocks.push({ kind: 'title', lines: [line], bullet: null, heading: null });
      open = blocks[blocks.length - 1] ?? null;
      return;
    }
    if (!line.bullet || line.bullet.glyph === 'number') {
      const info = headingInfo(line.text);
      const next = firstUsefulLine(lines, i + 1, 1);
      const nextOk = !next || next.kind !== 'text' || next.bullet !== null || !/^\p{Ll}/u.test(next.text);
      const knownType = info !== null && info.type !== 'generic' && info.type !== 'section';
      const numberedList =
        line.bullet?.glyph === 'number' &&
        line.bullet.number !== null &&
        inNumberedRun(lines, i, line.bullet.number);
      // Inside a running sentence only a list heading of a known kind, written with a capital, or a numbered
      // chapter after a list item (items often end without a stop) is a heading; a wrapped line's tail
      // ("Hovedmål 3 Rask tilgang …", "oppdrag i") is not.
      const midSentenceHeading =
        (knownType && /^[\p{Lu}#*]/u.test(line.text)) ||
        (info?.type === 'section' &&
          current?.kind === 'bullet' &&
          /^\s*\d{1,2}(?:\.\d{1,2})*\.?\s/u.test(line.text));
      if (info && nextOk && !numberedList && (startsBlock || midSentenceHeading)) {
        close();
        lastClosed = null;
        blocks.push({ kind: 'heading', lines: [line], bullet: null, heading: info });
        open = blocks[blocks.length - 1] ?? null;
        return;
      }
    }
    if (line.bullet) {
      close();
      lastClosed = null;
      open = { kind: 'bullet', lines: [line], bullet: line.bullet, heading: null };
      blocks.push(open);
      return;
    }
    if (current && current.kind !== 'heading' && current.kind !== 'title') {
      current.lines.push(line);
      return;
    }
    const previous: Block | null = lastClosed;
    if (previous && (previous.kind === 'para' || previous.kind === 'bullet')) {
      const prevText = lastText(previous);
      const continues =
        /^[\p{Ll}(]/u.test(line.text) ||
        (!endsSentence(prevText) && /^\d/.test(line.text)) ||
        (!endsSentence(prevText) && previous.kind === 'para' && prevText.length >= 60);
      if (continues) {
        previous.lines.push(line);
        open = previous;
        lastClosed = null;
        return;
      }
    }
    close();
    lastClosed = null;
    open = { kind: 'para', lines: [line], bullet: null, heading: null };
    blocks.push(open);
  });
  return blocks;
}

/** Text of a block's lines, wrapped lines joined, with a map from text offsets back to line numbers. */
export interface FlatText {
  readonly text: string;
  lineAt(offset: number): number;
}

export function flatten(lines: readonly LetterLine[], useBulletContent = true): FlatText {
  const starts: { offset: number; no: number }[] = [];
  let text = '';
  lines.forEach((line, i) => {
    const piece = i === 0 && useBulletContent && line.bullet ? line.bullet.content : line.text;
    // A word broken across lines is joined ("kvalitetsforbedrings-" + "prosjekter", "Midt-" + "Norge").
    const joined = text.length > 0 ? joinWrappedLines(text, piece) : null;
    if (joined !== null) {
      starts.push({ offset: joined.length - piece.trimStart().length, no: line.no });
      text = joined;
      return;
    }
    if (text.length > 0) text += ' ';
    starts.push({ offset: text.length, no: line.no });
    text += piece;
  });
  return {
    text,
    lineAt(offset: number): number {
      let no = starts[0]?.no ?? 0;
      for (const s of starts) {
        if (s.offset <= offset) no = s.no;
        else break;
      }
      return no;
    },
  };
}

export type Zone = 'preamble' | 'prose' | 'goals' | 'tasks' | 'reporting' | 'annex' | 'other' | 'closed';

export interface TaskPart {
  readonly role: 'main' | 'sub' | 'para';
  readonly lines: LetterLine[];
}

/** A section heading as read: its number path and title; resolved to a hovedmål once the letter is read. */
export interface SectionRef {
  readonly numbers: readonly number[] | null;
  readonly title: string;
}

export interface RawTask {
  readonly segment: number;
  readonly section: SectionRef | null;
  readonly heading: string | null;
  /** A lead-in paragraph ("Helse Vest RHF skal:") the task's bullets continue. */
  readonly context: string | null;
  readonly mode: 'bullet' | 'paragraph' | 'prose';
  readonly parts: TaskPart[];
  /** For a task read from prose: its sentence and the lines it covers. */
  readonly prose: { readonly text: string; readonly lineStart: number; readonly lineEnd: number } | null;
}

export interface RawSegment {
  readonly index: number;
  kind: LetterKind;
  title: string | null;
  titleLine: number | null;
  lineStart: number;
  lineEnd: number;
  /** Years named in task and goal headings ("Oppdrag 2024:"). */
  readonly headingYears: number[];
  taskHeadings: number;
}

export interface Walk {
  readonly segments: RawSegment[];
  readonly tasks: RawTask[];
  /** Hovedmål titles from the numbered list in the letter's introduction, by number. */
  readonly hovedmal: Map<number, string>;
}

const FUNDING_ANNEX =
  /midler|midlar|løyving|tildeling|indikator|bevilgning|budsjett|datakilde|tabell|tilskudd|tilskot|økonomi|finansiering/iu;
const PROSE_TASK = new RegExp(
  '(?:i\\s+(?:et\\s+|eit\\s+)?(?:nært\\s+|tett\\s+)?samarbeid|sammen|saman)\\s+med\\s+\\S',
  'iu',
);
const PROSE_SUBJECT =
  /^(?:[«"“]\s*)?(?:(?:Videre|Vidare|I\s+tillegg|Samtidig)\s*,?\s+)?(?:(?:de|dei)\s+regionale\s+helse(?:foretakene|føretaka)|Helse\s+\p{Lu}[\p{L}-]*(?:\s+RHF)?)(?:\s*,[^.]{1,160}?,)?\s+(?:skal|bes|(?:blir|vert|er)\s+bed(?:t|d|e|ne))(?![\p{L}])/iu;
const FORETAKSMOTE =
  /^(?:[«"“]\s*)?(?:(?:I|På)\s+)?(?:føre|fore)taksmøte(?:t)?(?:\s+(?:i\s+|den\s+)?\d{1,2}\.\s*\p{L}+\s+\d{4})?(?:\s+[^.]{0,40}?)?\s+(?:(?:ba|bad|ber|bed)(?![\p{L}])|(?:ble|vart|blei)\s+(?:de|dei|Helse)\s|(?:(?:la|legg|legger)\s+til\s+grunn|føreset|føresette|forutsetter|forutsatte|vedtok|presiserte|understreka|understreket|forventar|forventer)\s+at\s+(?:(?:de|dei|alle)\s+regionale|Helse\s|regionane|regionene|RHF-))/iu;

function yearsIn(text: string): number[] {
  return [...text.matchAll(/(?<!\d)((?:19|20)\d\d)(?!\d)/g)].map((m) => Number(m[1]));
}

/** A task being collected: the bullet signature and indent that its siblings share. */
interface OpenTask {
  readonly task: RawTask;
  readonly signature: string;
  readonly indent: number;
}

const newSegment = (
  index: number,
  kind: LetterKind,
  title: string | null,
  titleLine: number | null,
  lineStart: number,
  lineEnd: number,
): RawSegment => ({ index, kind, title, titleLine, lineStart, lineEnd, headingYears: [], taskHeadings: 0 });

/** Walks the blocks through the zones of a letter and collects the oppdrag passages. */
export function walk(blocks: readonly Block[], lineCount: number): Walk {
  return new LetterWalker(blocks, lineCount).run();
}

/** The state of one walk: where in the letter it is (segment, zone, section, headings) and the open task. */
class LetterWalker {
  private readonly segments: RawSegment[] = [];
  private readonly tasks: RawTask[] = [];
  private readonly hovedmal = new Map<number, string>();
  private segment: RawSegment;
  private segmentHasStructure = false;
  private zone: Zone = 'preamble';
  private implicitList = false;
  private annexIsFunding = false;
  private section: SectionRef | null = null;
  private listHeading: string | null = null;
  private proseHeading: string | null = null;
  private context: string | null = null;
  private current: OpenTask | null = null;
  private hovedmalListOpen = false;
  private hovedmalFromIntro = false;
  /** After a lead-in that introduces a list of things, not of tasks ("Planen gir følgjande innsatsområde:"). */
  private descriptiveList = false;

  constructor(
    private readonly blocks: readonly Block[],
    private readonly lineCount: number,
  ) {
    this.segment = newSegment(0, 'hoveddokument', null, null, 1, lineCount);
    this.segments.push(this.segment);
  }

  run(): Walk {
    for (const [blockIndex, block] of this.blocks.entries()) {
      const first = block.lines[0];
      if (!first) continue;
      if (block.kind === 'title') this.title(first, blockIndex);
      else if (block.kind === 'heading' && block.heading) this.heading(block.heading);
      else this.body(block, blockIndex);
    }
    this.closeTask();
    return { segments: this.segments, tasks: this.tasks, hovedmal: this.hovedmal };
  }

  private closeTask(): void {
    if (this.current) this.tasks.push(this.current.task);
    this.current = null;
  }

  private startTask(mode: RawTask['mode'], lines: LetterLine[], bullet: Bullet | null): void {
    this.closeTask();
    this.current = {
      task: {
        segment: this.segment.index,
        section: this.section,
        heading: this.listHeading,
        context: this.context,
        mode,
        parts: [{ role: 'main', lines }],
        prose: null,
      },
      signature: bullet ? bulletSignature(bullet) : 'paragraph',
      indent: bullet?.indent ?? 0,
    };
  }

  /** A letter title: names the first letter, or opens the next one in a file that holds several. */
  private title(first: LetterLine, blockIndex: number): void {
    const kind: LetterKind = /^\W*(?:møte)?protokoll/iu.test(first.text)
      ? 'foretaksprotokoll'
      : /tillegg/iu.test(first.text)
        ? 'tilleggsdokument'
        : 'hoveddokument';
    // Inside a letter, a main-letter title opens a new letter only with a letterhead after it (the
    // recipient's name or a date); otherwise it is a running page header and is passed over.
    if (
      this.segmentHasStructure &&
      kind !== 'tilleggsdokument' &&
      !letterheadFollows(this.blocks, blockIndex)
    )
      return;
    this.closeTask();
    const title = stripHeadingMarkup(first.text);
    if (!this.segmentHasStructure && this.segment.title === null) {
      this.segment.title = title;
      this.segment.titleLine = first.no;
      this.segment.kind = kind;
    } else {
      this.segment.lineEnd = first.no - 1;
      this.segment = newSegment(this.segments.length, kind, title, first.no, first.no, this.lineCount);
      this.segments.push(this.segment);
      this.segmentHasStructure = false;
    }
    this.zone = 'preamble';
    this.implicitList = false;
    this.section = null;
    this.listHeading = null;
    this.proseHeading = null;
    this.context = null;
  }

  private heading(h: HeadingInfo): void {
    this.closeTask();
    this.implicitList = false;
    this.descriptiveList = false;
    if (this.zone === 'closed' && h.type !== 'annex') return;
    if (this.zone === 'annex' && (this.annexIsFunding || h.type !== 'tasks') && h.type !== 'annex') return;
    if (h.type !== 'generic') this.segmentHasStructure = true;
    switch (h.type) {
      case 'annex':
        this.zone = 'annex';
        // An annex of funding tables, or one that copies another agency's oppdrag, holds no task.
        this.annexIsFunding =
          FUNDING_ANNEX.test(h.title) ||
          /^tabell/iu.test(h.title) ||
          FOREIGN_TASKS.test(h.title.replace(/^vedlegg\s*\d*\s*[:.–-]?\s*/iu, '')) ||
          OTHER_AGENCY_ANNEX.test(h.title);
        break;
      case 'other':
      case 'reporting':
        this.zone = h.type;
        break;
      case 'closing':
        this.zone = 'closed';
        break;
      case 'goals':
        this.zone = 'goals';
        this.segment.headingYears.push(...yearsIn(h.title));
        break;
      case 'tasks':
        this.zone = 'tasks';
        this.listHeading = h.title;
        this.context = null;
        this.segment.taskHeadings++;
        this.segment.headingYears.push(...yearsIn(h.title));
        if (h.numbers) this.section = { numbers: h.numbers, title: h.title };
        break;
      case 'section':
        this.openSection(h.numbers, h.title);
        break;
      case 'generic':
        this.genericHeading(h.title);
        break;
    }
  }

  private openSection(numbers: readonly number[] | null, title: string): void {
    this.zone = 'prose';
    this.section = { numbers, title };
    this.listHeading = null;
    this.proseHeading = title;
    this.context = null;
  }

  private genericHeading(title: string): void {
    if (namesHovedmal(title, this.hovedmal)) {
      // An unnumbered heading that repeats a hovedmål from the letter's list opens that hovedmål's section.
      this.openSection(null, title);
    } else if (this.zone === 'tasks') {
      this.listHeading = title;
      this.context = null;
    } else if (this.zone === 'preamble' || this.zone === 'prose') {
      this.zone = 'prose';
      this.proseHeading = title;
    }
  }

  /** A paragraph or bullet: read as prose, as part of a task list, or passed over, by the zone it stands in. */
  private body(block: Block, blockIndex: number): void {
    const flat = flatten(block.lines);
    if (block.kind === 'para') this.descriptiveList = false;
    if (this.descriptiveList && block.kind === 'bullet' && this.tookListItem(block, flat.text)) return;
    this.followListsInProse(block, flat.text);
    if (this.zone === 'preamble' || this.zone === 'prose') {
      this.prose(block, flat);
      return;
    }
    if (this.zone !== 'tasks') {
      this.closeTask();
      return;
    }
    this.segmentHasStructure = true;
    if (block.kind === 'bullet' && block.bullet) this.taskBullet(block.lines, block.bullet, flat.text);
    else this.taskParagraph(block.lines, flat.text, this.blocks[blockIndex + 1]);
  }

  /**
   * An item of a list of things (areas, documents, criteria) belongs to the task it stands in, if any; true when
   * the item was taken so. Under an oppdrag heading, an item that itself gives a task ends that list.
   */
  private tookListItem(block: Block, text: string): boolean {
    const open = this.current;
    // In prose, an item whose RHF takes the lead on it ("Helse Vest RHF tek ei leiarrolle …") is a task.
    const ownTask = this.zone === 'tasks' ? isTaskLike(text) : opensWithLeadRole(text);
    if (!ownTask) {
      if (this.zone === 'tasks' && open && open.task.mode === 'bullet')
        open.task.parts.push({ role: 'sub', lines: block.lines });
      return true;
    }
    if (this.zone === 'tasks') this.descriptiveList = false;
    return false;
  }

  /** Task lists in prose without an "Oppdrag 20XX" heading: where they start and end. */
  private followListsInProse(block: Block, text: string): void {
    if (this.implicitList && this.zone === 'tasks' && block.kind === 'para') {
      // A paragraph after bullets that were read as tasks in prose ends that implicit list.
      this.closeTask();
      this.zone = 'prose';
      this.implicitList = false;
    }
    const inProse = this.zone === 'preamble' || this.zone === 'prose';
    if (inProse && block.kind === 'bullet' && block.bullet?.glyph !== 'number' && isTaskLike(text)) {
      // Bullets that give an RHF a task form a task list even without an "Oppdrag 20XX" heading.
      this.zone = 'tasks';
      this.implicitList = true;
      this.listHeading = null;
      this.context = null;
    }
    if (
      (this.zone === 'preamble' || this.zone === 'prose') &&
      block.kind === 'para' &&
      isDescriptiveLeadIn(text)
    ) {
      this.descriptiveList = true;
    }
  }

  /** Prose: the hovedmål list of the introduction, and the oppdrag given in running sentences. */
  private prose(block: Block, flat: FlatText): void {
    this.collectHovedmal(block, flat.text);
    for (const found of proseTasks(flat)) {
      this.tasks.push({
        segment: this.segment.index,
        section: this.section,
        heading: this.proseHeading,
        context: null,
        mode: 'prose',
        parts: [{ role: 'main', lines: block.lines }],
        prose: found,
      });
    }
  }

  private collectHovedmal(block: Block, text: string): void {
    if (block.kind === 'para') {
      // "… skal innrette sin virksomhet med sikte på å nå følgende hovedmål:" opens the list of hovedmål;
      // an earlier numbered list (of other goals) gives way to it.
      const opensList = /(?:hovedmål|hovudmål)[^.]*:\s*$/iu.test(text);
      if (opensList && !this.hovedmalFromIntro) this.hovedmal.clear();
      this.hovedmalListOpen = opensList;
      if (opensList) this.hovedmalFromIntro = true;
    }
    if (block.kind === 'bullet' && block.bullet?.glyph === 'number' && block.bullet.number !== null) {
      // Items of the list the letter introduces as its hovedmål may end with a stop; other numbered items
      // must read as titles.
      const title = squash(text).replace(this.hovedmalListOpen ? /[.:]$/ : /:$/, '');
      const accepted = this.hovedmalListOpen || !this.hovedmalFromIntro;
      if (
        accepted &&
        title.length <= 130 &&
        !/[.;]$/.test(title) &&
        !this.hovedmal.has(block.bullet.number)
      ) {
        this.hovedmal.set(block.bullet.number, title);
      }
    }
  }

  /** A bullet in a task list: a new task, or a sub-item of the open one. */
  private taskBullet(lines: LetterLine[], bullet: Bullet, text: string): void {
    const open = this.current;
    // A bullet ending in a lead-in to a list of things: the items that follow are part of it.
    if (isDescriptiveLeadIn(text)) this.descriptiveList = true;
    const signature = bulletSignature(bullet);
    const isSibling =
      !open ||
      open.task.mode !== 'bullet' ||
      signature === open.signature ||
      (bullet.indent < open.indent && !isSubGlyph(bullet));
    if (isSibling) this.startTask('bullet', lines, bullet);
    else open.task.parts.push({ role: 'sub', lines });
  }

  /** A paragraph in a task list: a lead-in, a continuation of the open task, or unbulleted tasks. */
  private taskParagraph(lines: LetterLine[], text: string, next: Block | undefined): void {
    const open = this.current;
    if (next?.kind === 'bullet' && isDescriptiveLeadIn(text)) {
      // "Planen gir følgjande innsatsområde:": the list that follows is no task list. Inside a task it is
      // part of the task ("… der minst eitt av følgjande kriterium er oppfylt:"); else it is passed over.
      this.descriptiveList = true;
      if (open && open.task.mode === 'bullet') open.task.parts.push({ role: 'para', lines });
      else this.closeTask();
      return;
    }
    const leadsIntoSiblings =
      /:\s*$/.test(text) &&
      next?.kind === 'bullet' &&
      next.bullet &&
      bulletSignature(next.bullet) === open?.signature;
    if (open && open.task.mode === 'bullet' && leadsIntoSiblings) {
      // "Helse Vest RHF skal også:" between two bullet lists introduces the bullets that follow.
      this.closeTask();
      this.context = text;
    } else if (open && open.task.mode === 'bullet') {
      open.task.parts.push({ role: 'para', lines });
    } else if (isTaskLike(text)) {
      // Unbulleted items in a row, each on a line of its own, are separate oppdrag.
      for (const item of splitItems(lines)) this.startTask('paragraph', item, null);
    } else if (open) {
      open.task.parts.push({ role: 'para', lines });
    } else if (/:\s*$/.test(text)) {
      this.context = text;
    }
  }
}

/** Things a list may enumerate that are no tasks: areas, documents, goals, criteria, principles. */
const DESCRIPTIVE_NOUN =
  /(?:innsatsområd|satsingsområd|satsningsområd|hovudgrep|hovedgrep|dokument|prinsipp|tema(?:et|a|ene|ane)?(?![\p{L}])|kjenneteikn|kjennetegn|verdiar|verdier|kriteri|føringar|føringer|områd|(?<![\p{L}])mål(?:a|ene|et)?(?![\p{L}])|målsetjing|målsetting|lover|forskrift|strategiar|strategier|planar|planer|meldingar|meldinger|rapportar|rapporter|indikator|døme|eksempl|tilrådingar|anbefalinger|utfordringar|utfordringer|kjelder|kilder)/iu;

/**
 * A lead-in sentence ending in ":" that introduces a list of things rather than of tasks: it gives no RHF a
 * task itself and names what the list holds ("Planen gir følgjande innsatsområde:", "Følgende dokumenter skal
 * legges til grunn:", "… der minst ett av følgende kriterier er oppfylt:").
 */
export function isDescriptiveLeadIn(text: string): boolean {
  if (!/:\s*$/.test(text)) return false;
  const sentences = splitSentences(text);
  const last = sentences[sentences.length - 1]?.text ?? text;
  if (isTaskLike(last) || /oppdrag|oppgåve|oppgave|bestilling/iu.test(last)) return false;
  return DESCRIPTIVE_NOUN.test(last);
}

/**
 * Splits a paragraph of unbulleted items: a line that opens with a task's subject ("Helse Vest RHF skal …",
 * "Dei regionale helseføretaka skal …") or a foretaksmøte decision ("Føretaksmøtet bad …") right after a line
 * that ended a sentence starts a new item.
 */
function splitItems(lines: readonly LetterLine[]): LetterLine[][] {
  const items: LetterLine[][] = [];
  let item: LetterLine[] = [];
  for (const line of lines) {
    const previous = item[item.length - 1];
    if (
      previous &&
      /[.!?]\s*$/u.test(previous.text) &&
      (opensWithSubject(line.text) || FORETAKSMOTE.test(line.text))
    ) {
      items.push(item);
      item = [];
    }
    item.push(line);
  }
  if (item.length > 0) items.push(item);
  return items;
}

/** True when a heading's title is one of the hovedmål the letter lists. */
function namesHovedmal(title: string, hovedmal: ReadonlyMap<number, string>): boolean {
  const key = normaliseForMatch(title);
  return key.length > 0 && [...hovedmal.values()].some((listed) => normaliseForMatch(listed) === key);
}

function letterheadFollows(blocks: readonly Block[], index: number): boolean {
  for (const block of blocks.slice(index + 1, index + 9)) {
    if (block.kind === 'bullet' || block.kind === 'title') return false;
    const text = stripHeadingMarkup(block.lines[0]?.text ?? '');
    if (block.lines.length === 1 && (rhfIdOf(text) !== null || parseStandaloneDate(text) !== null))
      return true;
  }
  return false;
}

/** Two bullets are siblings when they share a glyph class; dashes and stars also need the same indentation
 * (markdown nests " - " under "- "), while PDF dots come with arbitrary leading spaces. */
function bulletSignature(bullet: Bullet): string {
  if (bullet.glyph === 'dash' || bullet.glyph === 'star' || bullet.glyph === 'endash') {
    const bucket = bullet.indent === 0 ? 0 : bullet.indent <= 3 ? 1 : 2;
    return `${bullet.glyph}:${bucket}`;
  }
  return bullet.glyph;
}

function isSubGlyph(bullet: Bullet): boolean {
  return bullet.glyph === 'circle' || bullet.glyph === 'square' || bullet.glyph === 'letter';
}

/**
 * The hovedmål a section heading stands for: the number of the matching title in the letter's list of
 * hovedmål; a numbered chapter that is no hovedmål ("1. Innleiing") gets no number when the letter has such a
 * list; without a list, the last part of the heading's number.
 */
export function resolveSection(
  ref: SectionRef | null,
  hovedmal: ReadonlyMap<number, string>,
): LetterSection | null {
  if (!ref) return null;
  const title = ref.title;
  const key = normaliseForMatch(title);
  for (const [number, listed] of hovedmal) {
    const listedKey = normaliseForMatch(listed);
    if (listedKey && (key.startsWith(listedKey) || listedKey.startsWith(key))) return { number, title };
  }
  if (hovedmal.size > 0) return { number: null, title };
  const numbers = ref.numbers ?? [];
  return { number: numbers.length > 0 ? (numbers[numbers.length - 1] ?? null) : null, title };
}

/**
 * Sentences in prose that are explicit tasks: an RHF (or the RHFs) "skal/bes" do something together with a
 * named partner or by a date, or a quoted foretaksmøte decision ("Foretaksmøtet ba Helse Vest RHF om å …").
 */
function proseTasks(flat: FlatText): { text: string; lineStart: number; lineEnd: number }[] {
  const found: { text: string; lineStart: number; lineEnd: number }[] = [];
  for (const sentence of splitSentences(flat.text)) {
    const isSubjectTask = PROSE_SUBJECT.test(sentence.text);
    const isMeeting = FORETAKSMOTE.test(sentence.text);
    if (!isSubjectTask && !isMeeting) continue;
    const hasPartner = PROSE_TASK.test(sentence.text);
    const hasDate = findDeadlines(sentence.text, { year: 2000, letterDate: null }).length > 0;
    if (!isMeeting && !hasPartner && !hasDate) continue;
    found.push({
      text: sentence.text,
      lineStart: flat.lineAt(sentence.start),
      lineEnd: flat.lineAt(Math.max(sentence.start, sentence.end - 1)),
    });
  }
  return found;
}
