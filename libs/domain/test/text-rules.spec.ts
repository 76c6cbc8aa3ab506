/**
 * Text a command carries (titles, reasons, notes, descriptions, sources) must not hide or reorder what a
 * reader sees: control characters, ANSI escapes and bidirectional overrides are refused with the field
 * named, on every entry path, since the rule is the decider's own.
 */
import {
  assign,
  assigned,
  changeDeadline,
  coordinator,
  leadRhfUser,
  recordMilestone,
  statusrapport,
} from './support/fixtures.js';
import { given } from './support/given.js';

const HOSTILE: ReadonlyArray<[string, string, string]> = [
  ['NUL', 'Plan\u0000', 'U+0000'],
  ['an ANSI escape', '\u001b[31mRødt\u001b[0m', 'U+001B'],
  ['a C1 control (CSI)', 'Plan \u009b2J', 'U+009B'],
  ['a right-to-left override', 'Plan \u202Etxt.exe', 'U+202E'],
  ['a left-to-right embedding', 'Plan \u202A', 'U+202A'],
  ['a first-strong isolate', 'Plan \u2068x\u2069', 'U+2068'],
  ['DEL', 'Plan\u007f', 'U+007F'],
];

describe('text fields refuse control characters, ANSI escapes and bidi overrides, naming the field', () => {
  it.each(HOSTILE)('a title with %s', (_name, text, code) => {
    const error = given()
      .when(assign({ title: text }), { actor: coordinator })
      .thenRefuses(
        'VALIDATION',
        `must not contain control characters, ANSI escapes or bidirectional overrides`,
      );
    expect(error.message).toContain(code);
    expect(error.message).toMatch(/^title: /);
  });

  it.each([
    ['description', { description: 'Første linje.\n\u202EAndre' }],
    ['hovedmal.title', { hovedmal: { number: 1, title: 'Mål \u001b[2J' } }],
  ])('%s of an assignment', (field, overrides) => {
    const error = given()
      .when(assign(overrides), { actor: coordinator })
      .thenRefuses('VALIDATION', 'must not contain control characters');
    expect(error.message.startsWith(`${field}: `)).toBe(true);
  });

  it('a reason and a note', () => {
    given(assigned())
      .when(changeDeadline('2024-12-01', 'Avtalt\u0007'), { actor: coordinator })
      .thenRefuses('VALIDATION', /^reason: must not contain control characters.* U\+0007, at position 7$/);
    given(assigned())
      .when(recordMilestone(statusrapport.id, '2024-04-20', 'sak 24/555', 'Levert\u202E'), {
        actor: leadRhfUser,
      })
      .thenRefuses('VALIDATION', /^note: must not contain control characters/);
  });

  it('keeps line breaks, tabs and Norwegian letters', () => {
    given()
      .when(assign({ title: 'Æ, ø og å\tgår bra', description: 'Linje én.\r\nLinje to.\fSide to.' }), {
        actor: coordinator,
      })
      .accepted();
  });
});
