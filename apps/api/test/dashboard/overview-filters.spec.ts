/**
 * The overview's filters without a browser: the list heading they give, for any status an address can
 * carry (a shared or mistyped link may hold anything after `status=`).
 */

interface Filters {
  filters: Record<string, string>;
  listHeadingText(organisations: Array<{ id: string; shortName: string }>): unknown;
}
const load = async (): Promise<Filters> =>
  (await import(new URL('../../public/js/views/overview-filters.js', import.meta.url).href)) as Filters;

const ORGANISATIONS = [{ id: 'helse-vest', shortName: 'Helse Vest' }];

describe("the overview's list heading", () => {
  afterEach(async () => {
    const { filters } = await load();
    for (const key of Object.keys(filters)) filters[key] = '';
  });

  it('names the status chosen, and whom the list is led by', async () => {
    const { filters, listHeadingText } = await load();
    filters.status = 'open';
    filters.lead = 'helse-vest';
    expect(listHeadingText(ORGANISATIONS)).toBe('Åpne oppdrag som Helse Vest leder');
    filters.status = '';
    expect(listHeadingText(ORGANISATIONS)).toBe('Oppdrag som ikke er lukket, som Helse Vest leder');
  });

  it.each(['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty', 'SOMETHING'])(
    'says "Oppdrag" for a status it does not know (%s), never an object\'s inherited property',
    async (status) => {
      const { filters, listHeadingText } = await load();
      filters.status = status;
      expect(listHeadingText(ORGANISATIONS)).toBe('Oppdrag');
      filters.lead = 'none';
      expect(listHeadingText(ORGANISATIONS)).toBe('Oppdrag uten ledende RHF');
    },
  );
});
