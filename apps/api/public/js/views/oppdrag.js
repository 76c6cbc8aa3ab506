// @ts-check
// One oppdrag: its fields, source, deadlines and milestones, what the signed-in person may do, the
// oppdrag as of any earlier instant, and its full history (who, what, when, why).

import { debounce, field, focusHeading, h, replace, uid } from '../dom.js';
import { eventLabel, formatInstant, osloLocalToInstant, toOsloLocalInput } from '../format.js';
import { ApiFailure, errorMessage, gql } from '../graphql.js';
import { AS_OF, HISTORY, OPPDRAG } from '../queries.js';
import { ownPart, renderActions } from './actions.js';
import {
  asOfOf,
  deadlineOf,
  factsOf,
  metaLineOf,
  milestonesOf,
  partsOf,
  sourcesOf,
} from './oppdrag-sections.js';
import { timelineOf } from './timeline.js';

/** @import { Child } from '../dom.js' */
/** @import { Context, HistoryAnswer, HistoryEntry, MutationResult, Oppdrag, OppdragChange, View } from '../types.js' */

/**
 * An oppdrag's whole history, a page at a time.
 * @param {string} id
 * @returns {Promise<HistoryEntry[]>}
 */
async function loadHistory(id) {
  /** @type {HistoryEntry[]} */
  const entries = [];
  let from = 0;
  for (let page = 0; page < 50; page += 1) {
    /** @type {HistoryAnswer} */
    const data = await gql(HISTORY, { id, from });
    entries.push(...data.history.entries);
    if (!data.history.hasMore || data.history.entries.length === 0) break;
    from = data.history.entries[data.history.entries.length - 1].revision + 1;
  }
  return entries;
}

/**
 * The history, or the error that kept it away: the rest of the page is shown without it.
 * @param {string} id
 * @returns {Promise<HistoryEntry[] | Error>}
 */
const historyOrError = (id) =>
  loadHistory(id).catch((/** @type {unknown} */ error) =>
    error instanceof Error ? error : new Error(String(error)),
  );

/**
 * The elements the page's loaders fill.
 * @param {string} id
 */
function pageElements(id) {
  return {
    heading: h('h1', { tabindex: '-1' }, id),
    metaLine: h('div', { class: 'meta-line' }),
    notice: h('div', { role: 'status', 'data-testid': 'notice' }),
    facts: h('div', { 'aria-busy': 'true' }, h('p', { class: 'loading' }, 'Laster …')),
    deadline: h('div'),
    parts: h('div'),
    milestones: h('div'),
    description: h('div'),
    source: h('div'),
    actionMessages: h('div', { 'data-testid': 'action-messages' }),
    actions: h('div', { 'data-testid': 'actions' }),
    timeline: h('div', { 'aria-busy': 'true' }),
  };
}

/** @typedef {ReturnType<typeof pageElements>} PageElements */
/** @typedef {ReturnType<typeof asOfPanel>} AsOfPanel */

/**
 * A panel of the page, named by its heading.
 * @param {string} key
 * @param {string} title
 * @param {...Child} body
 */
function panel(key, title, ...body) {
  const headingId = uid('h');
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': headingId, id: `panel-${key}` },
    h('h2', { id: headingId }, title),
    body,
  );
}

/**
 * The page: the way back, the title, and the panels in two columns.
 * @param {PageElements} el
 * @param {AsOfPanel} asOf
 */
function pageLayout(el, asOf) {
  return [
    h(
      'nav',
      { class: 'crumbs', 'aria-label': 'Brødsmuler' },
      h('a', { href: '#/' }, '← Tilbake til oversikten'),
    ),
    el.heading,
    el.metaLine,
    el.notice,
    h(
      'div',
      { class: 'grid grid--detail' },
      h(
        'div',
        null,
        panel('facts', 'Opplysninger', el.facts),
        panel('parts', 'Deler per RHF', el.parts),
        panel('deadline', 'Frist', el.deadline),
        panel('milestones', 'Delleveranser', el.milestones),
        panel('description', 'Beskrivelse', el.description),
        panel('source', 'Kilde', el.source),
      ),
      h(
        'div',
        null,
        panel('actions', 'Handlinger', el.actionMessages, el.actions),
        panel('asof', 'Se oppdraget slik det var', asOf.form, asOf.result),
        panel('timeline', 'Historikk', el.timeline),
      ),
    ),
  ];
}

/**
 * "Se oppdraget slik det var": a form for an instant, and the oppdrag as it stood then.
 * @param {string} id the oppdrag's id
 */
function asOfPanel(id) {
  const result = h('div', {
    class: 'asof-result',
    'aria-live': 'polite',
    'data-testid': 'asof-result',
    hidden: true,
  });
  const errors = h('div', { role: 'alert' });
  const input = h('input', { type: 'datetime-local', step: '1', name: 'instant' });

  /** @param {string} instant */
  async function show(instant) {
    replace(errors);
    try {
      const data = await gql(AS_OF, { id, instant });
      const r = data.oppdragAsOf;
      result.hidden = false;
      if (!r.existed || !r.oppdrag) {
        replace(
          result,
          h('p', null, `Oppdraget fantes ikke ennå ${formatInstant(r.asOf, { seconds: true })}.`),
        );
        return;
      }
      replace(result, asOfOf({ ...r, oppdrag: r.oppdrag }));
    } catch (error) {
      replace(errors, errorMessage(error, 'Kunne ikke vise oppdraget på det tidspunktet.'));
    }
  }

  const form = h(
    'form',
    {
      class: 'stack',
      novalidate: true,
      'data-testid': 'asof-form',
      onSubmit: (/** @type {Event} */ event) => {
        event.preventDefault();
        const instant = osloLocalToInstant(input.value);
        if (!instant) {
          replace(
            errors,
            h('div', { class: 'message message--error' }, h('p', null, 'Velg dato og klokkeslett først.')),
          );
          input.focus();
          return;
        }
        void show(instant);
      },
    },
    field('Tidspunkt (norsk tid)', input, 'Velg et tidspunkt, eller bruk knappene i historikken').wrap,
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button' }, 'Vis slik det var'),
      h(
        'button',
        {
          type: 'button',
          class: 'button button--quiet',
          onClick: () => {
            result.hidden = true;
            replace(result);
            replace(errors);
          },
        },
        'Skjul',
      ),
    ),
    errors,
  );
  /** Shows the oppdrag as it was at an instant, and puts the instant in the form. @param {string} instant */
  const showAt = (instant) => {
    input.value = toOsloLocalInput(instant);
    void show(instant);
  };
  return { form, result, input, showAt };
}

/**
 * Fills the page's panels from the oppdrag.
 * @param {PageElements} el
 * @param {Oppdrag} o
 * @param {Context} ctx
 * @param {Map<string, string>} names the organisations' short names by id
 */
function showOppdrag(el, o, ctx, names) {
  replace(el.heading, o.title);
  document.title = `${o.title} – Oppdragsflyt`;
  replace(el.metaLine, metaLineOf(o));
  replace(el.facts, factsOf(o));
  replace(el.deadline, deadlineOf(o, ctx.today));
  replace(el.parts, partsOf(o, ownPart(ctx.me, o)));
  replace(el.milestones, milestonesOf(o));
  replace(el.description, h('p', { class: 'description' }, o.description || 'Ingen beskrivelse.'));
  replace(el.source, sourcesOf(o, names));
}

/**
 * The message after a command was saved, with the events it wrote.
 * @param {string} text what was done
 * @param {MutationResult} result
 */
function savedMessage(text, result) {
  return h(
    'div',
    { class: 'message message--ok', tabindex: '-1' },
    h('p', null, `${text} `, `Hendelser: ${result.events.map(eventLabel).join(', ') || 'ingen nye'}.`),
  );
}

/**
 * What the page says when someone else changed the oppdrag while it was shown.
 * @param {OppdragChange} change
 * @param {boolean} dirty whether a form is being filled in
 */
function changedNotice(change, dirty) {
  const who = change.oppdrag.lastChange?.actorName;
  return h(
    'div',
    { class: 'message message--info' },
    h(
      'p',
      null,
      `Oppdraget ble endret akkurat nå: ${eventLabel(change.eventType).toLowerCase()}${who ? ` (${who})` : ''}.`,
      dirty
        ? ' Skjemaet du fyller ut, er beholdt; det blir kontrollert mot den nye tilstanden når du lagrer.'
        : '',
    ),
  );
}

/**
 * Shows a message in the actions' message region and moves focus to it.
 * @param {HTMLElement} messages
 * @param {HTMLElement} message
 */
function showActionMessage(messages, message) {
  message.setAttribute('tabindex', '-1');
  replace(messages, message);
  message.focus();
}

/**
 * Whether a refusal came from the oppdrag's state or the rules, so that the page should show the
 * oppdrag as it is now, with the actions allowed now. A refused input keeps the form, to be corrected.
 * @param {unknown} error
 */
const refusedByState = (error) =>
  error instanceof ApiFailure &&
  ['FORBIDDEN', 'CONFLICT', 'INVALID_TRANSITION', 'NOT_FOUND'].includes(error.code);

/**
 * The actions panel: rebuilt on each load, except while a form in it is being filled in (then only its
 * revision follows), unless a load asked for a rebuild.
 * @param {PageElements} el
 * @param {Context} ctx
 * @param {{ onSaved: (text: string, result: MutationResult) => void, onRefused: (error: unknown, lead: string) => void }} handlers
 */
function actionsSlot(el, ctx, handlers) {
  /** @type {ReturnType<typeof renderActions> | null} */
  let current = null;
  // A rebuild asked for by a load that a later load overtook is still owed.
  let rebuildOwed = false;
  return {
    /** @param {boolean} rebuild */
    ask: (rebuild) => {
      rebuildOwed = rebuildOwed || rebuild;
    },
    /** @param {Oppdrag} oppdrag */
    show: (oppdrag) => {
      if (rebuildOwed || !current || !current.dirty()) {
        rebuildOwed = false;
        current = renderActions(el.actions, ctx, oppdrag, { messages: el.actionMessages, ...handlers });
      } else {
        current.setRevision(oppdrag.revision);
      }
    },
    busy: () => current?.busy() ?? false,
    dirty: () => current?.dirty() ?? false,
    /** @param {number} revision */
    setRevision: (revision) => current?.setRevision(revision),
  };
}

/**
 * @param {HTMLElement} main
 * @param {Context} ctx
 * @param {string} id the oppdrag's id, from the address
 * @returns {View}
 */
export function renderOppdrag(main, ctx, id) {
  const names = new Map(ctx.organisations.map((o) => [o.id, o.shortName]));
  const el = pageElements(id);
  const asOf = asOfPanel(id);
  let unmounted = false;
  let generation = 0;
  /** The revision this page's own last command produced: its echo over the live connection is no news. */
  let ownRevision = -1;
  const actions = actionsSlot(el, ctx, {
    onSaved: (text, result) => {
      ownRevision = Math.max(ownRevision, result.revision);
      showActionMessage(el.actionMessages, savedMessage(text, result));
      ctx.announce(text);
      void load();
    },
    onRefused: (error, lead) => {
      showActionMessage(el.actionMessages, errorMessage(error, lead));
      if (refusedByState(error)) void load();
    },
  });

  replace(main, pageLayout(el, asOf));
  focusHeading(el.heading);

  async function load({ rebuildActions = true } = {}) {
    const mine = ++generation;
    actions.ask(rebuildActions);
    try {
      const [data, history] = await Promise.all([gql(OPPDRAG, { id }), historyOrError(id)]);
      if (unmounted || mine !== generation) return;
      const oppdrag = data.oppdrag;
      if (!oppdrag) {
        replace(el.heading, 'Fant ikke oppdraget');
        replace(el.facts, h('p', null, `Det finnes ikke noe oppdrag med id ${id}.`));
        return;
      }
      showOppdrag(el, oppdrag, ctx, names);
      actions.show(oppdrag);
      replace(
        el.timeline,
        history instanceof Error
          ? errorMessage(history, 'Kunne ikke hente historikken.')
          : timelineOf(history, names, asOf.showAt),
      );
      if (!asOf.input.value && oppdrag.lastChange) asOf.input.value = toOsloLocalInput(oppdrag.lastChange.at);
    } catch (error) {
      if (unmounted || mine !== generation) return;
      replace(el.facts, errorMessage(error, 'Kunne ikke hente oppdraget.'));
    } finally {
      el.facts.setAttribute('aria-busy', 'false');
      el.timeline.setAttribute('aria-busy', 'false');
    }
  }

  const liveReload = debounce(() => void load({ rebuildActions: false }), 150);
  void load();

  return {
    refresh: () => void load({ rebuildActions: false }),
    onLiveChange: (change) => {
      if (change.oppdrag.id !== id) return;
      // This page's own command: the answer to it reloads the page already.
      if (actions.busy() || change.oppdrag.revision <= ownRevision) return;
      const dirty = actions.dirty();
      // The person is told about the change right here, so what they send next is judged against it.
      actions.setRevision(change.oppdrag.revision);
      replace(el.notice, changedNotice(change, dirty));
      liveReload();
    },
    unmount: () => {
      unmounted = true;
    },
  };
}
