import { buildSchema, parse } from 'graphql';
import { complexityLimit } from '../src/graphql/limits.js';

const schema = buildSchema(`
  type Item { a: Int b: Int }
  type Query { items(first: Int): [Item!]! one: Item }
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
});
