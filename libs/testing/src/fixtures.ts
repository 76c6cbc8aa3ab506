import type { Actor, AssignOppdrag, CalendarDate, OppdragAssigned } from '#domain';

export const coordinator: Actor = {
  userId: 'kari',
  name: 'Kari Koordinator',
  role: 'coordinator',
  organisationId: 'hod',
};
export const auditor: Actor = {
  userId: 'revisor',
  name: 'Rita Revisor',
  role: 'auditor',
  organisationId: 'hod',
};
export const rhfUser = (organisationId: string, userId = `${organisationId}-bruker`): Actor => ({
  userId,
  name: `Bruker i ${organisationId}`,
  role: 'rhf',
  organisationId,
});

/** An AssignOppdrag command with sensible defaults; override what a test is about. */
export function assignCommand(overrides: Partial<OppdragAssigned['data']> = {}): AssignOppdrag {
  return {
    type: 'AssignOppdrag',
    data: {
      oppdragId: '2024-hmn-01',
      year: 2024,
      title: 'Utrede felles løsning for digital hjemmeoppfølging.',
      description:
        'De regionale helseforetakene skal, under ledelse av Helse Midt-Norge RHF, utrede felles løsning.',
      hovedmal: { number: 1, title: 'Vi skal utdanne, rekruttere og beholde' },
      sources: [
        {
          letter: '2024-helse-midt-norge-rhf.txt',
          recipient: 'helse-midt-norge',
          letterKind: 'hoveddokument',
          section: { number: 1, title: 'Vi skal utdanne, rekruttere og beholde' },
          heading: 'Oppdrag 2024',
          lineStart: 10,
          lineEnd: 12,
        },
      ],
      lead: 'helse-midt-norge',
      collaborators: [{ id: 'folkehelseinstituttet', name: 'Folkehelseinstituttet' }],
      deadline: '2024-10-01' as CalendarDate,
      milestones: [
        {
          id: 'statusrapport-1',
          kind: 'statusrapport',
          title: 'Statusrapport',
          dueDate: '2024-06-01' as CalendarDate,
        },
      ],
      ...overrides,
    },
  };
}
