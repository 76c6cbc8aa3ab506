import { SignJWT } from 'jose';
import type { Actor, Role } from '#domain';

/** The issuer the API expects in a token unless configured otherwise. */
export const TOKEN_ISSUER = 'oppdragsflyt';

/** How long a minted token is valid unless asked otherwise (a `jose` time span: 30m, 12h, 7d). */
export const DEFAULT_TOKEN_LIFETIME = '12h';

/**
 * Signs an HS256 token with the claims the API reads: sub, name, role, org. The API mints the demo users'
 * tokens with it, and the CLI's `mint-token` a configured user's.
 */
export async function mintToken(
  secret: string,
  actor: Omit<Actor, 'role'> & { role: Role },
  options: { issuer?: string; expiresIn?: string } = {},
): Promise<string> {
  return new SignJWT({ name: actor.name, role: actor.role, org: actor.organisationId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(actor.userId)
    .setIssuer(options.issuer ?? TOKEN_ISSUER)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? DEFAULT_TOKEN_LIFETIME)
    .sign(new TextEncoder().encode(secret));
}
