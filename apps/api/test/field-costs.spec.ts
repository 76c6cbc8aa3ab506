import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, isObjectType, parse, type GraphQLObjectType } from 'graphql';
import { ROOT_FIELD_COSTS } from '../src/graphql/field-costs.js';
import { complexityLimit } from '../src/graphql/limits.js';
import { costlyFieldsInTurns, Turns } from '../src/graphql/turns.js';

/** The committed schema: the one the API serves. */
const schema = buildSchema(readFileSync(join(process.cwd(), 'apps/api/schema.gql'), 'utf8'));

const aliases = (count: number, field: string): string =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

describe('the cost of each root field', () => {
  it('is declared for every root field the API serves', () => {
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(
      (t): t is GraphQLObjectType => t !== null && t !== undefined && isObjectType(t),
    );
    const fields = roots.flatMap((root) => Object.keys(root.getFields()).map((f) => `${root.name}.${f}`));
    expect(fields.filter((f) => ROOT_FIELD_COSTS[f] === undefined)).toEqual([]);
  });

  it('of a free-text search grows with the number of oppdrag it scans; other filters do not', () => {
    const search = parse('{ oppdragList(filter: { text: "helse" }, first: 1) { totalCount } }');
    const byLead = parse('{ oppdragList(filter: { lead: "helse-vest" }, first: 1) { totalCount } }');
    const small = complexityLimit(1000, { context: () => ({ oppdrag: 1_000 }) });
    const large = complexityLimit(1000, { context: () => ({ oppdrag: 300_000 }) });
    expect(() => small(schema, search, {}, undefined)).not.toThrow();
    // 5 for the field, 3,000 for a scan of 300,000 summaries, 1 for the page.
    expect(() => large(schema, search, {}, undefined)).toThrow(
      /query complexity 3006 exceeds the limit of 1000/,
    );
    expect(() => large(schema, byLead, {}, undefined)).not.toThrow();
  });

  it('of a search given in a variable is judged by the variable’s value', () => {
    const document = parse(
      'query ($f: OppdragFilterInput) { oppdragList(filter: $f, first: 1) { totalCount } }',
    );
    const check = complexityLimit(1000, { context: () => ({ oppdrag: 300_000 }) });
    expect(() => check(schema, document, {}, { f: { lead: 'helse-vest' } })).not.toThrow();
    expect(() => check(schema, document, {}, { f: { text: 'helse' } })).toThrow(/query complexity 3006/);
    expect(() => check(schema, document, {}, { f: null })).not.toThrow();
  });

  it('refuses the alias bomb that stalled the server: 2,400 free-text searches in one request', () => {
    const check = complexityLimit(5000, { context: () => ({ oppdrag: 51_394 }) });
    const bomb = parse(aliases(2400, 'oppdragList(filter: { text: "helse" }, first: 1) { totalCount }'));
    expect(() => check(schema, bomb, {}, undefined)).toThrow(
      'oppdragList: asked for 2400 times in one request (by alias); at most 10, as each is costly: send the rest in further requests',
    );
  });
});

describe('the alias cap of costly fields', () => {
  const check = complexityLimit(5000, { context: () => ({ oppdrag: 100 }) });
  const asOf = 'oppdragAsOf(id: "2024-x", instant: "2024-06-01T00:00:00Z") { revision }';

  it('lets a request ask for a costly field up to its cap and refuses one more, naming the field and the cap', () => {
    expect(() => check(schema, parse(aliases(10, asOf)), {}, undefined)).not.toThrow();
    expect(() => check(schema, parse(aliases(11, asOf)), {}, undefined)).toThrow(
      /^oppdragAsOf: asked for 11 times in one request \(by alias\); at most 10/,
    );
  });

  it('counts aliases inside fragments and inline fragments, and a key repeated only once (GraphQL merges it)', () => {
    const fragmented = parse(`
      { ...A ...A ... on Query { f1: ${asOf} f2: ${asOf} } a0: ${asOf} }
      fragment A on Query { ${Array.from({ length: 9 }, (_, i) => `a${i}: ${asOf}`).join(' ')} }
    `);
    // a0..a8 from the fragment (a0 again at the top is the same key), f1 and f2: 11 distinct keys.
    expect(() => check(schema, fragmented, {}, undefined)).toThrow(/^oppdragAsOf: asked for 11 times/);
  });

  it('does not cap cheap fields: many aliases of me are judged by cost alone', () => {
    expect(() => check(schema, parse(aliases(1000, 'me { userId }')), {}, undefined)).not.toThrow();
  });
});

describe('costly fields taking turns on the event loop', () => {
  it('lets other work of the event loop run between pieces once a slice is used up', async () => {
    const turns = new Turns(0);
    const order: string[] = [];
    const pieces = [1, 2, 3, 4].map((n) => turns.run(() => order.push(`piece ${n}`)));
    setImmediate(() => order.push('other work'));
    await Promise.all(pieces);
    expect(order.indexOf('other work')).toBeGreaterThan(0);
    expect(order.indexOf('other work')).toBeLessThan(order.length - 1);
  });

  it('runs pieces back to back while the slice lasts', async () => {
    const turns = new Turns(60_000);
    const order: string[] = [];
    const pieces = [1, 2, 3, 4].map((n) => turns.run(() => order.push(`piece ${n}`)));
    setImmediate(() => order.push('other work'));
    await Promise.all(pieces);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['piece 1', 'piece 2', 'piece 3', 'piece 4', 'other work']);
  });

  it('passes each piece’s result or error to its caller', async () => {
    const turns = new Turns(0);
    await expect(turns.run(() => 42)).resolves.toBe(42);
    await expect(
      turns.run(() => {
        throw new Error('no such oppdrag');
      }),
    ).rejects.toThrow('no such oppdrag');
    await expect(turns.run(() => Promise.resolve('later'))).resolves.toBe('later');
  });

  it('wraps the resolvers of the fields marked for turns, and only those', async () => {
    const small = buildSchema('type Query { costly: Int cheap: Int }');
    const fields = (small.getQueryType() as GraphQLObjectType).getFields();
    fields.costly!.resolve = () => 1;
    fields.cheap!.resolve = () => 2;
    const turns = new Turns(0);
    costlyFieldsInTurns(small, turns, {
      'Query.costly': { cost: () => 10, perRequest: 1, inTurns: true },
      'Query.cheap': { cost: () => 1 },
    });
    const info = {} as never;
    const costly = fields.costly!.resolve(null, {}, null, info);
    expect(costly).toBeInstanceOf(Promise);
    await expect(costly).resolves.toBe(1);
    expect(fields.cheap!.resolve(null, {}, null, info)).toBe(2);
  });
});
