import type { AssignData, SourceReference } from '#domain';
import { SqliteEventStore } from '#event-store';
import { assignCommand, coordinator } from '#testing';
import { assignPlanned, loadOppdrag, ManualClock, OppdragCommandHandler } from '../src/index.js';

/** The same joint oppdrag, read in each region's letter: one oppdrag whose sources grow, once each. */
describe('importing a joint oppdrag again from another region’s letter', () => {
  const source = (letter: string, recipient: string, lineStart: number): SourceReference => ({
    letter,
    recipient,
    letterKind: 'hoveddokument',
    section: { number: 1, title: 'Hovedmål 1' },
    heading: 'Oppdrag 2024',
    lineStart,
    lineEnd: lineStart + 2,
  });
  const fromLetter = (letter: string, recipient: string, lineStart: number): AssignData => ({
    ...assignCommand({ oppdragId: '2024-felles-01', lead: null }).data,
    addressees: [recipient],
    sources: [source(letter, recipient, lineStart)],
  });

  it('records the new source and its recipient as an addressee, once; the same letter again writes nothing', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    const handler = new OppdragCommandHandler(store, new ManualClock('2024-02-01T10:00:00Z'));
    const first = await assignPlanned(
      handler,
      [fromLetter('2024-hmn.txt', 'helse-midt-norge', 40)],
      coordinator,
    );
    expect(first.assigned).toEqual(['2024-felles-01']);

    const vest = await assignPlanned(handler, [fromLetter('2024-vest.txt', 'helse-vest', 77)], coordinator);
    expect(vest).toMatchObject({
      assigned: [],
      unchanged: [],
      sourcesAdded: [{ oppdragId: '2024-felles-01', letter: '2024-vest.txt' }],
    });
    const loaded = await loadOppdrag(store, '2024-felles-01');
    expect(loaded.events.map((e) => e.event.type)).toEqual(['OppdragAssigned', 'SourceAdded']);
    expect(loaded.state).toMatchObject({
      addressees: ['helse-midt-norge', 'helse-vest'],
      sources: [{ letter: '2024-hmn.txt' }, { letter: '2024-vest.txt' }],
    });

    for (const again of [
      fromLetter('2024-vest.txt', 'helse-vest', 77),
      fromLetter('2024-hmn.txt', 'helse-midt-norge', 40),
    ]) {
      const outcome = await assignPlanned(handler, [again], coordinator);
      expect(outcome).toMatchObject({ assigned: [], unchanged: ['2024-felles-01'], sourcesAdded: [] });
    }
    expect((await store.readStream('oppdrag-2024-felles-01')).length).toBe(2);
    await store.close();
  });
});
