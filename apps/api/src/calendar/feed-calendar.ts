import ical from 'ical-generator';
import { addDays, organisationById, type CalendarFeedState } from '#domain';
import { calendarItems, type CalendarItem, type ViewSource } from '#projections';

const shortName = (id: string): string => organisationById(id)?.shortName ?? id;

/** The feed's name in the calendar client. */
function calendarName(feed: CalendarFeedState): string {
  return feed.scope.kind === 'all'
    ? 'Oppdragsflyt: frister for alle RHF'
    : `Oppdragsflyt: frister for ${shortName(feed.scope.rhf)}`;
}

function summaryOf(item: CalendarItem): string {
  const { oppdrag } = item.view;
  if (item.kind === 'milestone') {
    const milestone = oppdrag.milestones.find((m) => m.id === item.milestoneId);
    return `Delleveranse: ${milestone?.title || milestone?.kind || 'delleveranse'} (${oppdrag.id})`;
  }
  return item.annualReport ? `Rapport i Årlig melding: ${oppdrag.title}` : `Frist: ${oppdrag.title}`;
}

function descriptionOf(item: CalendarItem, link: string): string {
  const { oppdrag } = item.view;
  const lead = oppdrag.lead ? shortName(oppdrag.lead) : 'ingen (hvert RHF for seg)';
  const lines = [
    `Oppdrag ${oppdrag.id}: ${oppdrag.title}`,
    `Ledende RHF: ${lead}`,
    item.kind === 'deadline' && item.annualReport
      ? 'Vår del rapporteres i Årlig melding.'
      : item.kind === 'deadline'
        ? oppdrag.deadline
          ? 'Fastsatt frist.'
          : 'Ingen fastsatt frist: rapporteres i Årlig melding.'
        : `Delleveranse på oppdraget.`,
    `Se oppdraget: ${link}`,
  ];
  return lines.join('\n');
}

/**
 * A feed as iCalendar text: one all-day event per deadline or milestone (dates in Europe/Oslo), each with
 * a UID that stays the same as long as the deadline or milestone exists, so that a changed date moves the
 * event in the subscriber's calendar instead of adding one.
 */
export function feedCalendar(
  feed: CalendarFeedState,
  source: ViewSource,
  options: { readonly baseUrl: string; readonly now: string },
): string {
  const calendar = ical({
    name: calendarName(feed),
    description: 'Frister og delleveranser fra Oppdragsflyt',
    timezone: 'Europe/Oslo',
    prodId: { company: 'Oppdragsflyt', product: 'kalender', language: 'NB' },
    ttl: 60 * 60,
  });
  for (const item of calendarItems(source, feed.scope)) {
    const link = `${options.baseUrl}/#/oppdrag/${item.view.oppdrag.id}`;
    calendar.createEvent({
      id: item.uid,
      start: item.date,
      end: addDays(item.date, 1),
      allDay: true,
      stamp: new Date(options.now),
      summary: summaryOf(item),
      description: descriptionOf(item, link),
      url: link,
    });
  }
  return calendar.toString();
}
