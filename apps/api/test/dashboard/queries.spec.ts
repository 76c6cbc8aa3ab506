import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate, type DocumentNode } from 'graphql';

/**
 * Every GraphQL document the dashboard sends, checked against the committed schema without a browser: a
 * renamed field or argument in the API fails here before a user meets it.
 */

const PUBLIC = fileURLToPath(new URL('../../public/', import.meta.url));
const schema = buildSchema(readFileSync(fileURLToPath(new URL('../../schema.gql', import.meta.url)), 'utf8'));

/** The dashboard's script files, its own and GraphiQL's page script. */
function scripts(dir = join(PUBLIC, 'js')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? scripts(join(dir, entry.name))
      : entry.name.endsWith('.js')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** The documents queries.js exports: each exported string, and each of the mutations by name. */
async function documents(): Promise<Map<string, string>> {
  const queries = (await import(new URL('../../public/js/queries.js', import.meta.url).href)) as Record<
    string,
    unknown
  >;
  const found = new Map<string, string>();
  for (const [name, value] of Object.entries(queries)) {
    if (typeof value === 'string') found.set(name, value);
    else if (value && typeof value === 'object')
      for (const [key, text] of Object.entries(value))
        if (typeof text === 'string') found.set(`${name}.${key}`, text);
  }
  return found;
}

describe("the dashboard's GraphQL documents", () => {
  it('are each valid against schema.gql', async () => {
    const docs = await documents();
    // Queries, mutations and subscriptions: every one the dashboard has.
    expect(docs.size).toBeGreaterThanOrEqual(20);
    const problems: string[] = [];
    for (const [name, text] of docs) {
      let document: DocumentNode;
      try {
        document = parse(text);
      } catch (error) {
        problems.push(`${name}: ${(error as Error).message}`);
        continue;
      }
      for (const error of validate(schema, document)) problems.push(`${name}: ${error.message}`);
    }
    expect(problems).toEqual([]);
  });

  it('are all in queries.js: no script sends a document of its own', () => {
    const inline: string[] = [];
    for (const file of scripts()) {
      const text = readFileSync(file, 'utf8');
      if (/\bgql\(\s*[`'"]/.test(text)) inline.push(file);
      if (file.endsWith('queries.js')) continue;
      if (/[`'"]\s*(query|mutation|subscription)\b[\s\w$(]*[({]/.test(text)) inline.push(file);
    }
    expect(inline).toEqual([]);
  });

  it('would fail on a field the schema does not have', () => {
    const errors = validate(schema, parse('query { oppdragList(first: 1) { nodes { id titel } } }'));
    expect(errors.map((e) => e.message)).toEqual([
      'Cannot query field "titel" on type "Oppdrag". Did you mean "title"?',
    ]);
  });
});
