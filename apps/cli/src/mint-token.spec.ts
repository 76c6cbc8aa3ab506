import { jwtVerify } from 'jose';
import { mintTokenCommand } from './commands.js';
import { UsageError } from './store-options.js';

const SECRET = 'mint-token-secret-that-is-long-enough-for-hs256';

async function mint(...args: string[]): Promise<string> {
  const lines: string[] = [];
  await mintTokenCommand(['--secret', SECRET, ...args], (line) => lines.push(line), {});
  return lines.join('\n');
}

/** The claims of a token the API's rules accept: signed with the secret, issued now, expiring within 12 h. */
async function claimsOf(token: string) {
  const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), {
    algorithms: ['HS256'],
    issuer: 'oppdragsflyt',
  });
  const now = Math.floor(Date.now() / 1000);
  expect(typeof payload.exp).toBe('number');
  expect(Math.abs((payload.iat as number) - now)).toBeLessThanOrEqual(5);
  expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(12 * 3600);
  return payload;
}

describe('mint-token', () => {
  it('mints tokens the API accepts under its token rules (expires, at most 12 h)', async () => {
    expect(await claimsOf(await mint('--role', 'rhf', '--org', 'helse-vest'))).toMatchObject({
      role: 'rhf',
      org: 'helse-vest',
    });
    const short = await claimsOf(await mint('--role', 'auditor', '--expires', '30m'));
    expect((short.exp as number) - (short.iat as number)).toBe(1800);
  });

  it('refuses a lifetime the API would refuse, naming the limit', async () => {
    await expect(mint('--role', 'auditor', '--expires', '7d')).rejects.toThrow(UsageError);
    await expect(mint('--role', 'auditor', '--expires', '13h')).rejects.toThrow(
      '--expires must be from 1s to 43200s (TOKEN_MAX_LIFETIME_S): the API refuses longer-lived tokens',
    );
  });
});
