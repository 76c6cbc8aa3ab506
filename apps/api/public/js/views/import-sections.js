// @ts-check
// The parts of the import review, each built from the reader's proposal: the letters read, the reader's
// notes in Norwegian, and the proposed oppdrag with the evidence for each field.

import { h } from '../dom.js';
import { formatDate, orgName } from '../format.js';
import { norwegianNote } from '../import-notes.js';

/** @import { LetterSummary, ProposedOppdrag } from '../types.js' */

/** @type {Record<string, string>} */
const KIND_LABELS = { hoveddokument: 'Oppdragsdokument', tilleggsdokument: 'Tilleggsdokument' };
const LOW_CONFIDENCE = 0.6;

/**
 * The letters read: name, kind, year, recipient, date, and how many oppdrag each holds.
 * @param {LetterSummary[]} letters
 * @param {Array<{ id: string, name: string }>} organisations
 */
export function lettersListOf(letters, organisations) {
  return h(
    'ul',
    { class: 'plain' },
    letters.map((l) =>
      h(
        'li',
        null,
        h('strong', null, l.letter),
        ` – ${KIND_LABELS[l.kind] ?? l.kind} ${l.year}`,
        l.recipient ? `, til ${organisations.find((o) => o.id === l.recipient)?.name ?? l.recipient}` : '',
        l.date ? `, datert ${formatDate(l.date)}` : '',
        `: ${l.oppdrag} oppdrag`,
      ),
    ),
  );
}

/**
 * The reader's notes on the letters, in Norwegian; nothing when it has none.
 * @param {string[]} warnings
 */
export function importNotesOf(warnings) {
  return warnings.length > 0
    ? h(
        'div',
        { class: 'message message--info' },
        h('p', null, h('strong', null, 'Merknader fra innlesingen:')),
        h(
          'ul',
          null,
          warnings.map((w) => {
            const note = norwegianNote(w);
            return h(
              'li',
              null,
              note.text,
              note.known
                ? null
                : h(
                    'details',
                    { class: 'detail' },
                    h('summary', null, 'Tekniske detaljer'),
                    h('span', { lang: 'en' }, w),
                  ),
            );
          }),
        ),
      )
    : null;
}

/**
 * One proposed oppdrag in the review: what was read, with the evidence for each field.
 * @param {ProposedOppdrag} p
 * @param {HTMLInputElement} box its checkbox
 */
export function reviewRowOf(p, box) {
  const lowConfidence = p.confidence < LOW_CONFIDENCE;
  return h(
    'tr',
    { dataset: { id: p.oppdragId } },
    h('td', null, box, h('label', { for: box.id, class: 'visually-hidden' }, `Importer ${p.oppdragId}`)),
    h(
      'td',
      null,
      h('strong', null, p.title),
      h('div', { class: 'table-id' }, p.oppdragId),
      p.hovedmalTitle
        ? h('div', { class: 'evidence' }, `Hovedmål ${p.hovedmalNumber ?? ''} ${p.hovedmalTitle}`)
        : null,
      h('details', null, h('summary', null, 'Hele teksten'), h('p', { class: 'description' }, p.description)),
      p.alreadyAssigned
        ? h('span', { class: 'badge badge--assigned' }, 'finnes allerede – endres ikke')
        : null,
    ),
    h(
      'td',
      null,
      orgName(p.lead, p.addressedTo === 'all' ? 'Ingen (alle RHF-er, hver for seg)' : 'Ingen'),
      p.leadEvidence ? h('div', { class: 'evidence' }, `«${p.leadEvidence}»`) : null,
    ),
    h(
      'td',
      null,
      p.deadline ? formatDate(p.deadline) : 'Ingen (Årlig melding)',
      p.milestones.map((m) => h('div', { class: 'evidence' }, `${m.title}: ${formatDate(m.dueDate)}`)),
      p.dateEvidence.map((d) =>
        h(
          'div',
          { class: 'evidence' },
          `«${d.phrase}»${d.convention ? ` (${norwegianNote(d.convention).text})` : ''}`,
        ),
      ),
    ),
    h('td', null, p.collaborators.length > 0 ? p.collaborators.map((c) => c.shortName).join(', ') : '–'),
    h(
      'td',
      { class: 'num' },
      `${Math.round(p.confidence * 100)} %`,
      lowConfidence ? h('div', null, h('span', { class: 'badge badge--late' }, 'sjekk')) : null,
    ),
  );
}

/**
 * The table of proposed oppdrag.
 * @param {HTMLElement[]} rows
 */
export function reviewTableOf(rows) {
  return h(
    'div',
    { class: 'scroll-review' },
    h(
      'table',
      { class: 'review-table', 'data-testid': 'review-table' },
      h('caption', { class: 'visually-hidden' }, 'Foreslåtte oppdrag'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, 'Velg'),
          h('th', { scope: 'col' }, 'Oppdrag'),
          h('th', { scope: 'col' }, 'Ledende (belegg)'),
          h('th', { scope: 'col' }, 'Frist (belegg)'),
          h('th', { scope: 'col' }, 'Samarbeidspartnere'),
          h('th', { scope: 'col', class: 'num' }, 'Sikkerhet'),
        ),
      ),
      h('tbody', null, rows),
    ),
  );
}
