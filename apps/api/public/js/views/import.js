// @ts-check
// Importing assignment letters (coordinators): paste or pick the letter text → review what the API
// read from it (lead, deadline, collaborators and the evidence for each) → commit the chosen oppdrag.
// The API's previewLetter writes nothing; commitLetterImport assigns, and importing again changes nothing.

import { field, focusHeading, h, replace, uid } from '../dom.js';
import { errorMessage, gql, norwegianDetail, sentenceFor } from '../graphql.js';
import { COMMIT_LETTERS, PREVIEW_LETTER } from '../queries.js';
import { importNotesOf, lettersListOf, reviewRowOf, reviewTableOf } from './import-sections.js';

/**
 * A chosen file's text, read as UTF-8.
 * @param {File} file
 * @returns {Promise<string>}
 */
const readFile = (file) => file.text();

/** @import { Context, LetterImportResult, LetterInput, LetterPreview, View } from '../types.js' */

/**
 * @param {HTMLElement} main
 * @param {Context} ctx
 * @returns {View}
 */
export function renderImport(main, ctx) {
  const heading = h('h1', { tabindex: '-1' }, 'Importer brev');
  if (String(ctx.me.role).toUpperCase() !== 'COORDINATOR') {
    replace(
      main,
      heading,
      h(
        'p',
        { class: 'readonly-note', 'data-testid': 'import-not-allowed' },
        'Bare koordinatorer i Helse- og omsorgsdepartementet kan importere oppdragsbrev. Du kan se oppdragene i oversikten.',
      ),
    );
    focusHeading(heading);
    return {};
  }

  /** @type {LetterInput[]} */
  let letters = [];
  /** @type {LetterPreview | null} */
  let preview = null;
  let unmounted = false;

  const textArea = h('textarea', { name: 'text', rows: 10, spellcheck: 'false' });
  const fileName = h('input', { type: 'text', name: 'fileName', maxlength: '200' });
  const files = h('input', { type: 'file', name: 'files', accept: '.txt,text/plain', multiple: true });
  const pasteErrors = h('div', { role: 'alert' });
  const readButton = h('button', { type: 'submit', class: 'button' }, 'Les brevet');
  const reviewSection = h('section', {
    class: 'panel',
    'aria-labelledby': 'review-h',
    hidden: true,
    id: 'review',
  });
  const resultSection = h('section', {
    class: 'panel',
    'aria-labelledby': 'result-h',
    hidden: true,
    id: 'import-result',
  });

  const pasteForm = h(
    'form',
    {
      class: 'stack',
      novalidate: true,
      'data-testid': 'import-form',
      onSubmit: (/** @type {Event} */ event) => {
        event.preventDefault();
        void runPreview();
      },
    },
    field(
      'Brevtekst',
      textArea,
      'Lim inn hele brevet som ren tekst (oppdragsdokument eller tilleggsdokument)',
    ).wrap,
    h(
      'div',
      { class: 'row-2' },
      field(
        'Filnavn (valgfritt)',
        fileName,
        'Brukes i kildereferansen, f.eks. oppdragsdokument-2024-helse-vest.txt',
      ).wrap,
      field('Eller velg tekstfiler', files, 'Hver fil leses som ett brev, i tillegg til teksten over').wrap,
    ),
    pasteErrors,
    h('div', { class: 'form-actions' }, readButton),
  );

  replace(
    main,
    h(
      'div',
      { class: 'page-head' },
      heading,
      h('p', null, 'Ingenting lagres før du har sett gjennom forslaget og valgt «Importer».'),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'paste-h' },
      h('h2', { id: 'paste-h' }, '1. Lim inn brevet'),
      pasteForm,
    ),
    reviewSection,
    resultSection,
  );
  focusHeading(heading);

  async function runPreview() {
    replace(pasteErrors);
    /** @type {LetterInput[]} */
    const collected = [];
    if (textArea.value.trim()) {
      collected.push({ text: textArea.value, fileName: fileName.value.trim() || null });
    }
    try {
      for (const file of files.files ?? [])
        collected.push({ text: await readFile(file), fileName: file.name });
    } catch (error) {
      replace(pasteErrors, errorMessage(error, 'En av filene kunne ikke leses.'));
      return;
    }
    if (collected.length === 0) {
      replace(
        pasteErrors,
        h(
          'div',
          { class: 'message message--error' },
          h('p', null, 'Lim inn brevteksten eller velg en fil først.'),
        ),
      );
      textArea.focus();
      return;
    }
    readButton.disabled = true;
    try {
      const data = await gql(PREVIEW_LETTER, { letters: collected });
      if (unmounted) return;
      letters = collected;
      preview = data.previewLetter;
      resultSection.hidden = true;
      renderReview(preview);
    } catch (error) {
      replace(pasteErrors, errorMessage(error, 'Brevet kunne ikke leses.'));
    } finally {
      readButton.disabled = false;
    }
  }

  /** @param {LetterPreview} proposal what the reader proposes */
  function renderReview(proposal) {
    /** @type {Map<string, HTMLInputElement>} */
    const checks = new Map();
    const count = h('p', { class: 'panel__hint', role: 'status', 'data-testid': 'review-count' });
    const commitErrors = h('div', { role: 'alert' });
    const commitButton = h('button', { type: 'button', class: 'button', onClick: () => void commit() });
    const updateCount = () => {
      const chosen = [...checks.values()].filter((c) => c.checked).length;
      count.textContent = `${proposal.oppdrag.length} foreslåtte oppdrag, ${chosen} valgt for import.`;
      commitButton.textContent = `Importer valgte (${chosen})`;
      commitButton.disabled = chosen === 0;
    };

    const rows = proposal.oppdrag.map((p) => {
      const box = h('input', {
        type: 'checkbox',
        id: uid('pick'),
        checked: !p.alreadyAssigned,
        onChange: updateCount,
        dataset: { id: p.oppdragId },
      });
      checks.set(p.oppdragId, box);
      return reviewRowOf(p, box);
    });

    replace(
      reviewSection,
      h('h2', { id: 'review-h', tabindex: '-1' }, '2. Se gjennom forslaget'),
      lettersListOf(proposal.letters, ctx.organisations),
      importNotesOf(proposal.warnings),
      count,
      reviewTableOf(rows),
      commitErrors,
      h(
        'div',
        { class: 'form-actions' },
        commitButton,
        h(
          'button',
          {
            type: 'button',
            class: 'button button--quiet',
            onClick: () => {
              reviewSection.hidden = true;
              preview = null;
              textArea.focus();
            },
          },
          'Avbryt',
        ),
      ),
    );
    reviewSection.hidden = false;
    updateCount();
    focusHeading(reviewSection.querySelector('h2'));

    async function commit() {
      const chosen = [...checks.entries()].filter(([, c]) => c.checked).map(([id]) => id);
      commitButton.disabled = true;
      replace(commitErrors);
      try {
        const data = await gql(COMMIT_LETTERS, { letters, ids: chosen });
        if (unmounted) return;
        renderResult(data.commitLetterImport, proposal);
      } catch (error) {
        replace(commitErrors, errorMessage(error, 'Importen ble ikke lagret.'));
        commitButton.disabled = false;
      }
    }
  }

  /**
   * @param {LetterImportResult} result
   * @param {LetterPreview} proposal what was imported from
   */
  function renderResult(result, proposal) {
    const titles = new Map(proposal.oppdrag.map((p) => [p.oppdragId, p.title]));
    const link = (/** @type {string} */ id) =>
      h('li', null, h('a', { href: `#/oppdrag/${id}` }, titles.get(id) ?? id), ` (${id})`);
    replace(
      resultSection,
      h('h2', { id: 'result-h', tabindex: '-1' }, '3. Resultat'),
      h(
        'p',
        { 'data-testid': 'import-summary' },
        `${result.assigned.length} oppdrag tildelt, ${result.unchanged.length} fantes fra før og ble ikke endret, ${result.refused.length} avvist.`,
      ),
      result.assigned.length > 0
        ? [h('h3', null, 'Tildelt'), h('ul', null, result.assigned.map(link))]
        : null,
      result.unchanged.length > 0
        ? [h('h3', null, 'Uendret'), h('ul', null, result.unchanged.map(link))]
        : null,
      result.refused.length > 0
        ? [
            h('h3', null, 'Avvist'),
            h(
              'ul',
              null,
              result.refused.map((r) =>
                h(
                  'li',
                  null,
                  `${r.oppdragId}: ${sentenceFor(r.code)}`,
                  norwegianDetail(r.message) ? ` ${norwegianDetail(r.message)}` : '',
                  h(
                    'details',
                    { class: 'detail' },
                    h('summary', null, 'Tekniske detaljer'),
                    h('span', { class: 'api-message', lang: 'en' }, r.message),
                    ` [${r.code}]`,
                  ),
                ),
              ),
            ),
          ]
        : null,
    );
    resultSection.hidden = false;
    reviewSection.hidden = true;
    focusHeading(resultSection.querySelector('h2'));
    ctx.announce(`${result.assigned.length} oppdrag tildelt.`);
  }

  return {
    unmount: () => {
      unmounted = true;
    },
  };
}
