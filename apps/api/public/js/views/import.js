// @ts-check
// Importing assignment letters (coordinators): paste or pick the letter text → review what the API
// read from it (lead, deadline, collaborators and the evidence for each) → commit the chosen oppdrag.
// The API's previewLetter writes nothing; commitLetterImport assigns, and importing again changes nothing.

import { field, focusHeading, h, replace, uid } from '../dom.js';
import { errorMessage, gql, norwegianDetail, sentenceFor } from '../graphql.js';
import { COMMIT_LETTERS, PREVIEW_LETTER } from '../queries.js';
import { importNotesOf, lettersListOf, reviewRowOf, reviewTableOf } from './import-sections.js';

/** @import { Context, LetterImportResult, LetterInput, LetterPreview, Organisation, View } from '../types.js' */

/**
 * A chosen file's text, read as UTF-8.
 * @param {File} file
 * @returns {Promise<string>}
 */
const readFile = (file) => file.text();

/** The paste form's controls. */
function pasteControls() {
  return {
    text: h('textarea', { name: 'text', rows: 10, spellcheck: 'false' }),
    fileName: h('input', { type: 'text', name: 'fileName', maxlength: '200' }),
    files: h('input', { type: 'file', name: 'files', accept: '.txt,text/plain', multiple: true }),
    errors: h('div', { role: 'alert' }),
    readButton: h('button', { type: 'submit', class: 'button' }, 'Les brevet'),
  };
}

/** @typedef {ReturnType<typeof pasteControls>} PasteControls */

/**
 * "1. Lim inn brevet": the letter's text, or text files; `onRead` reads them.
 * @param {PasteControls} c
 * @param {() => void} onRead
 */
function pasteForm(c, onRead) {
  return h(
    'form',
    {
      class: 'stack',
      novalidate: true,
      'data-testid': 'import-form',
      onSubmit: (/** @type {Event} */ event) => {
        event.preventDefault();
        onRead();
      },
    },
    field('Brevtekst', c.text, 'Lim inn hele brevet som ren tekst (oppdragsdokument eller tilleggsdokument)')
      .wrap,
    h(
      'div',
      { class: 'row-2' },
      field(
        'Filnavn (valgfritt)',
        c.fileName,
        'Brukes i kildereferansen, f.eks. oppdragsdokument-2024-helse-vest.txt',
      ).wrap,
      field('Eller velg tekstfiler', c.files, 'Hver fil leses som ett brev, i tillegg til teksten over').wrap,
    ),
    c.errors,
    h('div', { class: 'form-actions' }, c.readButton),
  );
}

/**
 * The letters to read: the pasted text, then each chosen file. Rejects when a file cannot be read.
 * @param {PasteControls} c
 * @returns {Promise<LetterInput[]>}
 */
async function lettersOf(c) {
  /** @type {LetterInput[]} */
  const letters = [];
  if (c.text.value.trim()) letters.push({ text: c.text.value, fileName: c.fileName.value.trim() || null });
  for (const file of c.files.files ?? []) letters.push({ text: await readFile(file), fileName: file.name });
  return letters;
}

/**
 * "2. Se gjennom forslaget": what the reader proposes, a checkbox for each oppdrag (those already
 * assigned are not ticked), and the button that imports the ticked ones.
 * @param {HTMLElement} section
 * @param {object} review
 * @param {LetterPreview} review.proposal what the reader proposes
 * @param {LetterInput[]} review.letters the letters it read
 * @param {Organisation[]} review.organisations
 * @param {() => boolean} review.unmounted
 * @param {() => void} review.onCancel
 * @param {(result: LetterImportResult) => void} review.onDone
 */
function showReview(section, { proposal, letters, organisations, unmounted, onCancel, onDone }) {
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
    section,
    h('h2', { id: 'review-h', tabindex: '-1' }, '2. Se gjennom forslaget'),
    lettersListOf(proposal.letters, organisations),
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
            section.hidden = true;
            onCancel();
          },
        },
        'Avbryt',
      ),
    ),
  );
  section.hidden = false;
  updateCount();
  focusHeading(section.querySelector('h2'));

  async function commit() {
    const chosen = [...checks.entries()].filter(([, c]) => c.checked).map(([id]) => id);
    commitButton.disabled = true;
    replace(commitErrors);
    try {
      const data = await gql(COMMIT_LETTERS, { letters, ids: chosen });
      if (unmounted()) return;
      onDone(data.commitLetterImport);
    } catch (error) {
      replace(commitErrors, errorMessage(error, 'Importen ble ikke lagret.'));
      commitButton.disabled = false;
    }
  }
}

/**
 * "3. Resultat": what was assigned, what was there already, and what was refused and why.
 * @param {LetterImportResult} result
 * @param {LetterPreview} proposal what was imported from
 */
function resultOf(result, proposal) {
  const titles = new Map(proposal.oppdrag.map((p) => [p.oppdragId, p.title]));
  const link = (/** @type {string} */ id) =>
    h('li', null, h('a', { href: `#/oppdrag/${id}` }, titles.get(id) ?? id), ` (${id})`);
  return [
    h('h2', { id: 'result-h', tabindex: '-1' }, '3. Resultat'),
    h(
      'p',
      { 'data-testid': 'import-summary' },
      `${result.assigned.length} oppdrag tildelt, ${result.unchanged.length} fantes fra før og ble ikke endret, ${result.refused.length} avvist.`,
    ),
    result.assigned.length > 0 ? [h('h3', null, 'Tildelt'), h('ul', null, result.assigned.map(link))] : null,
    result.unchanged.length > 0
      ? [h('h3', null, 'Uendret'), h('ul', null, result.unchanged.map(link))]
      : null,
    result.refused.length > 0
      ? [h('h3', null, 'Avvist'), h('ul', null, result.refused.map(refusalOf))]
      : null,
  ];
}

/**
 * An oppdrag the import refused, in Norwegian, with the API's own message folded away.
 * @param {LetterImportResult['refused'][number]} r
 */
function refusalOf(r) {
  return h(
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
  );
}

/**
 * Reads the letters of the paste form with the API's letter reader (which writes nothing), and hands
 * what it proposes to `onProposal`; a letter that cannot be read is said at the form.
 * @param {PasteControls} paste
 * @param {() => boolean} unmounted
 * @param {(proposal: LetterPreview, letters: LetterInput[]) => void} onProposal
 */
async function readLetters(paste, unmounted, onProposal) {
  replace(paste.errors);
  /** @type {LetterInput[]} */
  let letters;
  try {
    letters = await lettersOf(paste);
  } catch (error) {
    replace(paste.errors, errorMessage(error, 'En av filene kunne ikke leses.'));
    return;
  }
  if (letters.length === 0) {
    replace(
      paste.errors,
      h(
        'div',
        { class: 'message message--error' },
        h('p', null, 'Lim inn brevteksten eller velg en fil først.'),
      ),
    );
    paste.text.focus();
    return;
  }
  paste.readButton.disabled = true;
  try {
    const data = await gql(PREVIEW_LETTER, { letters });
    if (unmounted()) return;
    onProposal(data.previewLetter, letters);
  } catch (error) {
    replace(paste.errors, errorMessage(error, 'Brevet kunne ikke leses.'));
  } finally {
    paste.readButton.disabled = false;
  }
}

/**
 * The page for those who may not import.
 * @param {HTMLElement} main
 * @param {HTMLElement} heading
 * @returns {View}
 */
function notAllowed(main, heading) {
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

/**
 * @param {HTMLElement} main
 * @param {Context} ctx
 * @returns {View}
 */
export function renderImport(main, ctx) {
  const heading = h('h1', { tabindex: '-1' }, 'Importer brev');
  if (String(ctx.me.role).toUpperCase() !== 'COORDINATOR') return notAllowed(main, heading);

  let unmounted = false;
  const isUnmounted = () => unmounted;
  const paste = pasteControls();
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
      pasteForm(
        paste,
        () =>
          void readLetters(paste, isUnmounted, (proposal, letters) => {
            resultSection.hidden = true;
            showReview(reviewSection, {
              proposal,
              letters,
              organisations: ctx.organisations,
              unmounted: isUnmounted,
              onCancel: () => paste.text.focus(),
              onDone: (result) => showResult(result, proposal),
            });
          }),
      ),
    ),
    reviewSection,
    resultSection,
  );
  focusHeading(heading);

  /** @param {LetterImportResult} result @param {LetterPreview} proposal */
  function showResult(result, proposal) {
    replace(resultSection, resultOf(result, proposal));
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
