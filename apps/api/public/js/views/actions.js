// What the signed-in person may do to one oppdrag, by role:
//   lead RHF member: mark started, record a milestone, report (only on oppdrag its RHF leads);
//   coordinator: change deadline, reassign lead, add/remove collaborators, reopen, close;
//   auditor: nothing (reads everything).
// The API decides in the end; the page only offers what the rules allow and shows any refusal.

import { field, h, replace, select } from '../dom.js';
import { formatDate, OUTCOME_LABELS } from '../format.js';
import { commandId, gql } from '../graphql.js';
import { MUTATIONS } from '../queries.js';

/** What the rules let this person do to this oppdrag, and if nothing, why not. */
export function allowedActions(me, o) {
  const role = String(me.role).toUpperCase();
  if (role === 'AUDITOR')
    return { actions: [], note: 'Du er revisor: du kan se alt, også hele historikken, men ikke endre noe.' };
  if (o.status === 'CLOSED') return { actions: [], note: 'Oppdraget er lukket. Ingen kan endre det lenger.' };
  if (role === 'RHF') {
    const mine = o.lead && me.organisation && o.lead.id === me.organisation.id;
    if (!mine) {
      return {
        actions: [],
        note: o.lead
          ? `Bare ${o.lead.name} kan registrere fremdrift på dette oppdraget. Du kan lese det.`
          : 'Oppdraget har ingen ledende RHF (alle RHF-er, hver for seg). Det rapporteres i Årlig melding.',
      };
    }
    const actions = [];
    if (o.status === 'ASSIGNED') actions.push('start');
    if (o.milestones.some((m) => !m.reportedOn)) actions.push('milestone');
    if (o.status === 'ASSIGNED' || o.status === 'STARTED') actions.push('report');
    const note =
      o.status === 'REPORTED'
        ? 'Oppdraget er rapportert. En koordinator i HOD må gjenåpne det før det kan rapporteres på nytt.'
        : null;
    return { actions, note };
  }
  if (role === 'COORDINATOR') {
    const actions = ['changeDeadline', 'reassignLead', 'addCollaborator'];
    if (o.collaborators.length > 0) actions.push('removeCollaborator');
    if (o.status === 'REPORTED') actions.push('reopen');
    actions.push('close');
    return { actions, note: null };
  }
  return { actions: [], note: 'Rollen din kan ikke endre oppdrag.' };
}

const today = (ctx) => ctx.today;

/** The definitions of each action's form. */
function definitions(ctx, o) {
  const rhfs = ctx.organisations.filter((org) => org.kind === 'rhf');
  const unreported = o.milestones.filter((m) => !m.reportedOn);
  return {
    start: {
      title: 'Marker som startet',
      fields: [
        {
          name: 'startedOn',
          label: 'Startdato',
          required: true,
          control: () => h('input', { type: 'date', value: today(ctx), max: today(ctx) }),
        },
      ],
      mutation: 'startOppdrag',
      input: (v) => ({ startedOn: v.startedOn }),
      done: 'Oppdraget er markert som startet.',
    },
    milestone: {
      title: 'Registrer delleveranse',
      fields: [
        {
          name: 'milestoneId',
          label: 'Delleveranse',
          required: true,
          control: () =>
            select(
              'milestoneId',
              unreported.map((m) => ({ value: m.id, label: `${m.title} (frist ${formatDate(m.dueDate)})` })),
              unreported[0]?.id,
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
        milestoneId: v.milestoneId,
        reportedOn: v.reportedOn,
        documentRef: v.documentRef,
        note: v.note || null,
      }),
      done: 'Delleveransen er registrert.',
    },
    report: {
      title: 'Rapporter oppdraget',
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
      input: (v) => ({ reportedOn: v.reportedOn, documentRef: v.documentRef, summary: v.summary || null }),
      done: 'Oppdraget er rapportert.',
    },
    changeDeadline: {
      title: 'Endre frist',
      fields: [
        {
          name: 'deadline',
          label: 'Ny frist',
          help: 'La feltet stå tomt for å falle tilbake til Årlig melding (15. mars året etter)',
          control: () => h('input', { type: 'date', value: o.statedDeadline ?? '' }),
        },
        {
          name: 'reason',
          label: 'Begrunnelse',
          required: true,
          control: () => h('textarea', { maxlength: '2000', rows: 2 }),
        },
      ],
      mutation: 'changeDeadline',
      input: (v) => ({ deadline: v.deadline || null, reason: v.reason }),
      done: 'Fristen er endret.',
    },
    reassignLead: {
      title: 'Bytt ledende RHF',
      fields: [
        {
          name: 'lead',
          label: 'Nytt ledende RHF',
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
        {
          name: 'reason',
          label: 'Begrunnelse',
          required: true,
          control: () => h('textarea', { maxlength: '2000', rows: 2 }),
        },
      ],
      mutation: 'reassignLead',
      input: (v) => ({ lead: v.lead || null, reason: v.reason }),
      done: 'Ledende RHF er byttet.',
    },
    addCollaborator: {
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
        {
          name: 'reason',
          label: 'Begrunnelse',
          required: true,
          control: () => h('textarea', { maxlength: '2000', rows: 2 }),
        },
      ],
      mutation: 'addCollaborator',
      input: (v) => ({ collaborator: v.collaborator, reason: v.reason }),
      done: 'Samarbeidspartneren er lagt til.',
    },
    removeCollaborator: {
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
        {
          name: 'reason',
          label: 'Begrunnelse',
          required: true,
          control: () => h('textarea', { maxlength: '2000', rows: 2 }),
        },
      ],
      mutation: 'removeCollaborator',
      input: (v) => ({ collaboratorId: v.collaboratorId, reason: v.reason }),
      done: 'Samarbeidspartneren er fjernet.',
    },
    reopen: {
      title: 'Gjenåpne',
      fields: [
        {
          name: 'reason',
          label: 'Begrunnelse',
          required: true,
          control: () => h('textarea', { maxlength: '2000', rows: 2 }),
        },
      ],
      mutation: 'reopenOppdrag',
      input: (v) => ({ reason: v.reason }),
      done: 'Oppdraget er gjenåpnet.',
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
          label: 'Begrunnelse',
          control: () => h('textarea', { maxlength: '2000', rows: 2 }),
        },
      ],
      mutation: 'closeOppdrag',
      input: (v) => ({ outcome: v.outcome, reason: v.reason || null, supersededBy: v.supersededBy || null }),
      done: 'Oppdraget er lukket.',
    },
  };
}

/**
 * Renders the action panel into `container`. `messages` is a region outside the forms that keeps its
 * content when the panel is rebuilt. Returns `{ dirty(), busy(), setRevision(n) }`.
 */
export function renderActions(container, ctx, o, { messages, onSaved, onRefused }) {
  const { actions, note } = allowedActions(ctx.me, o);
  const defs = definitions(ctx, o);
  let revision = o.revision;
  let dirty = false;
  let busy = false;

  const forms = actions.map((key) => {
    const def = defs[key];
    const controls = {};
    let id = commandId();
    const submit = h('button', { type: 'submit', class: 'button' }, def.title);
    const rows = def.fields.map((f) => {
      const input = f.control();
      input.name = f.name;
      if (f.required) input.setAttribute('aria-required', 'true');
      controls[f.name] = input;
      const built = field(f.required ? `${f.label} (påkrevd)` : f.label, input, f.help ?? undefined);
      if (f.extra) built.wrap.append(f.extra());
      return built.wrap;
    });
    const form = h(
      'form',
      {
        class: 'stack',
        novalidate: true,
        'data-action': key,
        onInput: () => (dirty = true),
        onChange: () => (dirty = true),
        onSubmit: (event) => {
          event.preventDefault();
          void send();
        },
      },
      rows,
      h('div', { class: 'form-actions' }, submit),
    );

    async function send() {
      const values = Object.fromEntries(Object.entries(controls).map(([k, c]) => [k, c.value.trim()]));
      const missing = def.fields
        .filter((f) => f.required && !values[f.name])
        .map((f) => f.label.toLowerCase());
      if (missing.length > 0) {
        replace(
          messages,
          h(
            'div',
            { class: 'message message--error', role: 'alert' },
            h('p', null, `Fyll ut ${missing.join(' og ')} før du lagrer «${def.title.toLowerCase()}».`),
          ),
        );
        controls[def.fields.find((f) => f.required && !values[f.name]).name].focus();
        return;
      }
      submit.disabled = true;
      busy = true;
      replace(messages);
      try {
        const input = { oppdragId: o.id, expectedRevision: revision, commandId: id, ...def.input(values) };
        const data = await gql(MUTATIONS[def.mutation], { input });
        const result = data[def.mutation];
        dirty = false;
        onSaved(def.done, result);
      } catch (error) {
        // A refusal wrote nothing: the next try is a new command. After a network failure the
        // same id is kept, so a retry cannot write twice.
        if (error.code !== 'NETWORK') id = commandId();
        submit.disabled = false;
        onRefused(error, `${def.title} ble ikke lagret.`);
      } finally {
        busy = false;
      }
    }

    return h('details', { class: 'action', dataset: { action: key } }, h('summary', null, def.title), form);
  });

  replace(
    container,
    note ? h('p', { class: 'readonly-note', 'data-testid': 'actions-note' }, note) : null,
    forms.length > 0 ? forms : null,
  );
  if (forms.length === 1) forms[0].open = true;

  return {
    dirty: () => dirty,
    /** A command from this panel is on its way. */
    busy: () => busy,
    setRevision: (n) => (revision = n),
  };
}
