import { join } from 'node:path';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import {
  DEFAULT_TOKEN_LIFETIME,
  eventStorePath,
  isConnectionString,
  mintToken,
  readModelPath,
  TOKEN_ISSUER,
} from '#platform';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

describe('mintToken', () => {
  it('signs HS256 with the claims the API reads, by default for twelve hours from the product issuer', async () => {
    const token = await mintToken(SECRET, {
      userId: 'vegard.vest',
      name: 'Vegard i Helse Vest',
      role: 'rhf',
      organisationId: 'helse-vest',
    });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), { issuer: TOKEN_ISSUER });
    expect(decodeProtectedHeader(token).alg).toBe('HS256');
    expect(payload).toMatchObject({
      sub: 'vegard.vest',
      name: 'Vegard i Helse Vest',
      role: 'rhf',
      org: 'helse-vest',
    });
    expect(DEFAULT_TOKEN_LIFETIME).toBe('12h');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(12 * 3600);
  });

  it('takes another issuer and lifetime', async () => {
    const token = await mintToken(
      SECRET,
      { userId: 'kari', name: 'Kari', role: 'coordinator', organisationId: 'hod' },
      { issuer: 'elsewhere', expiresIn: '30m' },
    );
    const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), { issuer: 'elsewhere' });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(30 * 60);
  });
});

describe('the store location', () => {
  it('defaults to ./data, with read models per store kind', () => {
    const data = join(process.cwd(), 'data');
    expect(eventStorePath({})).toBe(join(data, 'events.db'));
    expect(readModelPath({}, 'sqlite')).toBe(join(data, 'readmodels-sqlite.db'));
    expect(readModelPath({ OPPDRAGSFLYT_DATA_DIR: '/srv/of' }, 'kurrentdb')).toBe(
      '/srv/of/readmodels-kurrentdb.db',
    );
  });

  it('takes the explicit paths over the data folder', () => {
    const env = {
      OPPDRAGSFLYT_DATA_DIR: '/srv/of',
      OPPDRAGSFLYT_EVENT_STORE_PATH: '/var/events.db',
      OPPDRAGSFLYT_READ_MODEL_PATH: ':memory:',
    };
    expect(eventStorePath(env)).toBe('/var/events.db');
    expect(readModelPath(env, 'sqlite')).toBe(':memory:');
  });

  it('tells a KurrentDB connection string from a file path', () => {
    expect(isConnectionString('kurrentdb://127.0.0.1:2113?tls=false')).toBe(true);
    expect(isConnectionString('kurrentdb+discover://cluster.example:2113')).toBe(true);
    expect(isConnectionString('./data/events.db')).toBe(false);
  });
});
