import Database from 'better-sqlite3';
import snowball from 'snowball-stemmers';
import { foldText } from './oppdrag-view.js';
import { SummaryMap } from './view-index.js';

/** What the index reads: the ids of the oppdrag (a summary each) and the search text of each. */
export interface SearchSource {
  readonly summaries: ReadonlyMap<string, unknown>;
  /** The folded text of one oppdrag: id, title, description and main goal. */
  searchText(id: string): string;
}

/** Query words shorter than this match whole words only: "KI" finds "KI-verktøy" but not "kirurgi". */
const MIN_PREFIX_LENGTH = 3;
/** At most this many words of a query are searched for (the rest are ignored). */
const MAX_QUERY_WORDS = 16;

/** A word: letters and digits (anything else separates words). */
const WORD = /[\p{L}\p{N}]+/gu;

const stemmer = snowball.newStemmer('norwegian');
const stems = new Map<string, string>();

/**
 * The search form of one word: folded (see {@link foldText}), then stemmed with the Snowball Norwegian
 * stemmer, which takes off the endings of bokmål and nynorsk alike ("legemidlene", "legemidlar" →
 * "legemidl"). Snowball leaves a word such as "legemiddel" whole, while its plural drops the e before
 * the l ("legemidler"); so a stem that ends in a consonant and "el" loses that e (and a doubled
 * consonant before it), which makes "legemiddel", "regel" and "sykkel" meet their plurals.
 */
export function stemOf(word: string): string {
  const folded = foldText(word);
  let stem = stems.get(folded);
  if (stem === undefined) {
    stem = stemmer.stem(folded).replace(/([^aeiouy])\1?el$/, '$1l');
    // The vocabulary of a corpus is small; a bound keeps a hostile stream of distinct words harmless.
    if (stems.size > 200_000) stems.clear();
    stems.set(folded, stem);
  }
  return stem;
}

/** The words of a text (letters and digits; anything else separates words), each as its stem. */
export function stemsOf(text: string): string[] {
  const words = foldText(text).match(WORD) ?? [];
  return words.map(stemOf);
}

/**
 * Free-text search over the oppdrag of a {@link SearchSource}: words, stemmed for Norwegian (bokmål and
 * nynorsk), matched as whole words or, for query words of three letters or more, as the start of a word.
 * Every word of the query must be found.
 *
 * Held in an in-memory SQLite FTS5 table of stems. It is built on the first search, not before: a replay
 * or a server that is never searched pays nothing. After that, over the projector's summaries (a
 * {@link SummaryMap}), a change only marks its oppdrag, and the next search re-indexes the marked ones.
 */
export class SearchIndex {
  private db: Database.Database | null = null;
  /** The row of each indexed oppdrag, and the oppdrag of each row. */
  private readonly rows = new Map<string, number>();
  private readonly ids = new Map<number, string>();
  private nextRow = 1;
  private readonly stale = new Set<string>();
  private rebuild = true;

  constructor(private readonly source: SearchSource) {
    const summaries = source.summaries;
    if (summaries instanceof SummaryMap) {
      summaries.observe((change) => {
        if (this.rebuild) return;
        if (change === 'reset') this.rebuild = true;
        else this.stale.add((change.after ?? change.before)!.id);
      });
    }
  }

  /**
   * The ids of the oppdrag whose id, title, description or main goal hold every word of `query`; null
   * when the query has no word at all (then it restricts nothing).
   */
  matching(query: string): ReadonlySet<string> | null {
    const words = [...new Set(foldText(query).match(WORD) ?? [])].slice(0, MAX_QUERY_WORDS);
    if (words.length === 0) return null;
    const db = this.upToDate();
    // A word is found by its stem or as typed (so "legemiddel" finds "legemiddelliste", whose stem
    // keeps the "e"). Each form is quoted, so nothing a user types is read as FTS5 syntax.
    const expression = words
      .map((word) => {
        const forms = [...new Set([stemOf(word), word])];
        return `(${forms.map((f) => (f.length >= MIN_PREFIX_LENGTH ? `"${f}"*` : `"${f}"`)).join(' OR ')})`;
      })
      .join(' AND ');
    const rows = db.prepare('SELECT rowid FROM docs WHERE docs MATCH ?').pluck().all(expression) as number[];
    const found = new Set<string>();
    for (const row of rows) {
      const id = this.ids.get(row);
      if (id !== undefined) found.add(id);
    }
    return found;
  }

  /** Lets go of the index (it is built again on the next search). */
  close(): void {
    this.db?.close();
    this.db = null;
    this.rebuild = true;
    this.stale.clear();
    this.rows.clear();
    this.ids.clear();
  }

  private upToDate(): Database.Database {
    if (!this.db || this.rebuild) {
      this.close();
      const db = new Database(':memory:');
      // Stems only: the words are stemmed here, so FTS5's own tokenizer just splits them on spaces.
      db.exec("CREATE VIRTUAL TABLE docs USING fts5(stems, tokenize='ascii', prefix='3 4 5')");
      this.db = db;
      this.rebuild = false;
      this.index(this.source.summaries.keys());
    } else if (this.stale.size > 0) {
      const ids = [...this.stale];
      this.stale.clear();
      this.index(ids);
    }
    return this.db;
  }

  /** Indexes the current text of each oppdrag, in place of what was indexed for it before. */
  private index(ids: Iterable<string>): void {
    const db = this.db!;
    const remove = db.prepare('DELETE FROM docs WHERE rowid = ?');
    const insert = db.prepare('INSERT INTO docs (rowid, stems) VALUES (?, ?)');
    db.transaction(() => {
      for (const id of ids) {
        const old = this.rows.get(id);
        if (old !== undefined) {
          remove.run(old);
          this.rows.delete(id);
          this.ids.delete(old);
        }
        if (!this.source.summaries.has(id)) continue;
        const row = this.nextRow++;
        insert.run(row, stemsOf(this.source.searchText(id)).join(' '));
        this.rows.set(id, row);
        this.ids.set(row, id);
      }
    })();
  }
}
