import { startTestServer, type TestServer } from './support/harness.js';
import { errorOf, mark, post, writtenSince } from './support/clients.js';

/**
 * Input rules on every path into the API: list arguments get their input type's rules, a request body of
 * the wrong shape is the client's mistake, text refuses hidden characters, instants must name a real
 * moment, cursors must be ones the store can take, and a letter that is not UTF-8 is told so.
 */
const ASSIGN = `mutation ($input: AssignOppdragInput!) { assignOppdrag(input: $input) { revision } }`;
const PREVIEW = `mutation ($letters: [LetterInput!]!) { previewLetter(letters: $letters) { warnings } }`;
const LETTER =
  'Oppdragsdokument 2024\n\nHelse Vest RHF skal utrede felles innkjøp av legemidler innen 1. oktober 2024.\n';

describe('input rules', () => {
  let server: TestServer;
  let coordinator: string;
  let auditor: string;
  beforeAll(async () => {
    server = await startTestServer();
    coordinator = await server.token('coordinator', 'hod');
    auditor = await server.token('auditor');
  });
  afterAll(() => server.close());

  it.each([
    [
      'a folder in the file name',
      { fileName: '../../etc/passwd', text: LETTER },
      'must be a file name without folders',
    ],
    [
      'a file name of 201 characters',
      { fileName: `${'a'.repeat(197)}.txt`, text: LETTER },
      'shorter than or equal to 200 characters',
    ],
    [
      'a 100,002-character name with /',
      { fileName: `a/${'b'.repeat(100_000)}`, text: LETTER },
      'letters[1].fileName',
    ],
  ])('LetterInput rules hold in the letters list: %s', async (_name, letter, why) => {
    for (const mutation of [
      PREVIEW,
      `mutation ($letters: [LetterInput!]!) { commitLetterImport(letters: $letters) { assigned } }`,
    ]) {
      const before = await mark(server);
      const response = await server.gql(coordinator, mutation, {
        letters: [{ fileName: 'ok.txt', text: LETTER }, letter],
      });
      const error = errorOf(response);
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'letters' });
      expect(error.message).toContain('letters[1].fileName');
      expect(error.message).toContain(why);
      expect(await writtenSince(server, before)).toEqual([]);
    }
  });

  it.each([
    [{ query: 12345 }, 'query', 'query: must be a string holding a GraphQL document (got a number)'],
    [
      { query: '{ me { name } }', variables: [1] },
      'variables',
      'variables: must be an object of names and values (got a list)',
    ],
    [
      { query: '{ me { name } }', operationName: 7 },
      'operationName',
      'operationName: must be a string (got a number)',
    ],
  ])('a body of the wrong shape is 400 BAD_USER_INPUT naming the field: %j', async (body, field, message) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${auditor}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      data: null,
      errors: [{ message, extensions: { code: 'BAD_USER_INPUT', field } }],
    });
  });

  it.each([
    ['NUL', 'Tittel\u0000'],
    ['an ANSI escape', '\u001b[2J\u001b[31mTittel'],
    ['U+202E', 'Tittel \u202Efdp.exe'],
  ])('a title with %s is refused naming the field, and nothing is written', async (_name, title) => {
    const before = await mark(server);
    const response = await server.gql(coordinator, ASSIGN, {
      input: { oppdragId: '2024-text-01', year: 2024, title, lead: 'helse-vest' },
    });
    const error = errorOf(response);
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(
      /title: must not contain control characters, ANSI escapes or bidirectional overrides/,
    );
    expect(await writtenSince(server, before)).toEqual([]);
  });

  const AS_OF = `query ($instant: String!) { oppdragAsOf(id: "2024-none-01", instant: $instant) { asOf existed } }`;
  it.each([
    '2024-02-30T12:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-04-31T08:00:00+02:00',
    '2024-02-01T24:00:00Z',
    '2024-02-01T12:60:00Z',
    '2024-02-01T12:00:00+25:00',
  ])('oppdragAsOf refuses %s as no real instant instead of rolling it over', async (instant) => {
    const error = errorOf(await server.gql(auditor, AS_OF, { instant }));
    expect(error).toMatchObject({
      message: 'instant: must be an ISO instant such as 2024-06-01T12:00:00Z',
      extensions: { code: 'BAD_USER_INPUT', field: 'instant' },
    });
  });

  it('oppdragAsOf takes a real instant with an offset, in UTC', async () => {
    const response = await server.gql(auditor, AS_OF, { instant: '2024-02-29T23:30:00+01:00' });
    expect(response.body).toEqual({
      data: { oppdragAsOf: { asOf: '2024-02-29T22:30:00.000Z', existed: false } },
    });
  });

  it('auditTrail filters refuse a date that does not exist', async () => {
    const response = await server.gql(
      auditor,
      `query ($f: AuditFilterInput) { auditTrail(filter: $f) { endCursor } }`,
      {
        f: { from: '2024-02-30T00:00:00Z' },
      },
    );
    expect(errorOf(response).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('auditTrail(after) beyond the store’s integers is BAD_USER_INPUT naming the argument, not the driver', async () => {
    for (const after of ['99999999999999999999', '9007199254740993', '-1', '1e3']) {
      const response = await post(server, {
        token: auditor,
        query: `{ auditTrail(after: "${after}") { endCursor } }`,
      });
      expect(errorOf(response)).toEqual({
        message: 'after: must be a cursor this query gave out',
        path: ['auditTrail'],
        locations: expect.anything() as unknown,
        extensions: { code: 'BAD_USER_INPUT', field: 'after' },
      });
    }
  });

  it('a letter in Latin-1 is refused as not UTF-8, saying which encoding is expected', async () => {
    const latin1 = Buffer.from(
      `${LETTER}Både Helse Sør-Øst og Helse Nord skal være med på å lære. ${'Økonomi og særlige behov. '.repeat(20)}`,
      'latin1',
    );
    // What a browser or a UTF-8 reader makes of those bytes: every æ, ø and å becomes U+FFFD.
    const text = new TextDecoder('utf-8').decode(latin1);
    const error = errorOf(
      await server.gql(coordinator, PREVIEW, { letters: [{ fileName: 'brev-latin1.txt', text }] }),
    );
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'letters' });
    expect(error.message).toContain('brev-latin1.txt: the text is not UTF-8');
    expect(error.message).toContain('save the letter as UTF-8');
    expect(error.message).not.toContain('binary');
  });
});
