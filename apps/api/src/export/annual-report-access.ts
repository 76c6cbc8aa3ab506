import { RHF_IDS, type Actor } from '#domain';
import { requireRole } from '../auth/current-user.js';
import { rhfNamed } from '../graphql/args.js';
import { ApiError } from '../graphql/errors.js';

/**
 * Who may see which Årlig melding sheet, in one place for the query, the download links and the files:
 * - an RHF user: its own RHF's sheet (asked for by name, or by leaving the RHF out), nothing else;
 * - a coordinator (of HOD) and an auditor: any RHF's sheet, and the four RHFs side by side (the RHF left out).
 *
 * Returns the RHFs of the sheet; refuses with the rule that refused it.
 */
export function annualReportRhfs(user: Actor, rhf: string | null | undefined): string[] {
  requireRole(user, ['coordinator', 'auditor', 'rhf'], 'read an Årlig melding sheet');
  const named = rhf === null || rhf === undefined || rhf.trim() === '' ? null : rhfNamed(rhf);
  if (user.role === 'rhf') {
    if (named !== null && named !== user.organisationId) {
      throw new ApiError(
        'FORBIDDEN',
        `rule "an RHF user reads only its own RHF's Årlig melding sheet": ${user.name} is a user of ${user.organisationId}, not ${named}`,
        'rhf',
      );
    }
    return [user.organisationId];
  }
  return named === null ? [...RHF_IDS] : [named];
}
