// @ts-check
// The parts of "Mitt RHF", each built from what the API answered: the RHF's parts in three groups, its
// overdue milestones, and what it still owes before its Årlig melding.

import { h, tableWrap, uid } from '../dom.js';
import { daysBetween, daysText, formatDate, owesLabel, relativeDeadline, statusLabel } from '../format.js';

/** @import { MyPart, StillOwes } from '../types.js' */

/**
 * @param {string} kind
 * @param {string} text
 */
const badge = (kind, text) => h('span', { class: `badge badge--${kind}` }, text);
/** @param {{ id: string, title: string }} o */
const link = (o) => h('a', { href: `#/oppdrag/${o.id}` }, o.title);

/** The three ways an RHF has an oppdrag, in the order they are shown. */
const GROUPS = [
  {
    key: 'LEAD',
    title: 'Oppdrag vi leder',
    hint: 'Vår del skylder den felles leveransen: delleveransene og fristen.',
    empty: 'Vi leder ingen åpne oppdrag.',
  },
  {
    key: 'ADDRESSEE',
    title: 'Oppdrag rettet til oss',
    hint: 'Også oppdrag rettet til alle de regionale helseforetakene. Hvert RHF rapporterer sin egen del.',
    empty: 'Ingen åpne oppdrag er rettet til oss uten at vi leder dem.',
  },
  {
    key: 'COLLABORATOR',
    title: 'Oppdrag vi samarbeider på',
    hint: 'Vi bidrar, men har ingen egen del å rapportere.',
    empty: 'Vi samarbeider ikke på noen åpne oppdrag.',
  },
];

/**
 * @param {MyPart} item
 * @param {number} rhfCount
 */
function involvementText(item, rhfCount) {
  if (item.involvement === 'ADDRESSEE')
    return item.oppdrag.addressees.length === rhfCount ? 'Rettet til alle RHF-ene' : 'Rettet til oss';
  return item.involvement === 'LEAD' ? 'Vi leder' : 'Vi samarbeider';
}

/**
 * The RHF's parts, in the three groups of how it has them.
 * @param {MyPart[]} items
 * @param {number} totalCount
 * @param {number} rhfCount
 * @param {string} today
 */
export function partGroupsOf(items, totalCount, rhfCount, today) {
  const groups = GROUPS.map((g) => {
    const rows = items.filter((i) => i.involvement === g.key);
    const headingId = uid('h');
    return h(
      'section',
      {
        class: 'subsection',
        'aria-labelledby': headingId,
        'data-testid': `parts-${g.key.toLowerCase()}`,
      },
      h('h3', { id: headingId }, `${g.title} (${rows.length})`),
      h('p', { class: 'panel__hint' }, g.hint),
      rows.length === 0 ? h('p', { class: 'empty' }, g.empty) : partsTable(g, rows, rhfCount, today),
    );
  });
  return [
    groups,
    totalCount > items.length
      ? h('p', { class: 'panel__hint' }, `Viser ${items.length} av ${totalCount}.`)
      : null,
  ];
}

/**
 * @param {typeof GROUPS[number]} group
 * @param {MyPart[]} rows
 * @param {number} rhfCount
 * @param {string} today
 */
function partsTable(group, rows, rhfCount, today) {
  const collaborating = group.key === 'COLLABORATOR';
  return tableWrap(
    `Tabell: ${group.title.toLowerCase()}`,
    h(
      'table',
      null,
      h('caption', { class: 'visually-hidden' }, group.title),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, 'Oppdrag'),
          h('th', { scope: 'col' }, collaborating ? 'Ledende RHF' : 'Vår del'),
          h('th', { scope: 'col' }, 'Frist for vår del'),
          h('th', { scope: 'col' }, 'Neste dato'),
          h('th', { scope: 'col' }, 'Forfalte delleveranser'),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((item) => partRowOf(item, rhfCount, today)),
      ),
    ),
  );
}

/**
 * The overdue milestones of the RHF's parts, most overdue first, and how many.
 * @param {MyPart[]} items
 * @param {string} today
 */
export function overdueMilestonesOf(items, today) {
  const overdue = items.flatMap((item) =>
    item.overdueMilestones.map((m) => ({ oppdrag: item.oppdrag, milestone: m })),
  );
  overdue.sort((a, b) => a.milestone.dueDate.localeCompare(b.milestone.dueDate));
  return {
    count: overdue.length,
    node:
      overdue.length === 0
        ? h('p', { class: 'empty' }, 'Ingen forfalte delleveranser.')
        : h(
            'ul',
            { class: 'mini-list', 'data-testid': 'my-overdue-milestones' },
            overdue.map(({ oppdrag, milestone }) =>
              h(
                'li',
                { dataset: { id: oppdrag.id, milestone: milestone.id } },
                link(oppdrag),
                h(
                  'span',
                  { class: 'sub' },
                  `${milestone.title} · frist ${formatDate(milestone.dueDate)} · `,
                  badge('overdue', `${daysText(daysBetween(milestone.dueDate, today))} på overtid`),
                ),
              ),
            ),
          ),
  };
}

/**
 * What the RHF still owes for a year, as a table, or a sentence when it owes nothing.
 * @param {StillOwes} owes the API's stillOwes
 */
export function stillOwesOf(owes) {
  return owes.items.length === 0
    ? h('p', { class: 'empty' }, `Vi skylder ingenting for ${owes.year}.`)
    : [
        tableWrap(
          'Tabell over det vi fortsatt skylder',
          h(
            'table',
            { 'data-testid': 'still-owes' },
            h('caption', { class: 'visually-hidden' }, `Det vi fortsatt skylder for ${owes.year}`),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', { scope: 'col' }, 'Hva'),
                h('th', { scope: 'col' }, 'Oppdrag'),
                h('th', { scope: 'col' }, 'Frist'),
              ),
            ),
            h(
              'tbody',
              null,
              owes.items.map((item) =>
                h(
                  'tr',
                  {
                    dataset: {
                      id: item.oppdrag.id,
                      what: item.what,
                      ...(item.milestone ? { milestone: item.milestone.id } : {}),
                    },
                  },
                  h(
                    'td',
                    null,
                    item.what === 'MILESTONE'
                      ? `Delleveranse: ${item.milestone?.title ?? ''}`
                      : 'Rapport for vår del',
                  ),
                  h('td', null, link(item.oppdrag)),
                  h(
                    'td',
                    { class: 'nowrap' },
                    formatDate(item.dueDate),
                    item.overdue ? [' ', badge('overdue', 'forfalt')] : null,
                  ),
                ),
              ),
            ),
          ),
        ),
        owes.totalCount > owes.items.length
          ? h('p', { class: 'panel__hint' }, `Viser ${owes.items.length} av ${owes.totalCount}.`)
          : null,
      ];
}

/**
 * One part: the oppdrag, our part (or its lead when we only collaborate), our deadline, its next date,
 * and our overdue milestones.
 * @param {MyPart} item
 * @param {number} rhfCount
 * @param {string} today
 */
function partRowOf(item, rhfCount, today) {
  return h(
    'tr',
    { dataset: { id: item.oppdrag.id, involvement: item.involvement } },
    h(
      'td',
      null,
      link(item.oppdrag),
      h('span', { class: 'sub table-id' }, ` ${item.oppdrag.id}`),
      h('div', { class: 'panel__hint' }, involvementText(item, rhfCount)),
    ),
    h(
      'td',
      { class: 'part-status' },
      item.part
        ? [
            h(
              'span',
              { class: `badge badge--${item.part.status.toLowerCase()}` },
              statusLabel(item.part.status),
            ),
            h('div', { class: 'panel__hint' }, owesLabel(item.part.owes)),
          ]
        : (item.oppdrag.lead?.shortName ?? 'Ingen'),
    ),
    h(
      'td',
      { class: 'nowrap' },
      item.dueDate
        ? [
            formatDate(item.dueDate),
            h('div', { class: 'panel__hint' }, relativeDeadline(item.dueDate, today)),
          ]
        : '–',
      item.overdue ? badge('overdue', 'forfalt') : null,
    ),
    h(
      'td',
      null,
      item.oppdrag.nextDue
        ? [
            formatDate(item.oppdrag.nextDue.date),
            h('div', { class: 'panel__hint' }, item.oppdrag.nextDue.what),
          ]
        : '–',
    ),
    h(
      'td',
      null,
      item.overdueMilestones.length === 0
        ? 'Ingen'
        : h(
            'ul',
            { class: 'plain' },
            item.overdueMilestones.map((m) =>
              h('li', null, `${m.title}, frist ${formatDate(m.dueDate)} `, badge('overdue', 'forfalt')),
            ),
          ),
    ),
  );
}
