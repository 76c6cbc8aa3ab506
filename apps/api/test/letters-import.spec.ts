import { pdfFromText, pdfWithoutText } from '../../../libs/letters/test/pdf-fixtures.js';
import { startTestServer, type TestServer } from './support/harness.js';

const LETTER = `Helse- og omsorgsdepartementet

Oppdragsdokument 2024

Helse Vest RHF

3 Hovedmål 1 Vi skal utdanne, rekruttere og beholde

Oppdrag 2024:

- De regionale helseforetakene skal, under ledelse av Helse Nord RHF, utrede felles rekruttering av jordmødre i samarbeid med Helsedirektoratet. Frist for oppdraget er 1. juni 2025.
- Helse Vest RHF skal kartlegge ventetider for barn og unge og rapportere innen 1. oktober 2024.
`;

describe('importing letters over GraphQL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ now: '2024-03-01T10:00:00Z' });
  });
  afterAll(() => server.close());

  const preview =
    'mutation($l: [LetterInput!]!) { previewLetter(letters: $l) { letters { recipient year kind } oppdrag { oppdragId lead { id } deadline collaborators { id } leadEvidence alreadyAssigned } } }';
  const commit =
    'mutation($l: [LetterInput!]!) { commitLetterImport(letters: $l) { assigned unchanged refused { oppdragId code } } }';
  const letters = [{ text: LETTER, fileName: 'vest-2024.txt' }];

  it('a coordinator previews a letter without writing anything, then commits it once', async () => {
    const token = await server.token('coordinator');
    const { body } = await server.gql<{
      previewLetter: {
        oppdrag: Array<{
          oppdragId: string;
          lead: { id: string } | null;
          deadline: string | null;
          alreadyAssigned: boolean;
        }>;
      };
    }>(token, preview, { l: letters });
    expect(body.errors).toBeUndefined();
    const proposed = body.data!.previewLetter.oppdrag;
    expect(proposed.length).toBeGreaterThanOrEqual(2);
    expect(proposed.some((p) => p.lead?.id === 'helse-nord' && p.deadline === '2025-06-01')).toBe(true);
    expect(proposed.every((p) => !p.alreadyAssigned)).toBe(true);
    expect(await server.store.readAll({ maxCount: 10 })).toHaveLength(0);

    const first = await server.gql<{ commitLetterImport: { assigned: string[]; unchanged: string[] } }>(
      token,
      commit,
      { l: letters },
    );
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.commitLetterImport.assigned.sort()).toEqual(
      proposed.map((p) => p.oppdragId).sort(),
    );
    const again = await server.gql<{ commitLetterImport: { assigned: string[]; unchanged: string[] } }>(
      token,
      commit,
      { l: letters },
    );
    expect(again.body.data!.commitLetterImport).toMatchObject({
      assigned: [],
      unchanged: expect.arrayContaining(proposed.map((p) => p.oppdragId)),
    });
    expect(await server.store.readAll({ maxCount: 100 })).toHaveLength(proposed.length);

    const read = await server.gql<{ oppdrag: { id: string } | null }>(
      token,
      'query($id: ID!) { oppdrag(id: $id) { id } }',
      { id: proposed[0]!.oppdragId },
    );
    expect(read.body.data!.oppdrag?.id).toBe(proposed[0]!.oppdragId);
  });

  it('refuses everyone but coordinators, and a text that is no letter, writing nothing', async () => {
    const rhf = await server.token('rhf', 'helse-vest');
    const refused = await server.gql(rhf, preview, { l: letters });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const coordinator = await server.token('coordinator');
    const before = (await server.store.readAll({ maxCount: 1000 })).length;
    for (const text of ['hei og hopp, dette er ingen brev', '\u0000\u0001binary']) {
      const bad = await server.gql(coordinator, commit, { l: [{ text }] });
      expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(bad.body.errors?.[0]?.message).toMatch(/^letters: /);
    }
    expect((await server.store.readAll({ maxCount: 1000 })).length).toBe(before);
  });

  it('reads a letter sent as PDF like its text, and refuses a scanned PDF', async () => {
    const coordinator = await server.token('coordinator');
    const base64 = Buffer.from(await pdfFromText(LETTER)).toString('base64');
    const fromText = await server.gql<{ previewLetter: { oppdrag: unknown[] } }>(coordinator, preview, {
      l: letters,
    });
    const fromPdf = await server.gql<{ previewLetter: { oppdrag: unknown[] } }>(coordinator, preview, {
      l: [{ pdfBase64: base64, fileName: 'vest-2024.txt' }],
    });
    expect(fromPdf.body.errors).toBeUndefined();
    expect(fromPdf.body.data!.previewLetter.oppdrag).toEqual(fromText.body.data!.previewLetter.oppdrag);

    const scanned = Buffer.from(await pdfWithoutText()).toString('base64');
    const refused = await server.gql(coordinator, preview, { l: [{ pdfBase64: scanned }] });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0]?.message).toMatch(/no text layer/);
    const both = await server.gql(coordinator, preview, { l: [{ text: LETTER, pdfBase64: base64 }] });
    expect(both.body.errors?.[0]?.message).toMatch(/as text or as pdfBase64, not both/);
  });
});
