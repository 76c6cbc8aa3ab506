// @ts-check
// The actions panel of one oppdrag. Which actions are offered comes from the API alone
// (`oppdrag.allowedActions`, computed by the domain for the signed-in person); this file only knows how
// to ask for each action's input. An RHF user's start, milestone and report act on its own RHF's part.
// The API decides in the end; a refusal is shown as it answered.

import { field, h, replace, select } from '../dom.js';
import { formatDate, namesList, OUTCOME_LABELS } from '../format.js';
import { clearFieldErrors, commandId, gql, showFieldError, showRefusalAtField } from '../graphql.js';
import { MUTATIONS } from '../queries.js';

/** @import { Context, Me, MutationResult, Oppdrag, Organisation, OrganisationName } from '../types.js' */

/** @typedef {keyof typeof MUTATIONS} MutationName */
/** @typedef {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} Control */
/** @typedef {Record<string, string>} Values a form's values by field name, trimmed */

/**
 * One field of an action's form.
 * @typedef {object} FieldDef
 * @property {string} name the input field of the command it fills in
 * @property {string} label
 * @property {string | null} [help]
 * @property {boolean} [required]
 * @property {() => Control} control makes the control
 * @property {() => HTMLElement} [extra] something the control needs beside it (a datalist)
 */

/**
 * One action's form: its fields, the command it sends and what it says when that is saved.
 * @typedef {object} ActionDef
 * @property {string} title
 * @property {string | null} [hint]
 * @property {FieldDef[]} fields
 * @property {MutationName} mutation
 * @property {(values: Values) => Record<string, unknown>} input the command's input, without the ids
 * @property {(values: Values) => string} done
 */

/**
 * The signed-in RHF user's own part of the oppdrag, if it has one.
 * @template {{ organisation: { id: string } }} P
 * @param {{ organisation: { id: string } | null }} me
 * @param {{ parts: P[] }} o
 * @returns {P | null}
 */
export function ownPart(me, o) {
  const org = me.organisation?.id;
  return org ? (o.parts.find((p) => p.organisation.id === org) ?? null) : null;
}

/**
 * Why the API offers nothing (or what the offered actions act on), in words. The API's list decides what
 * is shown; this only explains it.
 */
/**
 * @param {Me} me
 * @param {Oppdrag} o
 * @param {string[]} actions the actions offered
 * @returns {string | null}
 */
function noteFor(me, o, actions) {
  const role = String(me.role).toUpperCase();
  if (role === 'AUDITOR') return 'Du er revisor: du kan se alt, også hele historikken, men ikke endre noe.';
  if (o.status === 'CLOSED') {
    return actions.includes('reopen')
      ? 'Oppdraget er lukket. Det kan bare gjenåpnes, med en begrunnelse; da blir det synlig i historikken.'
      : 'Oppdraget er lukket. Ingen kan endre det lenger, med mindre en koordinator i HOD gjenåpner det.';
  }
  if (role === 'RHF') {
    const own = ownPart(me, o);
    if (!own) {
      const addressed = o.addressees.map((a) => a.name);
      return addressed.length > 1
        ? `Bare ${namesList(addressed)} kan registrere fremdrift på dette oppdraget, hver på sin egen del. Du kan lese det.`
        : `Bare ${addressed[0] ?? 'RHF-ene oppdraget er rettet til'} kan registrere fremdrift på dette oppdraget. Du kan lese det.`;
    }
    const whose = `delen til ${own.organisation.name}`;
    if (actions.length === 0) {
      return own.status === 'REPORTED'
        ? `Delen til ${own.organisation.name} er rapportert. En koordinator i HOD må gjenåpne rapporten før den kan rapporteres på nytt.`
        : `Du kan ikke registrere noe på ${whose} nå.`;
    }
    return `Det du registrerer her, gjelder ${whose}. Andre RHF-ers deler registrerer de selv.`;
  }
  if (actions.length === 0) return 'Rollen din kan ikke endre oppdraget.';
  return null;
}

/** @param {Context} ctx */
const today = (ctx) => ctx.today;
/** @returns {FieldDef} */
const reasonField = () => ({
  name: 'reason',
  label: 'Begrunnelse',
  required: true,
  control: () => h('textarea', { maxlength: '2000', rows: 2 }),
});

/**
 * A form that names one RHF (to address the oppdrag to, or to no longer address it to), with a reason.
 * @param {{ title: string, help: string, choices: Organisation[], mutation: MutationName, done: string }} action
 * @returns {ActionDef}
 */
function addresseeAction({ title, help, choices, mutation, done }) {
  return {
    title,
    fields: [
      {
        name: 'addressee',
        label: 'RHF',
        help,
        required: true,
        control: () =>
          select(
            'addressee',
            choices.map((r) => ({ value: r.id, label: r.name })),
            choices[0]?.id,
          ),
      },
      reasonField(),
    ],
    mutation,
    input: (v) => ({ addressee: v.addressee, reason: v.reason }),
    done: () => done,
  };
}

/**
 * A fresh milestone id, one the oppdrag does not use yet.
 * @param {Oppdrag} o
 */
function nextMilestoneId(o) {
  for (let n = o.milestones.length + 1; ; n += 1) {
    const id = `delleveranse-${n}`;
    if (!o.milestones.some((m) => m.id === id)) return id;
  }
}

/**
 * What an RHF user's forms act on: its own part, by its organisation.
 * @typedef {{ ctx: Context, ownOrg: OrganisationName | null, ownId: string | null, partHint: string | null }} PartScope
 */

/**
 * Marks the user's own part as started.
 * @param {PartScope} part
 * @returns {ActionDef}
 */
function startAction({ ctx, ownId, ownOrg, partHint }) {
  return {
    title: 'Marker vår del som startet',
    hint: partHint,
    fields: [
      {
        name: 'startedOn',
        label: 'Startdato',
        required: true,
        control: () => h('input', { type: 'date', value: today(ctx), max: today(ctx) }),
      },
    ],
    mutation: 'startOppdrag',
    input: (v) => ({ part: ownId, startedOn: v.startedOn }),
    done: () => `Delen til ${ownOrg?.name ?? 'RHF-et'} er markert som startet.`,
  };
}

/**
 * Records a milestone the user's own part delivered (one it has not delivered yet).
 * @param {PartScope} part
 * @param {Oppdrag} o
 * @returns {ActionDef}
 */
function recordMilestoneAction({ ctx, ownId, partHint }, o) {
  const notYetMine = o.milestones.filter((m) => !m.reports.some((r) => r.organisation.id === ownId));
  return {
    title: 'Registrer delleveranse',
    hint: partHint,
    fields: [
      {
        name: 'milestoneId',
        label: 'Delleveranse',
        required: true,
        control: () =>
          select(
            'milestoneId',
            notYetMine.map((m) => ({ value: m.id, label: `${m.title} (frist ${formatDate(m.dueDate)})` })),
            notYetMine[0]?.id,
          ),
      },
      {
        name: 'reportedOn',
        label: 'Levert dato',
        required: true,
        control: () => h('input', { type: 'date', value: today(ctx), max: today(ctx) }),
      },
      {
        name: 'documentRef',
        label: 'Dokumentreferanse',
        help: 'Saksnummer, filnavn eller lenke til det som ble levert',
        required: true,
        control: () => h('input', { type: 'text', maxlength: '500' }),
      },
      {
        name: 'note',
        label: 'Merknad (valgfritt)',
        control: () => h('textarea', { maxlength: '4000', rows: 2 }),
      },
    ],
    mutation: 'recordMilestone',
    input: (v) => ({
      part: ownId,
      milestoneId: v.milestoneId,
      reportedOn: v.reportedOn,
      documentRef: v.documentRef,
      note: v.note || null,
    }),
    done: () => 'Delleveransen er registrert.',
  };
}

/**
 * Reports the user's own part.
 * @param {PartScope} part
 * @returns {ActionDef}
 */
function reportAction({ ctx, ownId, ownOrg, partHint }) {
  return {
    title: 'Rapporter vår del',
    hint: partHint,
    fields: [
      {
        name: 'reportedOn',
        label: 'Rapportert dato',
        required: true,
        control: () => h('input', { type: 'date', value: today(ctx), max: today(ctx) }),
      },
      {
        name: 'documentRef',
        label: 'Dokumentreferanse',
        help: 'Referanse til rapporten som ble levert',
        required: true,
        control: () => h('input', { type: 'text', maxlength: '500' }),
      },
      {
        name: 'summary',
        label: 'Sammendrag (valgfritt)',
        control: () => h('textarea', { maxlength: '4000', rows: 2 }),
      },
    ],
    mutation: 'reportOppdrag',
    input: (v) => ({
      part: ownId,
      reportedOn: v.reportedOn,
      documentRef: v.documentRef,
      summary: v.summary || null,
    }),
    done: () => `Delen til ${ownOrg?.name ?? 'RHF-et'} er rapportert.`,
  };
}

/**
 * The forms an RHF user fills in for its own part: start, a milestone, the report.
 * @param {Context} ctx
 * @param {Oppdrag} o
 * @returns {Record<string, ActionDef>}
 */
function partActions(ctx, o) {
  const ownOrg = ownPart(ctx.me, o)?.organisation ?? null;
  /** @type {PartScope} */
  const part = {
    ctx,
    ownOrg,
    ownId: ownOrg?.id ?? null,
    partHint: ownOrg ? `Gjelder delen til ${ownOrg.name}.` : null,
  };
  return {
    start: startAction(part),
    recordMilestone: recordMilestoneAction(part, o),
    report: reportAction(part),
  };
}

/**
 * Changes the stated deadline, or drops it (then the Årlig melding applies).
 * @param {Oppdrag} o
 * @returns {ActionDef}
 */
function changeDeadlineAction(o) {
  return {
    title: 'Endre frist',
    fields: [
      {
        name: 'deadline',
        label: 'Ny frist',
        help: 'La feltet stå tomt for å falle tilbake til Årlig melding (15. mars året etter)',
        control: () => h('input', { type: 'date', value: o.statedDeadline ?? '' }),
      },
      reasonField(),
    ],
    mutation: 'changeDeadline',
    input: (v) => ({ deadline: v.deadline || null, reason: v.reason }),
    done: () => 'Fristen er endret.',
  };
}

/**
 * Gives the oppdrag another lead, or none.
 * @param {Oppdrag} o
 * @param {Organisation[]} rhfs
 * @returns {ActionDef}
 */
function reassignLeadAction(o, rhfs) {
  return {
    title: 'Bytt ledende RHF',
    fields: [
      {
        name: 'lead',
        label: 'Nytt ledende RHF',
        help: 'Et RHF som ikke har oppdraget fra før, får det og en egen del',
        control: () =>
          select(
            'lead',
            [
              ...rhfs.filter((r) => r.id !== o.lead?.id).map((r) => ({ value: r.id, label: r.name })),
              ...(o.lead ? [{ value: '', label: 'Ingen – alle RHF-er, hver for seg' }] : []),
            ],
            null,
          ),
      },
      reasonField(),
    ],
    mutation: 'reassignLead',
    input: (v) => ({ lead: v.lead || null, reason: v.reason }),
    done: () => 'Ledende RHF er byttet.',
  };
}

/**
 * Adds a collaborator, named as the user likes (the API finds it).
 * @param {Context} ctx
 * @param {Oppdrag} o
 * @returns {ActionDef}
 */
function addCollaboratorAction(ctx, o) {
  return {
    title: 'Legg til samarbeidspartner',
    fields: [
      {
        name: 'collaborator',
        label: 'Samarbeidspartner',
        help: 'Navn, forkortelse eller id (FHI, Helsedirektoratet, en kommune …)',
        required: true,
        control: () => h('input', { type: 'text', maxlength: '200', list: `orgs-${o.id}` }),
        extra: () =>
          h(
            'datalist',
            { id: `orgs-${o.id}` },
            ctx.organisations
              .filter((org) => org.kind !== 'ministry' && !o.collaborators.some((c) => c.id === org.id))
              .map((org) => h('option', { value: org.name })),
          ),
      },
      reasonField(),
    ],
    mutation: 'addCollaborator',
    input: (v) => ({ collaborator: v.collaborator, reason: v.reason }),
    done: () => 'Samarbeidspartneren er lagt til.',
  };
}

/**
 * Removes a collaborator.
 * @param {Oppdrag} o
 * @returns {ActionDef}
 */
function removeCollaboratorAction(o) {
  return {
    title: 'Fjern samarbeidspartner',
    fields: [
      {
        name: 'collaboratorId',
        label: 'Samarbeidspartner',
        required: true,
        control: () =>
          select(
            'collaboratorId',
            o.collaborators.map((c) => ({ value: c.id, label: c.name })),
            o.collaborators[0]?.id,
          ),
      },
      reasonField(),
    ],
    mutation: 'removeCollaborator',
    input: (v) => ({ collaboratorId: v.collaboratorId, reason: v.reason }),
    done: () => 'Samarbeidspartneren er fjernet.',
  };
}

/**
 * A coordinator's forms for who does the oppdrag and by when: deadline, lead, collaborators, addressees.
 * @param {Context} ctx
 * @param {Oppdrag} o
 * @returns {Record<string, ActionDef>}
 */
function organisationActions(ctx, o) {
  const rhfs = ctx.organisations.filter((org) => org.kind === 'rhf');
  return {
    changeDeadline: changeDeadlineAction(o),
    reassignLead: reassignLeadAction(o, rhfs),
    addCollaborator: addCollaboratorAction(ctx, o),
    removeCollaborator: removeCollaboratorAction(o),
    addAddressee: addresseeAction({
      title: 'Rett oppdraget til et RHF til',
      help: 'RHF-et får sin egen del av oppdraget',
      choices: rhfs.filter((r) => !o.addressees.some((a) => a.id === r.id)),
      mutation: 'addAddressee',
      done: 'Oppdraget er rettet til ett RHF til.',
    }),
    removeAddressee: addresseeAction({
      title: 'Fjern et RHF fra oppdraget',
      help: 'RHF-ets del av oppdraget fjernes. Ledende RHF kan ikke fjernes',
      choices: o.addressees.filter((a) => a.id !== o.lead?.id),
      mutation: 'removeAddressee',
      done: 'RHF-et er fjernet fra oppdraget.',
    }),
  };
}

/**
 * The oppdrag's milestones as choices, with their deadlines.
 * @param {Oppdrag} o
 */
const milestoneOptions = (o) =>
  o.milestones.map((m) => ({ value: m.id, label: `${m.title} (frist ${formatDate(m.dueDate)})` }));

/**
 * Corrects the title, the description or the main goal; sends only what changed.
 * @param {Oppdrag} o
 * @returns {ActionDef}
 */
function correctDetailsAction(o) {
  return {
    title: 'Rett tittel, beskrivelse eller hovedmål',
    fields: [
      {
        name: 'title',
        label: 'Tittel',
        required: true,
        control: () => h('input', { type: 'text', maxlength: '300', value: o.title }),
      },
      {
        name: 'description',
        label: 'Beskrivelse',
        control: () => {
          const area = h('textarea', { maxlength: '20000', rows: 4 });
          area.value = o.description ?? '';
          return area;
        },
      },
      {
        name: 'hovedmalNumber',
        label: 'Hovedmål (nummer)',
        control: () => h('input', { type: 'number', min: '0', max: '99', value: o.hovedmal?.number ?? '' }),
      },
      {
        name: 'hovedmalTitle',
        label: 'Hovedmål (tittel)',
        help: 'Tom: oppdraget har ikke noe hovedmål',
        control: () => h('input', { type: 'text', maxlength: '300', value: o.hovedmal?.title ?? '' }),
      },
      reasonField(),
    ],
    mutation: 'correctDetails',
    input: (v) => {
      /** @type {Record<string, unknown>} */
      const input = { reason: v.reason };
      if (v.title !== o.title) input.title = v.title;
      if (v.description !== (o.description ?? '').trim()) input.description = v.description;
      const number = v.hovedmalNumber === '' ? null : Number(v.hovedmalNumber);
      const before = o.hovedmal;
      if (!v.hovedmalTitle) {
        if (before) input.clearHovedmal = true;
      } else if (!before || before.title !== v.hovedmalTitle || (before.number ?? null) !== number) {
        input.hovedmalTitle = v.hovedmalTitle;
        input.hovedmalNumber = number;
      }
      return input;
    },
    done: () => 'Opplysningene er rettet.',
  };
}

/**
 * Adds a milestone, with a fresh id.
 * @param {Oppdrag} o
 * @returns {ActionDef}
 */
function addMilestoneAction(o) {
  return {
    title: 'Legg til delleveranse',
    fields: [
      {
        name: 'title',
        label: 'Tittel',
        required: true,
        control: () => h('input', { type: 'text', maxlength: '300' }),
      },
      {
        name: 'kind',
        label: 'Type',
        help: 'F.eks. statusrapport eller underveisrapportering',
        required: true,
        control: () => h('input', { type: 'text', maxlength: '60', value: 'statusrapport' }),
      },
      {
        name: 'dueDate',
        label: 'Frist',
        required: true,
        control: () => h('input', { type: 'date' }),
      },
      reasonField(),
    ],
    mutation: 'addMilestone',
    input: (v) => ({
      milestone: { id: nextMilestoneId(o), kind: v.kind, title: v.title, dueDate: v.dueDate },
      reason: v.reason,
    }),
    done: () => 'Delleveransen er lagt til.',
  };
}

/**
 * Renames a milestone or moves its deadline.
 * @param {Oppdrag} o
 * @returns {ActionDef}
 */
function changeMilestoneAction(o) {
  return {
    title: 'Endre delleveranse',
    fields: [
      {
        name: 'milestoneId',
        label: 'Delleveranse',
        required: true,
        control: () => select('milestoneId', milestoneOptions(o), o.milestones[0]?.id),
      },
      {
        name: 'title',
        label: 'Ny tittel (valgfritt)',
        control: () => h('input', { type: 'text', maxlength: '300' }),
      },
      {
        name: 'dueDate',
        label: 'Ny frist (valgfritt)',
        control: () => h('input', { type: 'date' }),
      },
      reasonField(),
    ],
    mutation: 'changeMilestone',
    input: (v) => ({
      milestoneId: v.milestoneId,
      title: v.title || null,
      dueDate: v.dueDate || null,
      reason: v.reason,
    }),
    done: () => 'Delleveransen er endret.',
  };
}

/**
 * Removes a milestone.
 * @param {Oppdrag} o
 * @returns {ActionDef}
 */
function removeMilestoneAction(o) {
  return {
    title: 'Fjern delleveranse',
    fields: [
      {
        name: 'milestoneId',
        label: 'Delleveranse',
        required: true,
        control: () => select('milestoneId', milestoneOptions(o), o.milestones[0]?.id),
      },
      reasonField(),
    ],
    mutation: 'removeMilestone',
    input: (v) => ({ milestoneId: v.milestoneId, reason: v.reason }),
    done: () => 'Delleveransen er fjernet.',
  };
}

/**
 * A coordinator's corrections: title, description and main goal, and the milestones.
 * @param {Oppdrag} o
 * @returns {Record<string, ActionDef>}
 */
function correctionActions(o) {
  return {
    correctDetails: correctDetailsAction(o),
    addMilestone: addMilestoneAction(o),
    changeMilestone: changeMilestoneAction(o),
    removeMilestone: removeMilestoneAction(o),
  };
}

/**
 * A coordinator's forms that reopen and close.
 * @param {Oppdrag} o
 * @returns {Record<string, ActionDef>}
 */
function lifecycleActions(o) {
  const reportedParts = o.parts.filter((p) => p.status === 'REPORTED');
  return {
    reopen:
      o.status === 'CLOSED'
        ? {
            title: 'Gjenåpne oppdraget',
            fields: [reasonField()],
            mutation: 'reopenOppdrag',
            input: (v) => ({ reason: v.reason }),
            done: () => 'Oppdraget er gjenåpnet.',
          }
        : {
            title: 'Gjenåpne en rapport',
            fields: [
              {
                name: 'part',
                label: 'Delen som skal gjenåpnes',
                required: true,
                control: () =>
                  select(
                    'part',
                    reportedParts.map((p) => ({
                      value: p.organisation.id,
                      label: `${p.organisation.name}${p.lead ? ' (ledende)' : ''}, rapportert ${formatDate(p.reportedOn)}`,
                    })),
                    (reportedParts.find((p) => p.lead) ?? reportedParts[0])?.organisation.id,
                  ),
              },
              reasonField(),
            ],
            mutation: 'reopenOppdrag',
            input: (v) => ({ part: v.part, reason: v.reason }),
            done: () => 'Rapporten er gjenåpnet.',
          },
    close: {
      title: 'Lukk oppdraget',
      fields: [
        {
          name: 'outcome',
          label: 'Utfall',
          required: true,
          control: () =>
            select(
              'outcome',
              Object.entries(OUTCOME_LABELS)
                .filter(
                  ([value]) => o.status === 'REPORTED' || value === 'WITHDRAWN' || value === 'SUPERSEDED',
                )
                .map(([value, label]) => ({ value, label: label[0].toUpperCase() + label.slice(1) })),
              o.status === 'REPORTED' ? 'COMPLETED' : 'WITHDRAWN',
            ),
          help:
            o.status === 'REPORTED' ? null : 'Fullført og videreført krever at oppdraget er rapportert først',
        },
        {
          name: 'supersededBy',
          label: 'Erstattet av (oppdrags-id)',
          help: 'Bare når utfallet er «erstattet»',
          control: () => h('input', { type: 'text', maxlength: '80' }),
        },
        {
          name: 'reason',
          label: 'Begrunnelse (påkrevd når oppdraget trekkes tilbake eller erstattes)',
          control: () => h('textarea', { maxlength: '2000', rows: 2 }),
        },
      ],
      mutation: 'closeOppdrag',
      input: (v) => ({ outcome: v.outcome, reason: v.reason || null, supersededBy: v.supersededBy || null }),
      done: () => 'Oppdraget er lukket.',
    },
  };
}

/**
 * The definitions of each action's form.
 * @param {Context} ctx
 * @param {Oppdrag} o
 * @returns {Record<string, ActionDef>}
 */
function definitions(ctx, o) {
  return {
    ...partActions(ctx, o),
    ...organisationActions(ctx, o),
    ...correctionActions(o),
    ...lifecycleActions(o),
  };
}

/**
 * The action panel's shared state: the revision its commands expect, whether a form has been touched,
 * and whether a command is on its way.
 * @typedef {{ revision: number, dirty: boolean, busy: boolean }} PanelState
 */

/**
 * The handlers of the action panel: where its messages go, and what follows a saved or refused command.
 * @typedef {{ messages: HTMLElement, onSaved: (text: string, result: MutationResult) => void, onRefused: (error: unknown, lead: string) => void }} Handlers
 */

/**
 * An action's fields, each labelled (and marked when required); returns the rows and the controls by
 * field name.
 * @param {FieldDef[]} fields
 */
function fieldRows(fields) {
  /** @type {Record<string, Control>} */
  const controls = {};
  const rows = fields.map((f) => {
    const input = f.control();
    input.name = f.name;
    if (f.required) input.setAttribute('aria-required', 'true');
    controls[f.name] = input;
    const built = field(f.required ? `${f.label} (påkrevd)` : f.label, input, f.help ?? undefined);
    if (f.extra) built.wrap.append(f.extra());
    return built.wrap;
  });
  return { rows, controls };
}

/**
 * Says which required fields are empty, at each field and above the forms, and focuses the first.
 * @param {ActionDef} def
 * @param {FieldDef[]} unfilled
 * @param {Record<string, Control>} controls
 * @param {HTMLElement} messages
 */
function showUnfilled(def, unfilled, controls, messages) {
  for (const f of unfilled) showFieldError(controls[f.name], `${f.label} må fylles ut.`);
  const missing = unfilled.map((f) => f.label.toLowerCase());
  replace(
    messages,
    h(
      'div',
      { class: 'message message--error', role: 'alert' },
      h('p', null, `Fyll ut ${missing.join(' og ')} før du lagrer «${def.title.toLowerCase()}».`),
    ),
  );
  controls[unfilled[0].name].focus();
}

/**
 * One action, folded: its form, which sends the command with the revision the panel expects.
 * @param {string} key the action's name, as the API lists it
 * @param {ActionDef} def
 * @param {Oppdrag} o
 * @param {PanelState} state
 * @param {Handlers} handlers
 */
function actionForm(key, def, o, state, { messages, onSaved, onRefused }) {
  const { rows, controls } = fieldRows(def.fields);
  let id = commandId();
  const submit = h('button', { type: 'submit', class: 'button' }, def.title);
  const form = h(
    'form',
    {
      class: 'stack',
      novalidate: true,
      'data-action': key,
      onInput: () => (state.dirty = true),
      onChange: () => (state.dirty = true),
      onSubmit: (/** @type {Event} */ event) => {
        event.preventDefault();
        void send();
      },
    },
    def.hint ? h('p', { class: 'panel__hint' }, def.hint) : null,
    rows,
    h('div', { class: 'form-actions' }, submit),
  );

  async function send() {
    const values = Object.fromEntries(Object.entries(controls).map(([k, c]) => [k, c.value.trim()]));
    const unfilled = def.fields.filter((f) => f.required && !values[f.name]);
    clearFieldErrors(form);
    if (unfilled.length > 0) {
      showUnfilled(def, unfilled, controls, messages);
      return;
    }
    submit.disabled = true;
    state.busy = true;
    replace(messages);
    try {
      const input = {
        oppdragId: o.id,
        expectedRevision: state.revision,
        commandId: id,
        ...def.input(values),
      };
      const data = await gql(MUTATIONS[def.mutation], { input });
      const result = data[def.mutation];
      state.dirty = false;
      onSaved(def.done(values), result);
    } catch (error) {
      submit.disabled = false;
      onRefused(error, `${def.title} ble ikke lagret.`);
      // An input the API refused is shown at its field, in Norwegian, and the field takes focus.
      const failure = showRefusalAtField(form, error);
      // A refusal wrote nothing: the next try is a new command. After a network failure the
      // same id is kept, so a retry cannot write twice.
      if (failure.code !== 'NETWORK') id = commandId();
    } finally {
      state.busy = false;
    }
  }

  return h('details', { class: 'action', dataset: { action: key } }, h('summary', null, def.title), form);
}

/**
 * Renders the action panel into `container`: a form for each action in `o.allowedActions`, in the API's
 * order. `messages` is a region outside the forms that keeps its content when the panel is rebuilt.
 * Returns `{ dirty(), busy(), setRevision(n) }`.
 * @param {HTMLElement} container
 * @param {Context} ctx
 * @param {Oppdrag} o
 * @param {Handlers} handlers
 */
export function renderActions(container, ctx, o, handlers) {
  const defs = definitions(ctx, o);
  const actions = o.allowedActions.filter((key) => key in defs);
  const note = noteFor(ctx.me, o, actions);
  /** @type {PanelState} */
  const state = { revision: o.revision, dirty: false, busy: false };
  const forms = actions.map((key) => actionForm(key, defs[key], o, state, handlers));

  replace(
    container,
    note ? h('p', { class: 'readonly-note', 'data-testid': 'actions-note' }, note) : null,
    forms.length > 0 ? forms : null,
  );
  if (forms.length === 1) forms[0].open = true;

  return {
    dirty: () => state.dirty,
    /** A command from this panel is on its way. */
    busy: () => state.busy,
    /** @param {number} n the revision the oppdrag has now */
    setRevision: (n) => (state.revision = n),
  };
}
