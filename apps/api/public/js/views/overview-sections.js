// @ts-check
// The overview's parts, each built from what the API answered: the short lists ("Forfalt i dag", "Frist
// innen 30 dager", forfalte delleveranser, an RHF's own parts), the workload per RHF, and the list of
// oppdrag.

import { h } from '../dom.js';
import {
  daysText,
  formatDate,
  involvementLabel,
  namesList,
  orgName,
  relativeDeadline,
  statusLabel,
} from '../format.js';

/** @import { Child } from '../dom.js' */
/** @import { MinePart, OppdragRow, OppdragStatus, SmallRow, WorkloadRow } from '../types.js' */

/**
 * A line of a short list: the oppdrag it links to, and what the line says about it.
 * @typedef {{ id: string, title: string }} Linked
 * @typedef {Linked & { milestone: { title: string, dueDate: string }, days: number }} OverdueMilestoneItem
 * @typedef {Linked & { item: MinePart }} MineItem
 */

/**
 * Who the oppdrag is addressed to, when that is more than its lead alone.
 * @param {OppdragRow} o
 * @param {number} rhfCount
 */
function addresseesHint(o, rhfCount) {
  const others = o.addressees.filter((a) => a.id !== o.lead?.id);
  if (others.length === 0) return null;
  if (o.addressees.length === rhfCount) return 'Rettet til alle RHF-ene';
  return `Rettet til ${namesList(o.addressees.map((a) => a.shortName))}`;
}

/** @param {Linked} o */
const oppdragLink = (o) => h('a', { href: `#/oppdrag/${o.id}` }, o.title);

/** @param {OppdragStatus} status */
function statusBadge(status) {
  return h('span', { class: `badge badge--${status.toLowerCase()}` }, statusLabel(status));
}

/**
 * One line of "Forfalt i dag".
 * @param {SmallRow} o
 * @returns {Child[]}
 */
export function overdueLine(o) {
  return [
    o.id,
    orgName(o.lead, 'alle RHF-er'),
    `frist ${formatDate(o.effectiveDeadline)}`,
    h('span', { class: 'badge badge--overdue' }, `${daysText(o.daysOverdue)} på overtid`),
  ];
}
/**
 * One line of "Frist innen 30 dager".
 * @param {SmallRow} o
 * @param {string} today
 * @returns {Child[]}
 */
export function soonLine(o, today) {
  return [
    orgName(o.lead, 'alle RHF-er'),
    `frist ${formatDate(o.effectiveDeadline)} (${relativeDeadline(o.effectiveDeadline, today)})`,
  ];
}
/**
 * One line of "Forfalte delleveranser".
 * @param {OverdueMilestoneItem} o
 * @returns {Child[]}
 */
export function overdueMilestoneLine(o) {
  return [
    o.milestone.title,
    `frist ${formatDate(o.milestone.dueDate)}`,
    h('span', { class: 'badge badge--overdue' }, `${daysText(o.days)} på overtid`),
  ];
}
/**
 * One line of "Våre deler".
 * @param {MineItem} o
 * @returns {Child[]}
 */
export function mineLine(o) {
  const { item } = o;
  return [
    involvementLabel(item.involvement),
    item.part ? `vår del: ${statusLabel(item.part.status).toLowerCase()}` : 'ingen egen del',
    item.dueDate ? `frist ${formatDate(item.dueDate)}` : 'ingen frist for oss',
    item.overdue ? h('span', { class: 'badge badge--overdue' }, 'forfalt') : null,
    item.overdueMilestones.length > 0
      ? h(
          'span',
          { class: 'badge badge--overdue' },
          `${item.overdueMilestones.length} forfalt${item.overdueMilestones.length === 1 ? '' : 'e'} delleveranse${item.overdueMilestones.length === 1 ? '' : 'r'}`,
        )
      : null,
  ].filter(Boolean);
}

/**
 * A short list of oppdrag, each with a line about it; says so when there are more than it shows.
 * @template {Linked} T
 * @param {T[]} items
 * @param {number} total how many there are in all
 * @param {(item: T) => Child[]} line
 * @param {string} emptyText what it says when there are none
 */
export function miniList(items, total, line, emptyText) {
  if (items.length === 0) return h('p', { class: 'empty' }, emptyText);
  return [
    h(
      'ul',
      { class: 'mini-list' },
      items.map((o) =>
        h(
          'li',
          { dataset: { id: o.id } },
          oppdragLink(o),
          h(
            'span',
            { class: 'sub' },
            line(o).flatMap((part, i) => (i === 0 ? [part] : [' · ', part])),
          ),
        ),
      ),
    ),
    total > items.length ? h('p', { class: 'panel__hint' }, `Viser ${items.length} av ${total}.`) : null,
  ];
}

/**
 * The workload per RHF; a click on an RHF's name calls `onPick` with its id.
 * @param {WorkloadRow[]} rows
 * @param {string} year the year shown ("år 2024", "alle år")
 * @param {(organisationId: string) => void} onPick
 */
export function workloadTableOf(rows, year, onPick) {
  return h(
    'table',
    { 'data-testid': 'workload' },
    h('caption', { class: 'visually-hidden' }, `Arbeidsmengde per RHF, ${year}`),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, 'RHF'),
        h('th', { scope: 'col', class: 'num' }, 'Deler'),
        h('th', { scope: 'col', class: 'num' }, 'Leder'),
        h('th', { scope: 'col', class: 'num' }, 'Samarbeider på'),
        h('th', { scope: 'col', class: 'num' }, 'Åpne deler'),
        h('th', { scope: 'col', class: 'num' }, 'Forfalt'),
        h('th', { scope: 'col', class: 'num' }, 'Rapportert for sent'),
      ),
    ),
    h(
      'tbody',
      null,
      rows.map((r) =>
        h(
          'tr',
          { dataset: { org: r.organisation.id } },
          h(
            'th',
            { scope: 'row' },
            h(
              'button',
              {
                type: 'button',
                class: 'button--link',
                title: `Vis åpne oppdrag som ${r.organisation.shortName} leder`,
                onClick: () => onPick(r.organisation.id),
              },
              r.organisation.shortName,
            ),
          ),
          h('td', { class: 'num' }, r.parts),
          h('td', { class: 'num' }, r.leads),
          h('td', { class: 'num' }, r.collaboratesOn),
          h('td', { class: 'num' }, r.open),
          h('td', { class: 'num' }, r.overdue > 0 ? h('strong', null, r.overdue) : '0'),
          h('td', { class: 'num' }, r.reportedLate),
        ),
      ),
    ),
  );
}

/**
 * The list of oppdrag, or nothing when there are none.
 * @param {OppdragRow[]} nodes
 * @param {number} rhfCount how many RHFs there are (an oppdrag addressed to all of them says so)
 */
export function oppdragTableOf(nodes, rhfCount) {
  if (nodes.length === 0) return null;
  return h(
    'table',
    { 'data-testid': 'oppdrag-table' },
    h('caption', { class: 'visually-hidden' }, 'Oppdrag som passer filteret'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, 'Oppdrag'),
        h('th', { scope: 'col' }, 'Ledende RHF'),
        h('th', { scope: 'col' }, 'Status'),
        h('th', { scope: 'col' }, 'Frist'),
        h('th', { scope: 'col' }, 'Neste dato'),
      ),
    ),
    h(
      'tbody',
      null,
      nodes.map((o) => oppdragRowOf(o, rhfCount)),
    ),
  );
}

/**
 * One oppdrag in the list: title and id, lead and addressees, status, deadline, and the next date.
 * @param {OppdragRow} o
 * @param {number} rhfCount
 */
function oppdragRowOf(o, rhfCount) {
  return h(
    'tr',
    { dataset: { id: o.id } },
    h(
      'td',
      null,
      oppdragLink(o),
      h(
        'span',
        { class: 'sub table-id', style: null },
        ` ${o.id}`,
        o.hovedmal?.number != null ? ` · hovedmål ${o.hovedmal.number}` : '',
      ),
      o.collaborators.length > 0
        ? h('div', { class: 'panel__hint' }, `Med: ${o.collaborators.map((c) => c.shortName).join(', ')}`)
        : null,
    ),
    h(
      'td',
      null,
      orgName(o.lead, 'Ingen'),
      addresseesHint(o, rhfCount) ? h('div', { class: 'panel__hint' }, addresseesHint(o, rhfCount)) : null,
    ),
    h(
      'td',
      { class: 'status-cell' },
      statusBadge(o.status),
      o.reportedLate ? [' ', h('span', { class: 'badge badge--late' }, 'rapportert for sent')] : null,
    ),
    h(
      'td',
      { class: 'nowrap' },
      formatDate(o.effectiveDeadline),
      h('div', { class: 'panel__hint' }, o.deadlineSource === 'STATED' ? 'fastsatt frist' : 'Årlig melding'),
      o.overdue ? h('span', { class: 'badge badge--overdue' }, `forfalt, ${daysText(o.daysOverdue)}`) : null,
    ),
    h(
      'td',
      null,
      o.nextDue ? [formatDate(o.nextDue.date), h('div', { class: 'panel__hint' }, o.nextDue.what)] : '–',
    ),
  );
}
