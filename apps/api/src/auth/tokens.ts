import { webcrypto } from 'node:crypto';
import { jwtVerify } from 'jose';
import { HOD_ID, isRhfId, ROLES, type Actor, type Role } from '#domain';

export { mintToken } from '#platform';

/** The people the product knows: an actor decoded from a verified bearer token. */
export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

const encoder = new TextEncoder();
const USER_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'system');

const HS256_KEY = { name: 'HMAC', hash: 'SHA-256' } as const;

/** Verifies a token (signature, algorithm, issuer, expiry) and returns its actor; throws AuthError otherwise. */
export async function verifyToken(secret: string, token: string, issuer = 'oppdragsflyt'): Promise<Actor> {
  return (await verifyClaims(encoder.encode(secret), token, issuer)).actor;
}

interface VerifiedToken {
  readonly actor: Actor;
  /** The token's `exp` and `nbf` claims (seconds since the epoch), when it has them. */
  readonly exp: number | undefined;
  readonly nbf: number | undefined;
}

async function verifyClaims(
  key: Uint8Array | webcrypto.CryptoKey,
  token: string,
  issuer: string,
): Promise<VerifiedToken> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer }));
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
  if (role === 'coordinator' && org !== HOD_ID)
    throw new AuthError(`a coordinator token must name ${HOD_ID} as org: coordinators are users of HOD`);
  return {
    actor: Object.freeze({ userId: sub, name, role: role as Role, organisationId: org }),
    exp: typeof payload.exp === 'number' ? payload.exp : undefined,
    nbf: typeof payload.nbf === 'number' ? payload.nbf : undefined,
  };
}

export interface TokenVerifierOptions {
  readonly issuer?: string;
  /** How many verified tokens to remember (least recently used go first). */
  readonly maxEntries?: number;
  /** Longer tokens are verified every time and never remembered. */
  readonly maxTokenLength?: number;
  /** Milliseconds since the epoch (tests). */
  readonly now?: () => number;
}

/**
 * Verifies bearer tokens with one secret, as `verifyToken` does, and remembers the tokens that passed so
 * that a client sending the same token again costs a map lookup instead of an HMAC. A remembered token
 * is accepted only while its `exp` (and `nbf`) still hold, checked on every use exactly as the JWT
 * library checks them; otherwise it is forgotten and verified again, which gives the library's own
 * error. The memory is bounded by `maxEntries` tokens of at most `maxTokenLength` characters.
 */
export class TokenVerifier {
  private readonly issuer: string;
  private readonly maxEntries: number;
  private readonly maxTokenLength: number;
  private readonly now: () => number;
  private readonly key: Promise<webcrypto.CryptoKey>;
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(secret: string, options: TokenVerifierOptions = {}) {
    this.issuer = options.issuer ?? 'oppdragsflyt';
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxTokenLength = options.maxTokenLength ?? 2048;
    this.now = options.now ?? Date.now;
    this.key = webcrypto.subtle.importKey('raw', encoder.encode(secret), HS256_KEY, false, ['verify']);
    // Reported when used; a failed import must not be an unhandled rejection before then.
    this.key.catch(() => undefined);
  }

  /** How many verified tokens are remembered now. */
  get size(): number {
    return this.verified.size;
  }

  async verify(token: string): Promise<Actor> {
    const known = this.verified.get(token);
    if (known !== undefined) {
      this.verified.delete(token);
      const now = Math.floor(this.now() / 1000);
      if ((known.exp === undefined || known.exp > now) && (known.nbf === undefined || known.nbf <= now)) {
        this.verified.set(token, known);
        return known.actor;
      }
    }
    const result = await verifyClaims(await this.key, token, this.issuer);
    if (token.length <= this.maxTokenLength && this.maxEntries > 0) {
      if (this.verified.size >= this.maxEntries) {
        const oldest = this.verified.keys().next();
        if (!oldest.done) this.verified.delete(oldest.value);
      }
      this.verified.set(token, result);
    }
    return result.actor;
  }
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
