import { randomUUID } from 'node:crypto';
import { ManualClock, OppdragCommandHandler } from '#application';
import {
  addDays,
  HOD_ID,
  RHF_IDS,
  organisationRef,
  osloDate,
  type Actor,
  type CalendarDate,
  type OppdragCommand,
} from '#domain';
import type { EventStore } from '#event-store';
import { DEMO_USERS } from '../auth/tokens.js';

const coordinator = DEMO_USERS.find((u) => u.role === 'coordinator' && u.organisationId === HOD_ID) as Actor;
const member = (org: string): Actor => DEMO_USERS.find((u) => u.organisationId === org) as Actor;

interface DemoOppdrag {
  readonly n: number;
  readonly title: string;
  readonly description: string;
  readonly hovedmal: { number: number; title: string };
  readonly lead: string | null;
  /** Addressed to all four RHFs ("De regionale helseforetakene skal …"); otherwise to the lead alone. */
  readonly joint?: boolean;
  readonly collaborators: readonly string[];
  /** Days from today to the stated deadline; null: none stated (Årlig melding applies). */
  readonly deadlineInDays: number | null;
  readonly milestoneInDays?: number;
  /** What has happened so far, each step days from today (negative: in the past). */
  readonly story: ReadonlyArray<{
    readonly kind: 'start' | 'milestone' | 'report' | 'close' | 'deadline';
    readonly day: number;
    /** The RHF whose part it is (default: the lead's). */
    readonly by?: string;
  }>;
}

const HOVEDMAL = [
  { number: 1, title: 'Vi skal utdanne, rekruttere og beholde personell' },
  { number: 2, title: 'Vi skal styrke samhandlingen med kommunene' },
  { number: 3, title: 'Vi skal ta i bruk ny teknologi og digitale løsninger' },
];

const DEMO: readonly DemoOppdrag[] = [
  {
    n: 1,
    title: 'Utarbeide en felles plan for rekruttering av spesialsykepleiere.',
    description:
      'De regionale helseforetakene skal, under ledelse av Helse Vest RHF, utarbeide en felles plan for rekruttering og utdanning av spesialsykepleiere.',
    hovedmal: HOVEDMAL[0]!,
    lead: 'helse-vest',
    collaborators: ['helse-sor-ost', 'helse-nord', 'Helsedirektoratet'],
    deadlineInDays: -40,
    story: [{ kind: 'start', day: -120 }],
  },
  {
    n: 2,
    title: 'Etablere felles system for digital hjemmeoppfølging.',
    description:
      'De regionale helseforetakene skal, under ledelse av Helse Midt-Norge RHF, etablere et felles system for digital hjemmeoppfølging i samarbeid med kommunene og Norsk helsenett.',
    hovedmal: HOVEDMAL[2]!,
    lead: 'helse-midt-norge',
    collaborators: ['kommunene', 'Norsk helsenett'],
    deadlineInDays: 25,
    milestoneInDays: -10,
    story: [{ kind: 'start', day: -90 }],
  },
  {
    n: 3,
    title: 'Rapportere på ventetider i psykisk helsevern for barn og unge.',
    description:
      'Helse Nord RHF skal rapportere på utviklingen i ventetider for barn og unge i psykisk helsevern, i samarbeid med FHI.',
    hovedmal: HOVEDMAL[1]!,
    lead: 'helse-nord',
    collaborators: ['FHI'],
    deadlineInDays: -60,
    story: [
      { kind: 'start', day: -150 },
      { kind: 'report', day: -45 },
    ],
  },
  {
    n: 4,
    title: 'Kartlegge bruk av kunstig intelligens i klinisk praksis.',
    description:
      'De regionale helseforetakene skal, under ledelse av Helse Sør-Øst RHF, kartlegge bruken av kunstig intelligens i klinisk praksis og foreslå felles retningslinjer.',
    hovedmal: HOVEDMAL[2]!,
    lead: 'helse-sor-ost',
    collaborators: ['Direktoratet for medisinske produkter', 'Helsedirektoratet'],
    deadlineInDays: 12,
    story: [],
  },
  {
    n: 5,
    title: 'Styrke samarbeidet med kommunene om utskrivningsklare pasienter.',
    description:
      'De regionale helseforetakene skal styrke samarbeidet med kommunene om utskrivningsklare pasienter og rapportere i Årlig melding.',
    hovedmal: HOVEDMAL[1]!,
    lead: null,
    joint: true,
    collaborators: ['kommunene', 'KS'],
    deadlineInDays: null,
    story: [
      { kind: 'start', day: -70, by: 'helse-nord' },
      { kind: 'report', day: -45, by: 'helse-vest' },
      { kind: 'report', day: -35, by: 'helse-midt-norge' },
    ],
  },
  {
    n: 6,
    title: 'Utrede felles innkjøp av legemidler til sjeldne sykdommer.',
    description:
      'De regionale helseforetakene skal, under ledelse av Helse Vest RHF, utrede felles innkjøp av legemidler til sjeldne sykdommer i samarbeid med Sykehusinnkjøp HF.',
    hovedmal: HOVEDMAL[0]!,
    lead: 'helse-vest',
    collaborators: ['Sykehusinnkjøp HF'],
    deadlineInDays: -5,
    story: [{ kind: 'start', day: -30 }],
  },
  {
    n: 7,
    title: 'Evaluere ordningen med akuttmedisinske kommunikasjonssentraler.',
    description:
      'Helse Midt-Norge RHF skal evaluere ordningen med akuttmedisinske kommunikasjonssentraler og levere en rapport til departementet.',
    hovedmal: HOVEDMAL[1]!,
    lead: 'helse-midt-norge',
    collaborators: [],
    deadlineInDays: -100,
    story: [
      { kind: 'start', day: -200 },
      { kind: 'report', day: -70 },
      { kind: 'close', day: -20 },
    ],
  },
  {
    n: 8,
    title: 'Innføre felles løsning for pasientens legemiddelliste.',
    description:
      'De regionale helseforetakene skal, under ledelse av Helse Nord RHF, innføre pasientens legemiddelliste i samarbeid med Norsk helsenett og kommunene.',
    hovedmal: HOVEDMAL[2]!,
    lead: 'helse-nord',
    joint: true,
    collaborators: ['Norsk helsenett', 'kommunene'],
    deadlineInDays: 60,
    milestoneInDays: 20,
    story: [
      { kind: 'start', day: -40, by: 'helse-sor-ost' },
      { kind: 'report', day: -33, by: 'helse-vest' },
      { kind: 'start', day: -15 },
    ],
  },
  {
    n: 9,
    title: 'Gjennomgå beredskapslagre for legemidler og medisinsk utstyr.',
    description:
      'Helse Sør-Øst RHF skal gjennomgå beredskapslagrene for legemidler og medisinsk utstyr i samarbeid med DMP og Helsedirektoratet.',
    hovedmal: HOVEDMAL[0]!,
    lead: 'helse-sor-ost',
    collaborators: ['DMP', 'Helsedirektoratet'],
    deadlineInDays: -20,
    story: [],
  },
  {
    n: 10,
    title: 'Utvikle kompetansetiltak for helsefagarbeidere.',
    description:
      'De regionale helseforetakene skal, under ledelse av Helse Sør-Øst RHF, utvikle kompetansetiltak for helsefagarbeidere i sykehus.',
    hovedmal: HOVEDMAL[0]!,
    lead: 'helse-sor-ost',
    collaborators: ['universitetene'],
    deadlineInDays: 28,
    story: [
      { kind: 'start', day: -60 },
      { kind: 'report', day: -2 },
    ],
  },
];

/**
 * Loads demo oppdrag for the current year through the real command handler, with a clock set to the
 * days the story happened, so that the first query shows leads, collaborators, overdue and late reports.
 */
export async function seedDemo(store: EventStore, now: string): Promise<number> {
  const today = osloDate(now);
  const year = Number(today.slice(0, 4));
  const clock = new ManualClock(now);
  const handler = new OppdragCommandHandler(store, clock);
  const at = (day: number): CalendarDate => addDays(today, day);
  const run = async (command: OppdragCommand, actor: Actor, day: number): Promise<void> => {
    clock.set(`${at(day)}T10:00:00.000Z`);
    await handler.handle(command, { commandId: randomUUID(), actor });
  };
  for (const d of DEMO) {
    const oppdragId = `${year}-demo-${String(d.n).padStart(2, '0')}`;
    const milestones =
      d.milestoneInDays === undefined
        ? []
        : [
            {
              id: 'statusrapport-1',
              kind: 'statusrapport',
              title: 'Statusrapport til HOD',
              dueDate: at(d.milestoneInDays),
            },
          ];
    await run(
      {
        type: 'AssignOppdrag',
        data: {
          oppdragId,
          year,
          title: d.title,
          description: d.description,
          hovedmal: d.hovedmal,
          sources: [
            {
              letter: `Oppdragsdokument ${year} (demo)`,
              recipient: d.lead,
              letterKind: 'hoveddokument',
              section: d.hovedmal,
              heading: `Oppdrag ${year}`,
              lineStart: null,
              lineEnd: null,
            },
          ],
          lead: d.lead,
          ...(d.joint ? { addressees: [...RHF_IDS] } : {}),
          collaborators: d.collaborators.map(organisationRef).filter((c) => c.id !== d.lead),
          deadline: d.deadlineInDays === null ? null : at(d.deadlineInDays),
          milestones,
        },
      },
      coordinator,
      -240,
    );
    for (const step of d.story) {
      const lead = step.by ? member(step.by) : d.lead ? member(d.lead) : coordinator;
      if (step.kind === 'start')
        await run({ type: 'StartOppdrag', data: { oppdragId, startedOn: at(step.day) } }, lead, step.day);
      if (step.kind === 'report') {
        await run(
          {
            type: 'ReportOppdrag',
            data: {
              oppdragId,
              reportedOn: at(step.day),
              documentRef: `Rapport ${oppdragId}.pdf`,
              summary: null,
            },
          },
          lead,
          step.day,
        );
      }
      if (step.kind === 'close') {
        await run(
          {
            type: 'CloseOppdrag',
            data: {
              oppdragId,
              outcome: 'completed',
              reason: 'Rapporten er behandlet i oppfølgingsmøtet.',
              supersededBy: null,
            },
          },
          coordinator,
          step.day,
        );
      }
    }
  }
  return DEMO.length;
}
