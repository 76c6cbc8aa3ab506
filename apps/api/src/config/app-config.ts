import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CALENDAR_FEED_STREAM_PREFIX, OPPDRAG_STREAM_PREFIX } from '#domain';
import {
  DEFAULT_KURRENTDB_DEADLINE_MS,
  DEFAULT_STORE_KIND,
  eventStorePath,
  isConnectionString,
  readModelPath,
  TOKEN_ISSUER,
} from '#platform';
import type { OidcSettings, TokenTimeRules } from '../auth/tokens.js';

export type RunMode = 'development' | 'production' | 'test';

/** The one typed configuration object, validated once at boot. Nothing else reads the environment. */
export interface AppConfig {
  readonly mode: RunMode;
  readonly host: string;
  readonly port: number;
  readonly store:
    | { readonly kind: 'sqlite'; readonly path: string }
    | {
        readonly kind: 'kurrentdb';
        readonly connectionString: string;
        /** The longest the store waits for the server to answer a call (see the adapter's `deadlineMs`). */
        readonly deadlineMs: number;
        /** The streams the store serves: the product's (`oppdrag-`), not the database's others. */
        readonly streamPrefixes: readonly string[];
      };
  /** This instance's own read-model file (`:memory:` keeps them in memory only). */
  readonly readModelPath: string;
  /**
   * HS256 tokens signed with a shared secret (development, or where no OpenID Connect issuer is at hand):
   * accepted when `enabled`, which is whenever a secret is set, or generated outside production.
   */
  readonly jwt: {
    readonly secret: string;
    readonly generated: boolean;
    readonly issuer: string;
    readonly enabled: boolean;
  };
  /**
   * The secret the short-lived download links are signed with: `DOWNLOAD_LINK_SECRET`, else `JWT_SECRET`
   * (a key of its own is derived from it), else one generated per start outside production. Every instance
   * behind one address must share it, or a link made by one is refused by the next.
   */
  readonly downloadLinkSecret: string;
  /** Tokens of an OpenID Connect issuer, checked with its published keys, or null. */
  readonly oidc: OidcSettings | null;
  /** The rules on every token's times: it must expire, live at most so long, not be issued in the future. */
  readonly tokenTimes: TokenTimeRules;
  /** Whether the schema may be asked for by introspection (by default not in production). */
  readonly introspection: boolean;
  /** A WebSocket that sends no `connection_init` within this many milliseconds is closed. */
  readonly connectionInitTimeoutMs: number;
  readonly demoData: boolean;
  readonly deadlineWatchIntervalMs: number;
  /**
   * After a read-model failure the projector tries again with delays doubling up to `maxDelayMs`; failing
   * without a break for longer than `giveUpAfterMs` makes `/health/live` fail, so that the instance is
   * restarted.
   */
  readonly readModelRetry: { readonly maxDelayMs: number; readonly giveUpAfterMs: number };
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  readonly limits: {
    readonly bodyBytes: number;
    readonly queryDepth: number;
    readonly queryComplexity: number;
    /** The most tokens one query may have. */
    readonly queryTokens: number;
    /** The most bytes the caches of parsed and compiled queries may hold (see query-cache.ts). */
    readonly queryCacheBytes: number;
    readonly readYourWritesMs: number;
    /** The most events one audit-trail export (JSONL, CSV) holds; a larger selection is refused. */
    readonly auditExportRows: number;
  };
  /** The dashboard's static files, served at `/`. */
  readonly publicDir: string;
  /** Where to write the generated schema at boot (development), or null. */
  readonly schemaFile: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`configuration is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

/** Reads and validates the configuration from an environment (defaults to the process's). */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  overrides: Partial<AppConfig> = {},
): AppConfig {
  const problems: string[] = [];
  const modeText = env.NODE_ENV ?? 'development';
  const mode: RunMode = modeText === 'production' || modeText === 'test' ? modeText : 'development';
  if (!['development', 'production', 'test'].includes(modeText))
    problems.push(`NODE_ENV: must be development, production or test (got "${modeText}")`);

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}: must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };

  const storeKind = env.OPPDRAGSFLYT_STORE ?? DEFAULT_STORE_KIND;
  let store: AppConfig['store'] = { kind: 'sqlite', path: eventStorePath(env) };
  if (storeKind === 'kurrentdb') {
    const connectionString = env.KURRENTDB_CONNECTION_STRING ?? '';
    if (!isConnectionString(connectionString)) {
      problems.push(
        'KURRENTDB_CONNECTION_STRING: must be a kurrentdb:// connection string when OPPDRAGSFLYT_STORE=kurrentdb',
      );
    }
    store = {
      kind: 'kurrentdb',
      connectionString,
      deadlineMs: int('KURRENTDB_DEADLINE_MS', DEFAULT_KURRENTDB_DEADLINE_MS, 100, 600_000),
      streamPrefixes: [OPPDRAG_STREAM_PREFIX, CALENDAR_FEED_STREAM_PREFIX],
    };
  } else if (storeKind !== 'sqlite') {
    problems.push(`OPPDRAGSFLYT_STORE: must be sqlite or kurrentdb (got "${storeKind}")`);
  }

  const oidc = oidcSettings(env, problems, int);
  let secret = env.JWT_SECRET ?? '';
  let generated = false;
  if (secret === '') {
    if (mode === 'production' && oidc === null)
      problems.push(
        'JWT_SECRET: is required in production unless OIDC_ISSUER is set (at least 32 characters)',
      );
    secret = randomBytes(32).toString('base64url');
    generated = true;
  } else if (secret.length < 32) {
    problems.push('JWT_SECRET: must be at least 32 characters');
  }
  let downloadLinkSecret = env.DOWNLOAD_LINK_SECRET ?? '';
  if (downloadLinkSecret === '') {
    if (!generated) downloadLinkSecret = secret;
    else if (mode === 'production')
      problems.push(
        'DOWNLOAD_LINK_SECRET: is required in production when JWT_SECRET is not set (at least 32 characters; the same on every instance, so that a download link made by one is accepted by all)',
      );
    else downloadLinkSecret = randomBytes(32).toString('base64url');
  } else if (downloadLinkSecret.length < 32) {
    problems.push('DOWNLOAD_LINK_SECRET: must be at least 32 characters');
  }
  const introspection = env.GRAPHQL_INTROSPECTION ?? (mode === 'production' ? 'false' : 'true');
  if (introspection !== 'true' && introspection !== 'false')
    problems.push(`GRAPHQL_INTROSPECTION: must be true or false (got "${introspection}")`);

  const logLevel = (env.LOG_LEVEL ?? (mode === 'test' ? 'silent' : 'info')) as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}`);

  const config: AppConfig = {
    mode,
    host: env.HOST ?? (mode === 'production' ? '0.0.0.0' : '127.0.0.1'),
    port: int('PORT', 3000, 0, 65535),
    store,
    readModelPath: readModelPath(env, store.kind),
    jwt: { secret, generated, issuer: TOKEN_ISSUER, enabled: !(generated && mode === 'production') },
    downloadLinkSecret,
    oidc,
    tokenTimes: {
      maxLifetimeSeconds: int('TOKEN_MAX_LIFETIME_S', 12 * 3600, 60, 30 * 86_400),
      clockSkewSeconds: int('TOKEN_CLOCK_SKEW_S', 60, 0, 3600),
    },
    introspection: introspection === 'true',
    connectionInitTimeoutMs: int('WS_CONNECTION_INIT_TIMEOUT_MS', 10_000, 100, 600_000),
    demoData: (env.OPPDRAGSFLYT_DEMO ?? (mode === 'development' ? 'true' : 'false')) === 'true',
    deadlineWatchIntervalMs: int('DEADLINE_WATCH_INTERVAL_MS', 60_000, 100, 86_400_000),
    readModelRetry: {
      maxDelayMs: int('READ_MODEL_RETRY_MAX_MS', 30_000, 10, 600_000),
      giveUpAfterMs: int('READ_MODEL_GIVE_UP_MS', 300_000, 100, 86_400_000),
    },
    logLevel,
    limits: {
      bodyBytes: int('MAX_BODY_BYTES', 4 * 1024 * 1024, 1024, 64 * 1024 * 1024),
      queryDepth: int('MAX_QUERY_DEPTH', 8, 2, 50),
      queryComplexity: int('MAX_QUERY_COMPLEXITY', 5000, 10, 1_000_000),
      queryTokens: int('MAX_QUERY_TOKENS', 2000, 100, 1_000_000),
      queryCacheBytes: int('QUERY_CACHE_MIB', 128, 1, 65_536) * 1024 * 1024,
      auditExportRows: int('MAX_AUDIT_EXPORT_ROWS', 10_000, 1, 1_000_000),
      readYourWritesMs: int('READ_YOUR_WRITES_TIMEOUT_MS', 5000, 10, 60_000),
    },
    publicDir: env.OPPDRAGSFLYT_PUBLIC_DIR ?? join(process.cwd(), 'apps', 'api', 'public'),
    schemaFile: mode === 'development' ? (env.OPPDRAGSFLYT_SCHEMA_FILE ?? null) : null,
    ...overrides,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const OIDC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** The OpenID Connect issuer whose tokens are accepted, when `OIDC_ISSUER` is set. */
function oidcSettings(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
  int: (name: string, fallback: number, min: number, max: number) => number,
): OidcSettings | null {
  const issuer = env.OIDC_ISSUER ?? '';
  if (issuer === '') return null;
  const url = (name: string, value: string): void => {
    if (!/^https?:\/\/[^\s]+$/.test(value)) problems.push(`${name}: must be an http(s) URL (got "${value}")`);
  };
  url('OIDC_ISSUER', issuer);
  const audience = env.OIDC_AUDIENCE ?? '';
  if (audience === '')
    problems.push("OIDC_AUDIENCE: is required with OIDC_ISSUER (the API's client id or audience)");
  const jwksUri = env.OIDC_JWKS_URI ?? null;
  if (jwksUri !== null) url('OIDC_JWKS_URI', jwksUri);
  const algorithms = (env.OIDC_ALGORITHMS ?? 'RS256,ES256').split(',').map((a) => a.trim());
  const unknown = algorithms.filter((a) => !OIDC_ALGORITHMS.includes(a));
  if (unknown.length > 0 || algorithms.length === 0)
    problems.push(
      `OIDC_ALGORITHMS: each must be one of ${OIDC_ALGORITHMS.join(', ')} (got "${unknown.join(', ')}")`,
    );
  const claim = (name: string, fallback: string): string => {
    const value = env[name] ?? fallback;
    if (!/^[A-Za-z0-9_:./-]{1,200}$/.test(value))
      problems.push(`${name}: must be a claim name (got "${value}")`);
    return value;
  };
  return {
    issuer,
    audience,
    jwksUri,
    algorithms,
    claims: {
      name: claim('OIDC_NAME_CLAIM', 'name'),
      role: claim('OIDC_ROLE_CLAIM', 'role'),
      org: claim('OIDC_ORG_CLAIM', 'org'),
    },
    refetchCooldownMs: int('OIDC_JWKS_COOLDOWN_MS', 30_000, 0, 3_600_000),
    cacheMaxAgeMs: int('OIDC_JWKS_MAX_AGE_MS', 600_000, 1000, 86_400_000),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
