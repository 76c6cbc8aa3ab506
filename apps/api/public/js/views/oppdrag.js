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
/** @import { Context, HistoryAnswer, HistoryEntry, MutationResult, Oppdrag, View } from '../types.js' */

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
 * @param {HTMLElement} main
 * @param {Context} ctx
 * @param {string} id the oppdrag's id, from the address
 * @returns {View}
 */
export function renderOppdrag(main, ctx, id) {
  const names = new Map(ctx.organisations.map((o) => [o.id, o.shortName]));
  /** @type {Oppdrag | null} */
  let oppdrag = null;
  /** @type {ReturnType<typeof renderActions> | null} */
  let actionsPanel = null;
  let unmounted = false;
  let generation = 0;
  /** The revision this page's own last command produced: its echo over the live connection is no news. */
  let ownRevision = -1;

  const heading = h('h1', { tabindex: '-1' }, id);
  const metaLine = h('div', { class: 'meta-line' });
  const notice = h('div', { role: 'status', 'data-testid': 'notice' });
  const factsBody = h('div', { 'aria-busy': 'true' }, h('p', { class: 'loading' }, 'Laster …'));
  const deadlineBody = h('div');
  const partsBody = h('div');
  const milestonesBody = h('div');
  const descriptionBody = h('div');
  const sourceBody = h('div');
  const actionMessages = h('div', { 'data-testid': 'action-messages' });
  const actionsBody = h('div', { 'data-testid': 'actions' });
  const timelineBody = h('div', { 'aria-busy': 'true' });
  const asOfResult = h('div', {
    class: 'asof-result',
    'aria-live': 'polite',
    'data-testid': 'asof-result',
    hidden: true,
  });
  const asOfErrors = h('div', { role: 'alert' });
  const asOfInput = h('input', { type: 'datetime-local', step: '1', name: 'instant' });

  const ids = {
    facts: uid('h'),
    deadline: uid('h'),
    parts: uid('h'),
    milestones: uid('h'),
    description: uid('h'),
    source: uid('h'),
    actions: uid('h'),
    asof: uid('h'),
    timeline: uid('h'),
  };
  /**
   * @param {keyof typeof ids} key
   * @param {string} title
   * @param {...Child} body
   */
  const panel = (key, title, ...body) =>
    h(
      'section',
      { class: 'panel', 'aria-labelledby': ids[key], id: `panel-${key}` },
      h('h2', { id: ids[key] }, title),
      body,
    );

  const asOfForm = h(
    'form',
    {
      class: 'stack',
      novalidate: true,
      'data-testid': 'asof-form',
      onSubmit: (/** @type {Event} */ event) => {
        event.preventDefault();
        const instant = osloLocalToInstant(asOfInput.value);
        if (!instant) {
          replace(
            asOfErrors,
            h('div', { class: 'message message--error' }, h('p', null, 'Velg dato og klokkeslett først.')),
          );
          asOfInput.focus();
          return;
        }
        void showAsOf(instant);
      },
    },
    field('Tidspunkt (norsk tid)', asOfInput, 'Velg et tidspunkt, eller bruk knappene i historikken').wrap,
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
            asOfResult.hidden = true;
            replace(asOfResult);
            replace(asOfErrors);
          },
        },
        'Skjul',
      ),
    ),
    asOfErrors,
  );

  replace(
    main,
    h(
      'nav',
      { class: 'crumbs', 'aria-label': 'Brødsmuler' },
      h('a', { href: '#/' }, '← Tilbake til oversikten'),
    ),
    heading,
    metaLine,
    notice,
    h(
      'div',
      { class: 'grid grid--detail' },
      h(
        'div',
        null,
        panel('facts', 'Opplysninger', factsBody),
        panel('parts', 'Deler per RHF', partsBody),
        panel('deadline', 'Frist', deadlineBody),
        panel('milestones', 'Delleveranser', milestonesBody),
        panel('description', 'Beskrivelse', descriptionBody),
        panel('source', 'Kilde', sourceBody),
      ),
      h(
        'div',
        null,
        panel('actions', 'Handlinger', actionMessages, actionsBody),
        panel('asof', 'Se oppdraget slik det var', asOfForm, asOfResult),
        panel('timeline', 'Historikk', timelineBody),
      ),
    ),
  );
  focusHeading(heading);

  // A rebuild asked for by a load that a later load overtook is still owed.
  let rebuildOwed = false;

  async function load({ rebuildActions = true } = {}) {
    const mine = ++generation;
    rebuildOwed = rebuildOwed || rebuildActions;
    try {
      const [data, history] = await Promise.all([gql(OPPDRAG, { id }), loadHistory(id).catch((e) => e)]);
      if (unmounted || mine !== generation) return;
      if (!data.oppdrag) {
        replace(heading, 'Fant ikke oppdraget');
        replace(factsBody, h('p', null, `Det finnes ikke noe oppdrag med id ${id}.`));
        return;
      }
      oppdrag = data.oppdrag;
      renderOppdragFields(oppdrag);
      if (rebuildOwed || !actionsPanel || !actionsPanel.dirty()) {
        rebuildOwed = false;
        actionsPanel = renderActions(actionsBody, ctx, oppdrag, {
          messages: actionMessages,
          onSaved: saved,
          onRefused: refused,
        });
      } else {
        actionsPanel.setRevision(oppdrag.revision);
      }
      if (history instanceof Error)
        replace(timelineBody, errorMessage(history, 'Kunne ikke hente historikken.'));
      else renderTimeline(history);
      if (!asOfInput.value && oppdrag.lastChange) asOfInput.value = toOsloLocalInput(oppdrag.lastChange.at);
    } catch (error) {
      if (unmounted || mine !== generation) return;
      replace(factsBody, errorMessage(error, 'Kunne ikke hente oppdraget.'));
    } finally {
      factsBody.setAttribute('aria-busy', 'false');
      timelineBody.setAttribute('aria-busy', 'false');
    }
  }

  /**
   * After a command was saved: says so, and shows the oppdrag as it is now.
   * @param {string} text what was done
   * @param {MutationResult} result
   */
  function saved(text, result) {
    ownRevision = Math.max(ownRevision, result.revision);
    const message = h(
      'div',
      { class: 'message message--ok', tabindex: '-1' },
      h('p', null, `${text} `, `Hendelser: ${result.events.map(eventLabel).join(', ') || 'ingen nye'}.`),
    );
    replace(actionMessages, message);
    message.focus();
    ctx.announce(text);
    void load();
  }

  /**
   * After a command was refused.
   * @param {unknown} error
   * @param {string} lead what was not done
   */
  function refused(error, lead) {
    const message = errorMessage(error, lead);
    message.setAttribute('tabindex', '-1');
    replace(actionMessages, message);
    message.focus();
    // A refusal because of the oppdrag's state or the rules: show the oppdrag as it is now, with the
    // actions that are allowed now. A refused input keeps the form, so it can be corrected.
    const code = error instanceof ApiFailure ? error.code : null;
    if (code && ['FORBIDDEN', 'CONFLICT', 'INVALID_TRANSITION', 'NOT_FOUND'].includes(code)) void load();
  }

  /** @param {Oppdrag} o */
  function renderOppdragFields(o) {
    replace(heading, o.title);
    document.title = `${o.title} – Oppdragsflyt`;
    replace(metaLine, metaLineOf(o));
    replace(factsBody, factsOf(o));
    replace(deadlineBody, deadlineOf(o, ctx.today));
    replace(partsBody, partsOf(o, ownPart(ctx.me, o)));
    replace(milestonesBody, milestonesOf(o));
    replace(descriptionBody, h('p', { class: 'description' }, o.description || 'Ingen beskrivelse.'));
    replace(sourceBody, sourcesOf(o, names));
  }

  /** @param {HistoryEntry[]} entries */
  function renderTimeline(entries) {
    replace(
      timelineBody,
      timelineOf(entries, names, (instant) => {
        asOfInput.value = toOsloLocalInput(instant);
        void showAsOf(instant);
      }),
    );
  }

  /** @param {string} instant */
  async function showAsOf(instant) {
    replace(asOfErrors);
    try {
      const data = await gql(AS_OF, { id, instant });
      const r = data.oppdragAsOf;
      asOfResult.hidden = false;
      if (!r.existed || !r.oppdrag) {
        replace(
          asOfResult,
          h('p', null, `Oppdraget fantes ikke ennå ${formatInstant(r.asOf, { seconds: true })}.`),
        );
        return;
      }
      replace(asOfResult, asOfOf({ ...r, oppdrag: r.oppdrag }));
    } catch (error) {
      replace(asOfErrors, errorMessage(error, 'Kunne ikke vise oppdraget på det tidspunktet.'));
    }
  }

  const liveReload = debounce(() => void load({ rebuildActions: false }), 150);

  void load();

  return {
    refresh: () => void load({ rebuildActions: false }),
    onLiveChange: (change) => {
      if (change.oppdrag.id !== id) return;
      // This page's own command: the answer to it reloads the page already.
      if (actionsPanel?.busy() || change.oppdrag.revision <= ownRevision) return;
      const who = change.oppdrag.lastChange?.actorName;
      const dirty = actionsPanel?.dirty();
      // The person is told about the change right here, so what they send next is judged against it.
      actionsPanel?.setRevision(change.oppdrag.revision);
      replace(
        notice,
        h(
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
        ),
      );
      liveReload();
    },
    unmount: () => {
      unmounted = true;
    },
  };
}
