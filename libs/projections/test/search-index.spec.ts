import { SearchIndex, stemOf, SummaryMap, type OppdragSummary } from '../src/index.js';

/** A search source over plain texts, its ids kept in a SummaryMap as the projector keeps them. */
function sourceOf(texts: Record<string, string>) {
  const summaries = new SummaryMap();
  const text = new Map<string, string>();
  let reads = 0;
  const put = (id: string, value: string) => {
    text.set(id, value);
    summaries.set(id, { id } as OppdragSummary);
  };
  for (const [id, value] of Object.entries(texts)) put(id, value);
  return {
    summaries,
    searchText: (id: string) => {
      reads += 1;
      return text.get(id) ?? '';
    },
    put,
    reads: () => reads,
  };
}

const found = (index: SearchIndex, query: string) => [...(index.matching(query) ?? [])].sort();

describe('free-text search', () => {
  describe('given oppdrag in bokmål and nynorsk', () => {
    const source = sourceOf({
      b1: 'Helse Vest RHF skal sikre tilgang til legemidler i sykehusene.',
      b2: 'De regionale helseforetakene skal vurdere bruk av KI-verktøy i diagnostikk.',
      b3: 'Styrke det psykiske helsevernet og tilbudet om psykisk helsehjelp.',
      b4: 'Utarbeide nye regler for innkjøp av legemiddel til barn.',
      b5: 'Innføre felles løsning for pasientens legemiddelliste.',
      n1: 'Dei regionale helseføretaka skal sikre at legemidla blir brukte rett.',
      n2: 'Helse Nord RHF skal greie ut tenestene i sjukehusa i Finnmark.',
      n3: 'Dei regionale helseføretaka skal vurdere kirurgiske tilbod og nye legemidlar.',
    });
    const index = new SearchIndex(source);

    it('finds the inflected forms of a word in both written standards', () => {
      expect(found(index, 'legemiddel')).toEqual(['b1', 'b4', 'b5', 'n1', 'n3']);
      expect(found(index, 'legemidlene')).toEqual(['b1', 'b4', 'n1', 'n3']);
      // The start of a compound word, as typed.
      expect(found(index, 'legemiddelliste')).toEqual(['b5']);
      // Folded, "føretak" is spelled as "foretak": either standard's word finds both.
      expect(found(index, 'helseforetak')).toEqual(['b2', 'n1', 'n3']);
      expect(found(index, 'helseføretaket')).toEqual(['b2', 'n1', 'n3']);
      expect(found(index, 'tenester')).toEqual(['n2']);
      expect(found(index, 'sjukehus')).toEqual(['n2']);
      expect(found(index, 'sykehus')).toEqual(['b1']);
      expect(found(index, 'regel')).toEqual(['b4']);
    });

    it('matches the start of a word, not the middle of one', () => {
      expect(found(index, 'legemid')).toEqual(['b1', 'b4', 'b5', 'n1', 'n3']);
      expect(found(index, 'psyk')).toEqual(['b3']);
      expect(found(index, 'ykisk')).toEqual([]);
      expect(found(index, 'finn')).toEqual(['n2']);
    });

    it('takes a short word whole: "KI" is not found in "psykisk" nor "kirurgiske"', () => {
      expect(found(index, 'KI')).toEqual(['b2']);
      expect(found(index, 'ki')).toEqual(['b2']);
    });

    it('finds only the oppdrag that hold every word, in any case and with or without accents', () => {
      expect(found(index, 'legemidler SJUKEHUS')).toEqual([]);
      expect(found(index, 'legemidler sykehus')).toEqual(['b1']);
      expect(found(index, 'HELSEFORETAKA legemidlar')).toEqual(['n1', 'n3']);
      expect(found(index, 'finnes ikke')).toEqual([]);
    });

    it('reads no query as search syntax, and a query with no word restricts nothing', () => {
      expect(found(index, 'NEAR(legemidler sykehus) OR "* ^')).toEqual([]);
      expect(found(index, 'legemidler"*')).toEqual(['b1', 'b4', 'n1', 'n3']);
      expect(index.matching(' -- * ')).toBeNull();
    });
  });

  it('stems bokmål and nynorsk endings to one stem', () => {
    const stem = stemOf('legemiddel');
    for (const form of ['legemidler', 'legemidlene', 'legemidlar', 'legemidla', 'Legemidlane'])
      expect(stemOf(form)).toBe(stem);
    expect(stemOf('sykkel')).toBe(stemOf('syklene'));
    expect(stemOf('oppdraga')).toBe(stemOf('oppdragene'));
  });

  it('is built on the first search, then follows the changes to the oppdrag', () => {
    const source = sourceOf({ a: 'Kartlegge ventetider', b: 'Vurdere ambulansetjenesten' });
    const index = new SearchIndex(source);
    source.put('c', 'Ventetider i psykisk helsevern');
    expect(source.reads()).toBe(0);
    expect(found(index, 'ventetid')).toEqual(['a', 'c']);
    expect(source.reads()).toBe(3);

    // A corrected title is found by its new words, and no longer by its old ones.
    source.put('a', 'Kartlegge legemiddelmangel');
    source.put('d', 'Ny ventetidsgaranti');
    expect(found(index, 'ventetid')).toEqual(['c', 'd']);
    expect(found(index, 'legemiddelmangel')).toEqual(['a']);
    // Only the changed oppdrag were read again.
    expect(source.reads()).toBe(5);

    source.summaries.delete('c');
    expect(found(index, 'ventetid')).toEqual(['d']);
    source.summaries.clear();
    expect(found(index, 'ventetid')).toEqual([]);
    source.put('e', 'Ventetider');
    expect(found(index, 'ventetider')).toEqual(['e']);
  });
});
