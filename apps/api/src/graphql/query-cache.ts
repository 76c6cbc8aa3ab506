import { Kind, visit, type DocumentNode } from 'graphql';

/**
 * Mercurius keeps, per distinct query text, its parsed document (with the validation errors of an invalid
 * one in a second cache of the same size) and, once it has run twice, its compiled query. Its caches
 * count entries only, and an entry's size follows the query's: a 45 KB query took about 2.5 MiB. So the
 * size of one entry is bounded here (a token limit on parsing, and compilation only for documents of at
 * most {@link COMPILE_MAX_FIELDS} fields), and the number of entries is chosen so that the caches stay
 * within a number of bytes.
 */

/**
 * A cached document with its locations, per token of the query. A document alone measured 350 bytes a
 * token (45 KB, 11,187 tokens, 3.6 MiB); in the running API, 400 distinct queries of 3,842 tokens kept
 * 96 MiB more heap with 41 entries cached, about 640 bytes a token.
 */
export const DOCUMENT_BYTES_PER_TOKEN = 640;

/** A compiled query, per field it selects (measured: about 1.2 KiB; kept with room to spare). */
export const COMPILED_BYTES_PER_FIELD = 2048;

/**
 * Larger documents are never compiled: interpreting them costs a little more per request, compiling them
 * would cost far more memory, and the compilation itself holds the event loop.
 */
export const COMPILE_MAX_FIELDS = 250;

export interface QueryCacheLimits {
  /** The most tokens a query may have (longer ones are refused before they are parsed in full). */
  readonly queryTokens: number;
  /** The most bytes the caches of parsed and compiled queries may hold. */
  readonly queryCacheBytes: number;
}

/** The most bytes one cached query can hold: its document, its compiled query, and an error entry. */
export function bytesPerCachedQuery(limits: QueryCacheLimits): number {
  return 2 * limits.queryTokens * DOCUMENT_BYTES_PER_TOKEN + COMPILE_MAX_FIELDS * COMPILED_BYTES_PER_FIELD;
}

/** How many distinct queries Mercurius may keep so that its caches stay within `queryCacheBytes`. */
export function queryCacheEntries(limits: QueryCacheLimits): number {
  return Math.max(1, Math.floor(limits.queryCacheBytes / bytesPerCachedQuery(limits)));
}

const fieldCounts = new WeakMap<DocumentNode, number>();

/** How many fields a document selects, in all its operations and fragments. */
export function fieldCount(document: DocumentNode): number {
  let count = fieldCounts.get(document);
  if (count === undefined) {
    count = 0;
    visit(document, {
      [Kind.FIELD]: () => {
        count! += 1;
      },
    });
    fieldCounts.set(document, count);
  }
  return count;
}
