/**
 * The dashboard's Norwegian wording of the API's messages, without a browser: each English message a
 * dashboard user can meet becomes a Norwegian sentence that names the form field.
 */

interface Messages {
  norwegianDetail(message: string, field?: string | null): string | null;
  fieldLabel(field: string | null): string | null;
}

const load = async (): Promise<Messages> =>
  (await import(new URL('../../public/js/graphql.js', import.meta.url).href)) as Messages;

describe("the dashboard's Norwegian for the API's messages", () => {
  it('names the field in Norwegian and says what is wrong', async () => {
    const { norwegianDetail, fieldLabel } = await load();
    expect(norwegianDetail('reason: is required and must not be blank', 'reason')).toBe(
      'Begrunnelse må fylles ut.',
    );
    expect(norwegianDetail('input.documentRef: must be at most 500 characters', 'input.documentRef')).toBe(
      'Dokumentreferanse kan ha høyst 500 tegn.',
    );
    expect(norwegianDetail('reportedOn: must not be after today (2024-05-01)', 'reportedOn')).toBe(
      'Dato kan ikke være etter i dag.',
    );
    expect(norwegianDetail('supersededBy: is allowed only with outcome superseded', 'supersededBy')).toBe(
      'Erstattet av fylles bare ut når utfallet er «erstattet».',
    );
    expect(norwegianDetail('the bearer token is not valid: signature verification failed')).toBe(
      'Innloggingen er utløpt eller ugyldig.',
    );
    expect(fieldLabel('milestone.dueDate')).toBe('Frist');
  });

  it('explains refused characters, letters that are not UTF-8 and file names with folders', async () => {
    const { norwegianDetail } = await load();
    expect(
      norwegianDetail(
        'input.title: must not contain control characters, ANSI escapes or bidirectional overrides (U+202A–U+202E, U+2066–U+2069): found a control character, U+0000, at position 5',
        'input.title',
      ),
    ).toBe('Tittel kan ikke inneholde kontrolltegn, ANSI-koder eller tegn som snur skriveretningen.');
    expect(
      norwegianDetail('letters: brev.txt: the text is not UTF-8 (it looks like Latin-1) [rule: not-utf8]'),
    ).toBe(
      'Brevet er ikke lagret som UTF-8 (det ser ut til å være Latin-1 eller Windows-1252). Lagre det som UTF-8 og prøv igjen.',
    );
    expect(norwegianDetail('letters[0].fileName must be a file name without folders', 'letters')).toBe(
      'Filnavnet kan ikke inneholde mapper (/ eller \\).',
    );
  });

  it('points at the field when it does not know the message, and says nothing English', async () => {
    const { norwegianDetail } = await load();
    expect(norwegianDetail('title: something new', 'title')).toBe('Sjekk feltet «Tittel».');
    expect(norwegianDetail('something new')).toBeNull();
  });
});
