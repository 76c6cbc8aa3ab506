import { SignJWT } from 'jose';
import { AuthError, mintToken, TokenVerifier } from '../src/auth/tokens.js';

const SECRET = 'token-verifier-secret-that-is-long-enough';
const KARI = { userId: 'kari', name: 'Kari', role: 'coordinator', organisationId: 'hod' } as const;

/** A token with exactly the given time claims (seconds since the epoch). */
function timed(claims: { exp?: number; nbf?: number }): Promise<string> {
  const jwt = new SignJWT({ name: KARI.name, role: KARI.role, org: KARI.organisationId, ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(KARI.userId)
    .setIssuer('oppdragsflyt')
    .setIssuedAt();
  return jwt.sign(new TextEncoder().encode(SECRET));
}

describe('the token verifier remembers verified tokens, and only while they are valid', () => {
  it('verifies a token and answers the same actor from memory the next time', async () => {
    const verifier = new TokenVerifier(SECRET);
    const token = await mintToken(SECRET, KARI);
    expect(await verifier.verify(token)).toEqual(KARI);
    expect(verifier.size).toBe(1);
    expect(await verifier.verify(token)).toEqual(KARI);
    expect(verifier.size).toBe(1);
  });

  it('never remembers a refused token, and refuses it every time', async () => {
    const verifier = new TokenVerifier(SECRET);
    const forged = await mintToken('another-secret-that-is-long-enough-too', KARI);
    for (let i = 0; i < 2; i += 1) {
      await expect(verifier.verify(forged)).rejects.toThrow(AuthError);
      await expect(verifier.verify(forged)).rejects.toThrow(/the bearer token is not valid/);
    }
    const wrongIssuer = await mintToken(SECRET, KARI, { issuer: 'somebody-else' });
    await expect(verifier.verify(wrongIssuer)).rejects.toThrow(/"iss"/);
    expect(verifier.size).toBe(0);
  });

  it('an expired token is refused even when it was verified before', async () => {
    const verifier = new TokenVerifier(SECRET);
    const token = await timed({ exp: Math.floor(Date.now() / 1000) + 1 });
    expect(await verifier.verify(token)).toEqual(KARI);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expect(verifier.verify(token)).rejects.toThrow(/"exp" claim timestamp check failed/);
    expect(verifier.size).toBe(0);
  });

  it('refuses and does not remember a token that is not valid yet (nbf)', async () => {
    const verifier = new TokenVerifier(SECRET);
    const future = await timed({ nbf: Math.floor(Date.now() / 1000) + 600 });
    await expect(verifier.verify(future)).rejects.toThrow(/"nbf" claim timestamp check failed/);
    expect(verifier.size).toBe(0);
  });

  it('keeps at most maxEntries tokens, forgetting the least recently used first', async () => {
    const verifier = new TokenVerifier(SECRET, { maxEntries: 2 });
    const tokens = await Promise.all(['a', 'b', 'c'].map((userId) => mintToken(SECRET, { ...KARI, userId })));
    const [a, b, c] = tokens as [string, string, string];
    await verifier.verify(a);
    await verifier.verify(b);
    await verifier.verify(a); // a is now the most recently used
    await verifier.verify(c); // b goes
    expect(verifier.size).toBe(2);
    expect((await verifier.verify(a)).userId).toBe('a');
    expect((await verifier.verify(b)).userId).toBe('b');
    expect((await verifier.verify(c)).userId).toBe('c');
    expect(verifier.size).toBe(2);
  });

  it('does not remember tokens longer than maxTokenLength', async () => {
    const verifier = new TokenVerifier(SECRET, { maxTokenLength: 10 });
    expect(await verifier.verify(await mintToken(SECRET, KARI))).toEqual(KARI);
    expect(verifier.size).toBe(0);
  });

  it('hands out an actor that cannot be changed by one request for the next', async () => {
    const verifier = new TokenVerifier(SECRET);
    const token = await mintToken(SECRET, KARI);
    const actor = await verifier.verify(token);
    expect(Object.isFrozen(actor)).toBe(true);
  });
});

describe('every token must expire, live at most the configured lifetime, and not be issued in the future', () => {
  let now = 0;
  beforeEach(() => {
    now = Math.floor(Date.now() / 1000);
  });
  /** A token with exactly these time claims (no iat unless given). */
  const withTimes = (claims: { exp?: number; iat?: number }): Promise<string> => {
    const jwt = new SignJWT({ name: KARI.name, role: KARI.role, org: KARI.organisationId, ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(KARI.userId)
      .setIssuer('oppdragsflyt');
    return jwt.sign(new TextEncoder().encode(SECRET));
  };

  it('refuses a validly signed token without exp, naming the rule', async () => {
    const verifier = new TokenVerifier(SECRET);
    await expect(verifier.verify(await withTimes({ iat: now }))).rejects.toThrow(
      'the bearer token is not valid: rule "a token must expire": the token has no exp claim',
    );
    expect(verifier.size).toBe(0);
  });

  it('refuses a token that lives longer than 12 h by default, and accepts one of exactly 12 h', async () => {
    const verifier = new TokenVerifier(SECRET);
    await expect(verifier.verify(await withTimes({ iat: now, exp: now + 12 * 3600 + 60 }))).rejects.toThrow(
      'rule "a token lives at most 12 h": this one lives 721 min',
    );
    // Without iat the lifetime counts from now.
    await expect(verifier.verify(await withTimes({ exp: now + 30 * 86_400 }))).rejects.toThrow(
      /rule "a token lives at most 12 h"/,
    );
    expect(await verifier.verify(await withTimes({ iat: now, exp: now + 12 * 3600 }))).toEqual(KARI);
    expect(await verifier.verify(await mintToken(SECRET, KARI))).toEqual(KARI);
  });

  it('takes the longest lifetime from its configuration', async () => {
    const verifier = new TokenVerifier(SECRET, { times: { maxLifetimeSeconds: 3600, clockSkewSeconds: 60 } });
    await expect(verifier.verify(await mintToken(SECRET, KARI, { expiresIn: '2h' }))).rejects.toThrow(
      'rule "a token lives at most 1 h": this one lives 2 h',
    );
    expect(await verifier.verify(await mintToken(SECRET, KARI, { expiresIn: '1h' }))).toEqual(KARI);
  });

  it('refuses an iat more than the allowed skew (60 s) ahead of the server clock, accepts one within it', async () => {
    const verifier = new TokenVerifier(SECRET);
    await expect(verifier.verify(await withTimes({ iat: now + 600, exp: now + 3600 }))).rejects.toThrow(
      /rule "a token is not issued in the future": its iat is (59[89]|600) s ahead of the server's clock \(at most 60 s allowed\)/,
    );
    expect(await verifier.verify(await withTimes({ iat: now + 30, exp: now + 3600 }))).toEqual(KARI);
  });
});
