import { jwtVerify, SignJWT } from 'jose';
import { isRhfId, ROLES, type Actor, type Role } from '#domain';

/** The people the product knows: an actor decoded from a verified bearer token. */
export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

const encoder = new TextEncoder();
const USER_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'system');

/** Signs an HS256 token with the claims the API reads: sub, name, role, org. */
export async function mintToken(
  secret: string,
  actor: Omit<Actor, 'role'> & { role: Role },
  options: { issuer?: string; expiresIn?: string } = {},
): Promise<string> {
  return new SignJWT({ name: actor.name, role: actor.role, org: actor.organisationId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(actor.userId)
    .setIssuer(options.issuer ?? 'oppdragsflyt')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(encoder.encode(secret));
}

/** Verifies a token (signature, algorithm, issuer, expiry) and returns its actor; throws AuthError otherwise. */
export async function verifyToken(secret: string, token: string, issuer = 'oppdragsflyt'): Promise<Actor> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, encoder.encode(secret), { algorithms: ['HS256'], issuer }));
  } catch (error) {
    throw new AuthError(`the bearer token is not valid: ${(error as Error).message}`);
  }
  const { sub, name, role, org } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200)
    throw new AuthError('the token has no subject (sub)');
  if (typeof name !== 'string' || name.length > 200) throw new AuthError('the token has no name claim');
  if (typeof role !== 'string' || !USER_ROLES.includes(role as Role)) {
    throw new AuthError(`the token's role must be one of ${USER_ROLES.join(', ')}`);
  }
  if (typeof org !== 'string') throw new AuthError('the token has no org claim');
  if (role === 'rhf' && !isRhfId(org))
    throw new AuthError('an rhf token must name one of the four RHFs as org');
  return { userId: sub, name, role: role as Role, organisationId: org };
}

/** Reads `Bearer <token>` from an Authorization header value. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
  return match ? (match[1] as string) : null;
}

export const DEMO_USERS: readonly Actor[] = [
  { userId: 'kari.koordinator', name: 'Kari Koordinator (HOD)', role: 'coordinator', organisationId: 'hod' },
  { userId: 'siri.sorost', name: 'Siri i Helse Sør-Øst', role: 'rhf', organisationId: 'helse-sor-ost' },
  { userId: 'vegard.vest', name: 'Vegard i Helse Vest', role: 'rhf', organisationId: 'helse-vest' },
  { userId: 'mari.midt', name: 'Mari i Helse Midt-Norge', role: 'rhf', organisationId: 'helse-midt-norge' },
  { userId: 'nils.nord', name: 'Nils i Helse Nord', role: 'rhf', organisationId: 'helse-nord' },
  { userId: 'rita.revisor', name: 'Rita Revisor', role: 'auditor', organisationId: 'riksrevisjonen' },
];
