import { TokenVerifier } from '../../api/src/auth/tokens.js';
import { mintTokenCommand } from './commands.js';
import { UsageError } from './store-options.js';

const SECRET = 'mint-token-secret-that-is-long-enough-for-hs256';

async function mint(...args: string[]): Promise<string> {
  const lines: string[] = [];
  await mintTokenCommand(['--secret', SECRET, ...args], (line) => lines.push(line), {});
  return lines.join('\n');
}

describe('mint-token', () => {
  it('mints a token the API accepts under its token rules (expires, at most 12 h)', async () => {
    const verifier = new TokenVerifier(SECRET);
    const actor = await verifier.verify(await mint('--role', 'rhf', '--org', 'helse-vest'));
    expect(actor).toMatchObject({ role: 'rhf', organisationId: 'helse-vest' });
    expect(await verifier.verify(await mint('--role', 'auditor', '--expires', '30m'))).toMatchObject({
      role: 'auditor',
    });
  });

  it('refuses a lifetime the API would refuse, naming the limit', async () => {
    await expect(mint('--role', 'auditor', '--expires', '7d')).rejects.toThrow(UsageError);
    await expect(mint('--role', 'auditor', '--expires', '13h')).rejects.toThrow(
      '--expires must be from 1s to 43200s (TOKEN_MAX_LIFETIME_S): the API refuses longer-lived tokens',
    );
  });
});
