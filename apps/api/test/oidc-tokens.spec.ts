import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  UnsecuredJWT,
  type CryptoKey,
  type JWK,
} from 'jose';
import {
  AuthError,
  DEFAULT_TOKEN_TIME_RULES,
  SigningKeysUnavailableError,
  TokenVerifier,
  type OidcSettings,
} from '../src/auth/tokens.js';
import { startTestServer } from './support/harness.js';

/**
 * Tokens from an OpenID Connect issuer, checked against a JWKS server started here: the issuer's keys are
 * fetched (through its discovery document), cached, and fetched again for a key id they do not have.
 */
interface Issuer {
  readonly url: string;
  /** The keys the JWKS endpoint publishes now. */
  keys: JWK[];
  jwksFetches: number;
  /** While true, the JWKS endpoint answers 500. */
  failing: boolean;
  close(): Promise<void>;
}

async function startIssuer(): Promise<Issuer> {
  const issuer: Issuer = {
    url: '',
    keys: [],
    jwksFetches: 0,
    failing: false,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    if (request.url === '/.well-known/openid-configuration') {
      response.end(JSON.stringify({ issuer: issuer.url, jwks_uri: `${issuer.url}/jwks` }));
    } else if (request.url === '/jwks' && issuer.failing) {
      response.statusCode = 500;
      response.end('{}');
    } else if (request.url === '/jwks') {
      issuer.jwksFetches += 1;
      response.end(JSON.stringify({ keys: issuer.keys }));
    } else {
      response.statusCode = 404;
      response.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (issuer as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return issuer;
}

interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
  readonly publicPem: string;
}

async function signingKey(kid: string, alg: 'RS256' | 'ES256'): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, jwk, publicPem: await exportSPKI(publicKey) };
}

const AUDIENCE = 'oppdragsflyt-api';
/** This issuer carries roles as a list and the organisation in a namespaced claim. */
const CLAIMS = { name: 'name', role: 'roles', org: 'https://oppdragsflyt.no/org' };
const KARI_CLAIMS = {
  name: 'Kari',
  roles: ['offline_access', 'coordinator'],
  'https://oppdragsflyt.no/org': 'hod',
};

function sign(
  key: SigningKey,
  issuer: string,
  options: { audience?: string; expiresIn?: string; claims?: Record<string, unknown> } = {},
): Promise<string> {
  return new SignJWT(options.claims ?? KARI_CLAIMS)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setSubject('kari@hod')
    .setIssuer(issuer)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(key.privateKey);
}

describe('tokens from an OpenID Connect issuer (RS256/ES256 via its JWKS)', () => {
  let issuer: Issuer;
  let rsa: SigningKey;
  let ec: SigningKey;
  let settings: OidcSettings;
  beforeAll(async () => {
    issuer = await startIssuer();
    rsa = await signingKey('rsa-1', 'RS256');
    ec = await signingKey('ec-1', 'ES256');
    issuer.keys = [rsa.jwk, ec.jwk];
    settings = {
      issuer: issuer.url,
      audience: AUDIENCE,
      jwksUri: null, // found through the discovery document
      algorithms: ['RS256', 'ES256'],
      claims: CLAIMS,
      refetchCooldownMs: 0,
      cacheMaxAgeMs: 600_000,
    };
  });
  afterAll(() => issuer.close());

  const verifier = (secret: string | null = null) => new TokenVerifier(secret, { oidc: settings });
  const KARI = { userId: 'kari@hod', name: 'Kari', role: 'coordinator', organisationId: 'hod' };

  it('accepts RS256 and ES256 tokens signed with published keys, reading role and org from the configured claims', async () => {
    const tokens = verifier();
    issuer.jwksFetches = 0;
    expect(await tokens.verify(await sign(rsa, issuer.url))).toEqual(KARI);
    expect(await tokens.verify(await sign(ec, issuer.url))).toEqual(KARI);
    // The keys are fetched once and cached.
    expect(issuer.jwksFetches).toBe(1);
  });

  it('fetches the keys again for an unknown kid: a rotated key is accepted, the retired one no longer', async () => {
    const tokens = verifier();
    const before = await sign(rsa, issuer.url);
    expect(await tokens.verify(before)).toEqual(KARI);
    const rotated = await signingKey('rsa-2', 'RS256');
    const previous = issuer.keys;
    issuer.keys = [rotated.jwk];
    try {
      const fetches = issuer.jwksFetches;
      expect(await tokens.verify(await sign(rotated, issuer.url, { expiresIn: '2h' }))).toEqual(KARI);
      expect(issuer.jwksFetches).toBe(fetches + 1);
      await expect(tokens.verify(await sign(rsa, issuer.url, { expiresIn: '3h' }))).rejects.toThrow(
        /the bearer token is not valid: no applicable key found in the JSON Web Key Set/,
      );
    } finally {
      issuer.keys = previous;
    }
  });

  it.each([
    ['another issuer', () => sign(rsa, 'https://somebody-else.example'), /unexpected "iss" claim value/],
    [
      'another audience',
      () => sign(rsa, issuer.url, { audience: 'another-api' }),
      /unexpected "aud" claim value/,
    ],
    [
      'an expired token',
      () => sign(rsa, issuer.url, { expiresIn: '-10s' }),
      /"exp" claim timestamp check failed/,
    ],
    [
      'a token living past the cap',
      () => sign(ec, issuer.url, { expiresIn: '24h' }),
      /a token lives at most 12 h/,
    ],
    [
      'a role that is none of ours',
      () => sign(rsa, issuer.url, { claims: { ...KARI_CLAIMS, roles: ['admin'] } }),
      /the token's role \(claim roles\) must be one of coordinator, rhf, auditor/,
    ],
    [
      'a coordinator of another organisation',
      () =>
        sign(rsa, issuer.url, { claims: { ...KARI_CLAIMS, 'https://oppdragsflyt.no/org': 'helse-vest' } }),
      /coordinators are users of HOD/,
    ],
    [
      'alg none',
      () =>
        Promise.resolve(
          new UnsecuredJWT(KARI_CLAIMS)
            .setSubject('kari@hod')
            .setIssuer(issuer.url)
            .setAudience(AUDIENCE)
            .setIssuedAt()
            .setExpirationTime('1h')
            .encode(),
        ),
      /the bearer token is not valid/,
    ],
    [
      'HS256 signed with the public key as its secret',
      () =>
        new SignJWT(KARI_CLAIMS)
          .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
          .setSubject('kari@hod')
          .setIssuer(issuer.url)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(rsa.publicPem)),
      /"alg" \(Algorithm\) Header Parameter value not allowed/,
    ],
  ])('refuses %s', async (_name, token, why) => {
    await expect(verifier().verify(await token())).rejects.toThrow(why);
    // With HS256 also on (another secret), the confused token is refused all the same.
    await expect(verifier('a-development-secret-that-is-long-enough').verify(await token())).rejects.toThrow(
      AuthError,
    );
  });

  it('keeps HS256 for development beside the issuer', async () => {
    const secret = 'a-development-secret-that-is-long-enough';
    const hs = await new SignJWT({ name: 'Rita', role: 'auditor', org: 'riksrevisjonen' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('rita')
      .setIssuer('oppdragsflyt')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(secret));
    expect((await verifier(secret).verify(hs)).role).toBe('auditor');
    // Without the secret, HS256 is not accepted at all.
    await expect(verifier(null).verify(hs)).rejects.toThrow(/the bearer token is not valid/);
    expect(DEFAULT_TOKEN_TIME_RULES.maxLifetimeSeconds).toBe(12 * 3600);
  });

  it('an issuer whose keys cannot be fetched is SigningKeysUnavailableError (no fault of the token), tried again later', async () => {
    const down = await startIssuer();
    await down.close(); // nothing listens there now
    const tokens = new TokenVerifier(null, { oidc: { ...settings, issuer: down.url, jwksUri: null } });
    await expect(tokens.verify(await sign(rsa, down.url))).rejects.toThrow(SigningKeysUnavailableError);
    // A JWKS endpoint that answers an error is the same, and once it answers again the same verifier
    // fetches the keys and accepts the token.
    const tokens2 = new TokenVerifier(null, { oidc: settings });
    issuer.failing = true;
    try {
      await expect(tokens2.verify(await sign(rsa, issuer.url))).rejects.toThrow(
        /the issuer's signing keys could not be fetched \(Expected 200 OK/,
      );
    } finally {
      issuer.failing = false;
    }
    expect(await tokens2.verify(await sign(rsa, issuer.url))).toEqual(KARI);
  });

  it('the API accepts the issuer’s tokens when configured, and refuses HS256 tokens when no secret is set', async () => {
    const server = await startTestServer({
      config: {
        oidc: settings,
        jwt: { secret: 'unused', generated: true, issuer: 'oppdragsflyt', enabled: false },
      },
    });
    try {
      const accepted = await server.gql(
        await sign(ec, issuer.url),
        '{ me { userId role organisation { id } } }',
      );
      expect(accepted.body).toEqual({
        data: { me: { userId: 'kari@hod', role: 'COORDINATOR', organisation: { id: 'hod' } } },
      });
      const refused = await server.gql(await server.token('coordinator', 'hod'), '{ me { userId } }');
      expect(refused.status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('the API answers 503 SERVICE_UNAVAILABLE, not 401, while the issuer’s keys cannot be fetched', async () => {
    const down = await startIssuer();
    await down.close();
    const server = await startTestServer({
      config: {
        oidc: { ...settings, issuer: down.url },
        jwt: { secret: 'unused', generated: true, issuer: 'oppdragsflyt', enabled: false },
      },
    });
    try {
      const response = await server.gql(await sign(rsa, down.url), '{ me { userId } }');
      expect(response.status).toBe(503);
      expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
      expect(response.body.errors?.[0]?.message).toMatch(/the issuer's signing keys could not be fetched/);
      // The downloads that take a bearer token answer the same.
      const token = await sign(rsa, down.url);
      for (const path of ['/export/audit.csv', '/export/annual-report.xlsx?year=2024']) {
        const download = await fetch(`${server.url}${path}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect({ path, status: download.status }).toEqual({ path, status: 503 });
        expect(await download.text()).toMatch(/the issuer's signing keys could not be fetched/);
      }
    } finally {
      await server.close();
    }
  });
});
