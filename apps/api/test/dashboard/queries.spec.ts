import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

const DOCUMENT = /^\s*(query|mutation|subscription)\b/;
/** Scripts that cannot be imported outside a browser: they touch the page, or load a served vendor file. */
const BROWSER_ONLY = ['main.js', 'live.js'];

/**
 * The documents the dashboard's modules export: each exported string that is a GraphQL document, and
 * each such string in an exported object (the mutations by name), named by module and export.
 */
async function documents(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const file of scripts()) {
    if (BROWSER_ONLY.some((name) => file.endsWith(`/js/${name}`))) continue;
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const where = relative(PUBLIC, file);
    for (const [name, value] of Object.entries(module)) {
      if (typeof value === 'string' && DOCUMENT.test(value)) found.set(`${where} ${name}`, value);
      else if (value && typeof value === 'object' && !Array.isArray(value))
        for (const [key, text] of Object.entries(value))
          if (typeof text === 'string' && DOCUMENT.test(text)) found.set(`${where} ${name}.${key}`, text);
    }
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

  it('are all exported constants: no script sends a document written in its call', async () => {
    const exported = new Set(
      [...(await documents()).values()].map((text) => /^\s*\w+\s+(\w+)/.exec(text)?.[1] ?? ''),
    );
    const problems: string[] = [];
    for (const file of scripts()) {
      const text = readFileSync(file, 'utf8');
      if (/\bgql\(\s*[`'"]/.test(text))
        problems.push(`${relative(PUBLIC, file)}: a document in a gql() call`);
      // Every named operation written in a script is one of the exported (and so validated) documents.
      for (const match of text.matchAll(/[`'"]\s*(?:query|mutation|subscription)\s+(\w+)/g))
        if (!exported.has(match[1] ?? ''))
          problems.push(`${relative(PUBLIC, file)}: ${match[1]} is not exported`);
    }
    expect(problems).toEqual([]);
  });

  it('would fail on a field the schema does not have', () => {
    const errors = validate(schema, parse('query { oppdragList(first: 1) { nodes { id titel } } }'));
    expect(errors.map((e) => e.message)).toEqual([
      'Cannot query field "titel" on type "Oppdrag". Did you mean "title"?',
    ]);
  });
});
