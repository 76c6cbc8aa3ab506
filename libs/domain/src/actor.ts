/** Who is asking. Every command and every stored event names its actor. */

export const ROLES = ['coordinator', 'rhf', 'auditor', 'system'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  readonly userId: string;
  readonly name: string;
  readonly role: Role;
  /** The organisation the actor acts for: `hod` for coordinators, an RHF id for `rhf` users. */
  readonly organisationId: string;
}

/** The engine itself, for the events it records when time passes. */
export const SYSTEM_ACTOR: Actor = {
  userId: 'system:deadline-watcher',
  name: 'Fristvakt',
  role: 'system',
  organisationId: 'hod',
};
