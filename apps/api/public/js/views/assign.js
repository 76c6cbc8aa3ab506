// @ts-check
// The coordinator's form for assigning a new oppdrag.

import { field, h, replace, select } from '../dom.js';
import {
  clearFieldErrors,
  commandId,
  errorMessage,
  gql,
  showFieldError,
  showRefusalAtField,
} from '../graphql.js';
import { MUTATIONS } from '../queries.js';

/** @import { Context, Organisation } from '../types.js' */

/**
 * The names in a list written with commas, semicolons or lines.
 * @param {string} text
 */
const splitList = (text) =>
  text
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The form's controls, by the name of what they hold.
 * @param {string} year this year, the form's default
 * @param {Organisation[]} rhfs
 */
function assignControls(year, rhfs) {
  return {
    oppdragId: h('input', {
      type: 'text',
      name: 'oppdragId',
      required: true,
      pattern: '[a-z0-9][a-z0-9-]{0,79}',
    }),
    year: h('input', { type: 'number', name: 'year', min: '2000', max: '2100', value: year, required: true }),
    title: h('input', { type: 'text', name: 'title', maxlength: '300', required: true }),
    description: h('textarea', { name: 'description', maxlength: '20000' }),
    hovedmalNumber: h('input', { type: 'number', name: 'hovedmalNumber', min: '0', max: '99' }),
    hovedmalTitle: h('input', { type: 'text', name: 'hovedmalTitle', maxlength: '300' }),
    lead: select(
      'lead',
      [
        ...rhfs.map((o) => ({ value: o.id, label: o.name })),
        { value: '', label: 'Ingen – alle RHF-er, hver for seg' },
      ],
      rhfs[0]?.id,
    ),
    collaborators: h('input', { type: 'text', name: 'collaborators' }),
    deadline: h('input', { type: 'date', name: 'deadline' }),
    letter: h('input', { type: 'text', name: 'letter', maxlength: '300' }),
    milestoneTitle: h('input', { type: 'text', name: 'milestoneTitle', maxlength: '300' }),
    milestoneDue: h('input', { type: 'date', name: 'milestoneDue' }),
  };
}

/** @typedef {ReturnType<typeof assignControls>} AssignControls */
/** @typedef {Record<string, string>} AssignValues the controls' values by name, trimmed */

/**
 * "Rettet til": a checkbox for each RHF. None ticked means the API's default (the lead, or all four
 * with no lead).
 * @param {Organisation[]} rhfs
 */
function addresseesField(rhfs) {
  const boxes = rhfs.map((o) =>
    h('input', { type: 'checkbox', name: 'addressees', value: o.id, id: `assign-addressee-${o.id}` }),
  );
  const fieldset = h(
    'fieldset',
    { class: 'field checkboxes', 'aria-describedby': 'assign-addressees-help' },
    h('legend', null, 'Rettet til'),
    boxes.map((box, i) => h('label', { class: 'checkbox', for: box.id }, box, ` ${rhfs[i].shortName}`)),
    h(
      'span',
      { class: 'help', id: 'assign-addressees-help' },
      'Hvert RHF får sin egen del. Ingen valgt: ledende RHF alene, eller alle fire uten ledende RHF',
    ),
  );
  return { fieldset, boxes };
}

/**
 * The form's fields, in rows.
 * @param {AssignControls} controls
 * @param {HTMLElement} addressees
 */
function assignFields(controls, addressees) {
  return [
    h(
      'div',
      { class: 'row-3' },
      field(
        'Oppdrags-id (påkrevd)',
        controls.oppdragId,
        'Små bokstaver, tall og bindestrek, f.eks. 2024-hv-07',
      ).wrap,
      field('År (påkrevd)', controls.year).wrap,
      field('Ledende RHF', controls.lead).wrap,
    ),
    field('Tittel (påkrevd)', controls.title).wrap,
    field('Beskrivelse', controls.description).wrap,
    h(
      'div',
      { class: 'row-3' },
      field('Hovedmål (nummer)', controls.hovedmalNumber).wrap,
      field('Hovedmål (tittel)', controls.hovedmalTitle).wrap,
      field('Frist', controls.deadline, 'Tom: Årlig melding (15. mars året etter) gjelder').wrap,
    ),
    h(
      'div',
      { class: 'row-3' },
      field(
        'Samarbeidspartnere',
        controls.collaborators,
        'Navn eller id, skilt med komma. FHI og Folkehelseinstituttet er samme',
      ).wrap,
      field('Kilde (brev)', controls.letter, 'F.eks. Oppdragsdokument 2024').wrap,
      addressees,
    ),
    h(
      'div',
      { class: 'row-3' },
      field('Delleveranse (tittel)', controls.milestoneTitle, 'Valgfritt, f.eks. Statusrapport til HOD').wrap,
      field('Delleveranse (frist)', controls.milestoneDue, 'Påkrevd når delleveransen har en tittel').wrap,
      h('div'),
    ),
  ];
}

/**
 * Marks each required field left empty, and says what they are.
 * @param {AssignControls} controls
 * @param {AssignValues} v
 * @returns {string[]} what is missing, in words
 */
function markMissing(controls, v) {
  /** @type {string[]} */
  const missing = [];
  /**
   * @param {HTMLElement} control
   * @param {string} what how the summary names it
   * @param {string} label how the field's own message names it
   */
  const require = (control, what, label) => {
    missing.push(what);
    showFieldError(control, `${label} må fylles ut.`);
  };
  if (!v.oppdragId) require(controls.oppdragId, 'oppdrags-id', 'Oppdrags-id');
  if (!v.title) require(controls.title, 'tittel', 'Tittel');
  if (v.milestoneTitle && !v.milestoneDue)
    require(controls.milestoneDue, 'frist for delleveransen', 'Fristen for delleveransen');
  return missing;
}

/**
 * The command's input (AssignOppdragInput) for the form's values.
 * @param {AssignValues} v
 * @param {string} id the command's id
 * @param {HTMLInputElement[]} addresseeBoxes
 */
function assignInput(v, id, addresseeBoxes) {
  const hovedmalNumber = v.hovedmalNumber === '' ? null : Number(v.hovedmalNumber);
  return {
    oppdragId: v.oppdragId,
    commandId: id,
    year: Number(v.year),
    title: v.title,
    description: v.description,
    hovedmalNumber,
    hovedmalTitle: v.hovedmalTitle || null,
    lead: v.lead || null,
    addressees: addresseeBoxes.some((b) => b.checked)
      ? addresseeBoxes.filter((b) => b.checked).map((b) => b.value)
      : null,
    collaborators: splitList(v.collaborators),
    deadline: v.deadline || null,
    milestones: v.milestoneTitle
      ? [{ id: 'delleveranse-1', kind: 'statusrapport', title: v.milestoneTitle, dueDate: v.milestoneDue }]
      : [],
    sources: v.letter
      ? [
          {
            letter: v.letter,
            recipient: v.lead || null,
            letterKind: 'other',
            sectionNumber: hovedmalNumber,
            sectionTitle: v.hovedmalTitle || null,
          },
        ]
      : [],
  };
}

/**
 * @param {Context} ctx
 * @param {() => void} onDone called after an oppdrag was assigned
 */
export function renderAssignForm(ctx, onDone) {
  const year = ctx.today.slice(0, 4);
  const rhfs = ctx.organisations.filter((o) => o.kind === 'rhf');
  const controls = assignControls(year, rhfs);
  const addressees = addresseesField(rhfs);
  const errors = h('div', { role: 'alert' });
  const done = h('div', { role: 'status' });
  const submit = h('button', { type: 'submit', class: 'button' }, 'Tildel oppdraget');
  let id = commandId();

  const form = h(
    'form',
    {
      class: 'stack',
      novalidate: true,
      'data-action': 'assign',
      onSubmit: (/** @type {Event} */ event) => {
        event.preventDefault();
        void send();
      },
    },
    assignFields(controls, addressees.fieldset),
    errors,
    h('div', { class: 'form-actions' }, submit),
  );

  async function send() {
    replace(errors);
    replace(done);
    const v = Object.fromEntries(Object.entries(controls).map(([k, c]) => [k, c.value.trim()]));
    clearFieldErrors(form);
    const missing = markMissing(controls, v);
    if (missing.length > 0) {
      replace(
        errors,
        h('div', { class: 'message message--error' }, h('p', null, `Fyll ut ${missing.join(', ')}.`)),
      );
      return;
    }
    const input = assignInput(v, id, addressees.boxes);
    submit.disabled = true;
    try {
      await gql(MUTATIONS.assignOppdrag, { input });
      id = commandId();
      form.reset();
      controls.year.value = year;
      replace(
        done,
        h(
          'div',
          { class: 'message message--ok' },
          h(
            'p',
            null,
            'Oppdraget er tildelt: ',
            h('a', { href: `#/oppdrag/${input.oppdragId}` }, input.title),
          ),
        ),
      );
      onDone();
    } catch (error) {
      replace(errors, errorMessage(error, 'Oppdraget ble ikke tildelt.'));
      if (showRefusalAtField(form, error).code !== 'NETWORK') id = commandId();
    } finally {
      submit.disabled = false;
    }
  }

  return h(
    'details',
    { class: 'action panel', id: 'assign' },
    h('summary', null, 'Tildel et nytt oppdrag'),
    form,
    done,
  );
}
