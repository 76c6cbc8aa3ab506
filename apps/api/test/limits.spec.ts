import { buildSchema, parse } from 'graphql';
import { complexityLimit } from '../src/graphql/limits.js';

const schema = buildSchema(`
  type Item { a: Int b: Int }
  input Filter { first: Int, name: String }
  type Query { items(first: Int, filter: Filter): [Item!]! one: Item }
`);

describe('the query complexity limit', () => {
  const check = complexityLimit(20);

  it('refuses the same over-complex document on every request, not only the first', () => {
    const document = parse('{ items(first: 10) { a b } }');
    for (let i = 0; i < 3; i += 1) {
      expect(() => check(schema, document, {}, undefined)).toThrow(
        /query complexity 21 exceeds the limit of 20/,
      );
    }
  });

  it('accepts the same cheap document on every request', () => {
    const document = parse('{ items(first: 5) { a b } one { a } }');
    for (let i = 0; i < 3; i += 1) expect(() => check(schema, document, {}, undefined)).not.toThrow();
  });

  it('judges a document with variables by each request’s variables', () => {
    const document = parse('query ($n: Int) { items(first: $n) { a b } }');
    expect(() => check(schema, document, {}, { n: 5 })).not.toThrow();
    expect(() => check(schema, document, {}, { n: 10 })).toThrow(/query complexity 21/);
    expect(() => check(schema, document, {}, { n: 5 })).not.toThrow();
  });

  it('judges a page size given as a variable by its value, present, absent (default) or null', () => {
    const document = parse('query ($n: Int = 10) { items(first: $n) { a b } }');
    expect(() => check(schema, document, {}, {})).toThrow(/query complexity 21/);
    expect(() => check(schema, document, {}, { n: 5 })).not.toThrow();
    expect(() => check(schema, document, {}, { n: null })).not.toThrow();
    expect(() => check(schema, document, {}, {})).toThrow(/query complexity 21/);
    expect(() => check(schema, document, {}, { n: 10 })).toThrow(/query complexity 21/);
  });

  it('counts fields that a directive variable includes, by its value', () => {
    const document = parse(
      'query ($all: Boolean!) { one { a } items(first: 10) @include(if: $all) { a b } }',
    );
    expect(() => check(schema, document, {}, { all: false })).not.toThrow();
    expect(() => check(schema, document, {}, { all: true })).toThrow(/exceeds the limit/);
    expect(() => check(schema, document, {}, { all: false })).not.toThrow();
  });

  it('is not changed by other variables, even a field named first inside an input', () => {
    const document = parse('query ($f: Filter) { items(first: 10, filter: $f) { a b } }');
    expect(() => check(schema, document, {}, { f: { first: 1 } })).toThrow(/query complexity 21/);
    expect(() => check(schema, document, {}, { f: { first: 1, name: 'x' } })).toThrow(/query complexity 21/);
    const cheap = parse('query ($f: Filter) { items(first: 5, filter: $f) { a b } }');
    expect(() => check(schema, cheap, {}, { f: { first: 100 } })).not.toThrow();
    expect(() => check(schema, cheap, {}, { f: { name: 'y' } })).not.toThrow();
  });
});
