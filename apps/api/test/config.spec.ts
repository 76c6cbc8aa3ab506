import { ConfigError, loadConfig } from '../src/config/app-config.js';

describe('configuration is validated once, at boot', () => {
  it('refuses to start in production without a JWT secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: is required in production/);
  });

  it('generates a random secret per start in development, and says so', () => {
    const a = loadConfig({});
    const b = loadConfig({});
    expect(a.mode).toBe('development');
    expect(a.jwt.generated).toBe(true);
    expect(a.jwt.secret).not.toBe(b.jwt.secret);
    expect(a.jwt.secret.length).toBeGreaterThanOrEqual(32);
    expect(a.demoData).toBe(true);
  });

  it('names every bad variable and its rule', () => {
    let error: unknown;
    try {
      loadConfig({
        NODE_ENV: 'staging',
        PORT: 'eighty',
        JWT_SECRET: 'short',
        OPPDRAGSFLYT_STORE: 'kurrentdb',
        KURRENTDB_DEADLINE_MS: '0',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/NODE_ENV: must be development, production or test/);
    expect(problems).toMatch(/PORT: must be a whole number from 0 to 65535/);
    expect(problems).toMatch(/JWT_SECRET: must be at least 32 characters/);
    expect(problems).toMatch(/KURRENTDB_CONNECTION_STRING: must be a kurrentdb:\/\/ connection string/);
    expect(problems).toMatch(/KURRENTDB_DEADLINE_MS: must be a whole number from 100 to 600000/);
    expect(problems).toMatch(/LOG_LEVEL: must be one of/);
  });

  it('accepts a production configuration on KurrentDB', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      OPPDRAGSFLYT_STORE: 'kurrentdb',
      KURRENTDB_CONNECTION_STRING: 'kurrentdb://kurrentdb:2113?tls=false',
    });
    expect(config.store).toEqual({
      kind: 'kurrentdb',
      connectionString: 'kurrentdb://kurrentdb:2113?tls=false',
      deadlineMs: 10_000,
      streamPrefixes: ['oppdrag-', 'kalender-'],
    });
    expect(
      loadConfig({
        OPPDRAGSFLYT_STORE: 'kurrentdb',
        KURRENTDB_CONNECTION_STRING: 'kurrentdb://kurrentdb:2113?tls=false',
        KURRENTDB_DEADLINE_MS: '2500',
      }).store,
    ).toMatchObject({ deadlineMs: 2500 });
    expect(config.demoData).toBe(false);
    expect(config.host).toBe('0.0.0.0');
  });

  it('production may sign in through an OpenID Connect issuer instead of a shared secret', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      OIDC_ISSUER: 'https://login.example.no/realms/hod',
      OIDC_AUDIENCE: 'oppdragsflyt',
      OIDC_ROLE_CLAIM: 'roles',
      DOWNLOAD_LINK_SECRET: 'd'.repeat(40),
    });
    expect(config.downloadLinkSecret).toBe('d'.repeat(40));
    expect(config.jwt.enabled).toBe(false);
    expect(config.oidc).toMatchObject({
      issuer: 'https://login.example.no/realms/hod',
      audience: 'oppdragsflyt',
      jwksUri: null,
      algorithms: ['RS256', 'ES256'],
      claims: { name: 'name', role: 'roles', org: 'org' },
    });
    expect(config.tokenTimes).toEqual({ maxLifetimeSeconds: 43_200, clockSkewSeconds: 60 });
    expect(() => loadConfig({ OIDC_ISSUER: 'https://login.example.no', OIDC_ALGORITHMS: 'HS256' })).toThrow(
      /OIDC_AUDIENCE: is required with OIDC_ISSUER[\s\S]*OIDC_ALGORITHMS: each must be one of RS256/,
    );
  });

  it('signs download links with a secret every instance shares: its own, else JWT_SECRET; none generated in production', () => {
    const oidcOnly = {
      NODE_ENV: 'production',
      OIDC_ISSUER: 'https://login.example.no/realms/hod',
      OIDC_AUDIENCE: 'oppdragsflyt',
    };
    expect(() => loadConfig(oidcOnly)).toThrow(
      /DOWNLOAD_LINK_SECRET: is required in production when JWT_SECRET is not set/,
    );
    expect(() => loadConfig({ ...oidcOnly, DOWNLOAD_LINK_SECRET: 'short' })).toThrow(
      /DOWNLOAD_LINK_SECRET: must be at least 32 characters/,
    );
    const jwt = 'j'.repeat(40);
    expect(loadConfig({ ...oidcOnly, JWT_SECRET: jwt }).downloadLinkSecret).toBe(jwt);
    // Development without either: one generated per start, as the JWT secret is.
    const a = loadConfig({});
    expect(a.downloadLinkSecret.length).toBeGreaterThanOrEqual(32);
    expect(a.downloadLinkSecret).not.toBe(loadConfig({}).downloadLinkSecret);
  });
});
