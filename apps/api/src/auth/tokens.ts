import { webcrypto } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { HOD_ID, isRhfId, ROLES, type Actor, type Role } from '#domain';

/** The people the product knows: an actor decoded from a verified bearer token. */
export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

/**
 * The issuer's keys could not be had (its discovery document or JWKS did not answer, or answered nonsense):
 * no fault of the token, so the request may be sent again later.
 */
export class SigningKeysUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeysUnavailableError';
  }
}

/** jose's codes for keys that could not be fetched or read (its other codes name what is wrong with a token). */
const KEY_FETCH_FAILURES = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC']);

const encoder = new TextEncoder();
const USER_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'system');

/** The rules on a token's times, whoever signed it. */
export interface TokenTimeRules {
  /** The longest a token may live, from its `iat` (or from now, without one) to its `exp`. */
  readonly maxLifetimeSeconds: number;
  /** How far ahead of this server's clock a token's `iat` may be (the issuer's clock may run ahead). */
  readonly clockSkewSeconds: number;
}

export const DEFAULT_TOKEN_TIME_RULES: TokenTimeRules = {
  maxLifetimeSeconds: 12 * 3600,
  clockSkewSeconds: 60,
};

/** The claims that carry the user's name, role and organisation (`sub` is always the user id). */
export interface ClaimNames {
  readonly name: string;
  readonly role: string;
  readonly org: string;
}

export const DEFAULT_CLAIM_NAMES: ClaimNames = { name: 'name', role: 'role', org: 'org' };

/** Tokens from an OpenID Connect issuer, checked with the public keys it publishes (its JWKS). */
export interface OidcSettings {
  readonly issuer: string;
  readonly audience: string;
  /** The issuer's JWKS address; by default the `jwks_uri` of its discovery document. */
  readonly jwksUri: string | null;
  readonly algorithms: readonly string[];
  readonly claims: ClaimNames;
  /** After fetching the keys, how long an unknown `kid` waits before they are fetched again. */
  readonly refetchCooldownMs: number;
  /** How long fetched keys are used before they are fetched again. */
  readonly cacheMaxAgeMs: number;
}

/** Signs an HS256 token with the claims the API reads (shared with the CLI). */
export { mintToken } from '#platform';

/** "12 h", "90 min", "45 s": a lifetime as a person reads it. */
export function describeSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** A verified token: its actor, and the times it holds (seconds since the epoch). */
export interface VerifiedToken {
  readonly actor: Actor;
  readonly exp: number;
  readonly nbf: number | undefined;
}

/** Reads the actor from verified claims, by the product's rules on roles and organisations. */
function actorFromClaims(payload: JWTPayload, claims: ClaimNames): Actor {
  const { sub } = payload;
  const name = payload[claims.name] ?? sub;
  const org = payload[claims.org];
  let role = payload[claims.role];
  // An issuer may carry roles as a list (e.g. `roles: ["coordinator"]`): exactly one of ours must be in it.
  if (Array.isArray(role)) {
    const ours = role.filter((r): r is Role => typeof r === 'string' && USER_ROLES.includes(r as Role));
    role = ours.length === 1 ? ours[0] : undefined;
  }
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200)
    throw new AuthError('the token has no subject (sub)');
  if (typeof name !== 'string' || name.length > 200)
    throw new AuthError(`the token has no name claim (${claims.name})`);
  if (typeof role !== 'string' || !USER_ROLES.includes(role as Role)) {
    const which = claims.role === 'role' ? 'role' : `role (claim ${claims.role})`;
    throw new AuthError(`the token's ${which} must be one of ${USER_ROLES.join(', ')}`);
  }
  if (typeof org !== 'string') throw new AuthError(`the token has no org claim (${claims.org})`);
  if (role === 'rhf' && !isRhfId(org))
    throw new AuthError('an rhf token must name one of the four RHFs as org');
  if (role === 'coordinator' && org !== HOD_ID)
    throw new AuthError(`a coordinator token must name ${HOD_ID} as org: coordinators are users of HOD`);
  return Object.freeze({ userId: sub, name, role: role as Role, organisationId: org });
}

/** Checks the rules on a token's times that the JWT library does not: exp required, lifetime, iat. */
function checkTimes(payload: JWTPayload, rules: TokenTimeRules, now: number): number {
  const { exp, iat } = payload;
  if (typeof exp !== 'number') throw new AuthError('rule "a token must expire": the token has no exp claim');
  if (iat !== undefined && iat > now + rules.clockSkewSeconds) {
    throw new AuthError(
      `rule "a token is not issued in the future": its iat is ${Math.round(iat - now)} s ahead of the server's clock (at most ${rules.clockSkewSeconds} s allowed)`,
    );
  }
  const lifetime = exp - Math.min(iat ?? now, now);
  if (lifetime > rules.maxLifetimeSeconds) {
    throw new AuthError(
      `rule "a token lives at most ${describeSeconds(rules.maxLifetimeSeconds)}": this one lives ${describeSeconds(Math.round(lifetime))} (from iat, or now, to exp)`,
    );
  }
  return exp;
}

/** Checks a token's signature and standard claims one way (HS256, or an OIDC issuer's keys). */
type SignatureCheck = (token: string, now: Date) => Promise<JWTPayload>;

const HS256_KEY = { name: 'HMAC', hash: 'SHA-256' } as const;

function hs256Check(secret: string, issuer: string): SignatureCheck {
  const key = webcrypto.subtle.importKey('raw', encoder.encode(secret), HS256_KEY, false, ['verify']);
  // Reported when used; a failed import must not be an unhandled rejection before then.
  key.catch(() => undefined);
  return async (token, currentDate) =>
    (await jwtVerify(token, await key, { algorithms: ['HS256'], issuer, currentDate })).payload;
}

/** The issuer's published keys, fetched when first needed and again for a `kid` they do not have. */
function oidcCheck(settings: OidcSettings): SignatureCheck {
  let keys: Promise<JWTVerifyGetKey> | null = null;
  const options = { cooldownDuration: settings.refetchCooldownMs, cacheMaxAge: settings.cacheMaxAgeMs };
  const load = async (): Promise<JWTVerifyGetKey> => {
    const uri = settings.jwksUri ?? (await discoverJwksUri(settings.issuer));
    return createRemoteJWKSet(new URL(uri), options);
  };
  return async (token, currentDate) => {
    keys ??= load();
    keys.catch(() => (keys = null)); // discovery is tried again on the next token
    try {
      const getKey = await keys;
      const verified = await jwtVerify(token, getKey, {
        algorithms: [...settings.algorithms],
        issuer: settings.issuer,
        audience: settings.audience,
        currentDate,
      });
      return verified.payload;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // jose's own errors name what is wrong with the token; anything else (a failed fetch) is the issuer's.
      if (typeof code !== 'string' || KEY_FETCH_FAILURES.has(code))
        throw new SigningKeysUnavailableError(
          `the issuer's signing keys could not be fetched (${(error as Error).message}); try again shortly`,
        );
      throw error;
    }
  };
}

async function discoverJwksUri(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok)
    throw new AuthError(`the issuer's discovery document (${url}) answered ${response.status}`);
  const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: unknown };
  if (typeof jwksUri !== 'string')
    throw new AuthError(`the issuer's discovery document (${url}) has no jwks_uri`);
  return jwksUri;
}

export interface TokenVerifierOptions {
  /** The issuer of HS256 tokens. */
  readonly issuer?: string;
  /** Tokens from an OpenID Connect issuer, besides (or instead of) HS256 ones. */
  readonly oidc?: OidcSettings | null;
  readonly times?: TokenTimeRules;
  /** How many verified tokens to remember (least recently used go first). */
  readonly maxEntries?: number;
  /** Longer tokens are verified every time and never remembered. */
  readonly maxTokenLength?: number;
  /** Milliseconds since the epoch (tests). */
  readonly now?: () => number;
}

/**
 * Verifies bearer tokens: HS256 ones with a shared secret (development), and with `oidc` set, those of an
 * OpenID Connect issuer signed with one of its published keys. Every token must expire, live no longer
 * than the configured lifetime and not be issued in the future.
 *
 * It remembers the tokens that passed, so that a client sending the same token again costs a map lookup
 * instead of a signature check. A remembered token is accepted only while its `exp` (and `nbf`) still
 * hold, checked on every use exactly as the JWT library checks them; otherwise it is forgotten and
 * verified again, which gives the library's own error. The memory is bounded by `maxEntries` tokens of at
 * most `maxTokenLength` characters.
 */
export class TokenVerifier {
  private readonly maxTokenLength: number;
  private readonly now: () => number;
  private readonly times: TokenTimeRules;
  private readonly hs256: SignatureCheck | null;
  private readonly oidc: { check: SignatureCheck; claims: ClaimNames } | null;
  /** Tokens that passed, least recently used dropped first; null when nothing is remembered. */
  private readonly verified: LRUCache<string, VerifiedToken> | null;

  /** `secret` null accepts no HS256 token (then `oidc` must be set). */
  constructor(secret: string | null, options: TokenVerifierOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000;
    this.verified = maxEntries > 0 ? new LRUCache({ max: maxEntries }) : null;
    this.maxTokenLength = options.maxTokenLength ?? 2048;
    this.now = options.now ?? Date.now;
    this.times = options.times ?? DEFAULT_TOKEN_TIME_RULES;
    this.hs256 = secret === null ? null : hs256Check(secret, options.issuer ?? 'oppdragsflyt');
    this.oidc = options.oidc ? { check: oidcCheck(options.oidc), claims: options.oidc.claims } : null;
  }

  /** How many verified tokens are remembered now. */
  get size(): number {
    return this.verified?.size ?? 0;
  }

  async verify(token: string): Promise<Actor> {
    return (await this.verifyToken(token)).actor;
  }

  /** The actor and the times of a token (a WebSocket connection ends at its `exp`). */
  async verifyToken(token: string): Promise<VerifiedToken> {
    const known = this.verified?.get(token);
    if (known !== undefined) {
      const now = Math.floor(this.now() / 1000);
      if (known.exp > now && (known.nbf === undefined || known.nbf <= now)) return known;
      this.verified?.delete(token);
    }
    const result = await this.check(token);
    if (token.length <= this.maxTokenLength) this.verified?.set(token, result);
    return result;
  }

  private async check(token: string): Promise<VerifiedToken> {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new AuthError('the bearer token is not valid: it is not a JWT');
    }
    // The algorithm picks the key: a shared secret only for HS256, the issuer's public keys for the rest,
    // each check accepting only its own algorithms (so a public key is never used as an HMAC secret).
    const useSecret = alg === 'HS256' && this.hs256 !== null;
    const check = useSecret ? this.hs256 : (this.oidc?.check ?? this.hs256);
    const claims = useSecret || this.oidc === null ? DEFAULT_CLAIM_NAMES : this.oidc.claims;
    if (check === null)
      throw new AuthError('the bearer token is not valid: no way to verify it is configured');
    const nowMs = this.now();
    let payload: JWTPayload;
    let exp: number;
    try {
      payload = await check(token, new Date(nowMs));
      exp = checkTimes(payload, this.times, nowMs / 1000);
    } catch (error) {
      if (error instanceof SigningKeysUnavailableError) throw error;
      throw new AuthError(`the bearer token is not valid: ${(error as Error).message}`);
    }
    return {
      actor: actorFromClaims(payload, claims),
      exp,
      nbf: typeof payload.nbf === 'number' ? payload.nbf : undefined,
    };
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
