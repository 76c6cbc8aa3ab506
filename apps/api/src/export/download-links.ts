import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Actor } from '#domain';

/**
 * Short-lived signed download links. A browser cannot send a bearer header with a plain link, so the
 * dashboard asks the API (with its token) for a link that grants one file, and nothing else, for a few
 * minutes: the link names the file (format, year, RHFs), who asked for it and when it expires, and an
 * HMAC-SHA256 over all of that with a key derived from the server's secret. Changing any part of it, or
 * using it after it expires, is refused.
 */

export type ExportFormat = 'xlsx' | 'csv';

/** What a link grants: one file, for the user who asked for it, until it expires. */
export interface DownloadGrant {
  readonly format: ExportFormat;
  readonly year: number;
  readonly rhfs: readonly string[];
  readonly userId: string;
  readonly userName: string;
  /** Seconds since the epoch. */
  readonly expires: number;
}

/** A link refused: `expired` once its time is up, `invalid` when it was changed or is not a link at all. */
export class DownloadLinkError extends Error {
  constructor(
    readonly reason: 'expired' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'DownloadLinkError';
  }
}

/** How long a link is valid. */
export const DOWNLOAD_LINK_SECONDS = 5 * 60;

const FORMATS: readonly ExportFormat[] = ['xlsx', 'csv'];

export class DownloadLinks {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly nowMs: () => number,
    private readonly seconds = DOWNLOAD_LINK_SECONDS,
  ) {
    // Its own key: a link's signature can never pass for a token's, nor the other way round.
    this.key = createHmac('sha256', secret).update('oppdragsflyt download links v1').digest();
  }

  /** A link's path and query for one file, valid for a few minutes from now. */
  create(
    file: { format: ExportFormat; year: number; rhfs: readonly string[] },
    user: Pick<Actor, 'userId' | 'name'>,
  ): { path: string; expiresAt: string } {
    const expires = Math.floor(this.nowMs() / 1000) + this.seconds;
    const payload = Buffer.from(
      JSON.stringify({
        f: file.format,
        y: file.year,
        r: file.rhfs,
        u: user.userId,
        n: user.name,
        e: expires,
      }),
      'utf8',
    ).toString('base64url');
    const link = `${payload}.${this.sign(payload)}`;
    return {
      path: `/export/annual-report.${file.format}?link=${link}`,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /** The grant of a link, for a file of `format`; throws DownloadLinkError when it is refused. */
  verify(link: unknown, format: ExportFormat): DownloadGrant {
    if (typeof link !== 'string' || link.length > 2000 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(link))
      throw new DownloadLinkError('invalid', 'link: is not a download link this server made');
    const [payload, signature] = link.split('.') as [string, string];
    const expected = Buffer.from(this.sign(payload), 'base64url');
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new DownloadLinkError(
        'invalid',
        'link: its signature does not match (the link was changed, or made by another server); create a new one',
      );
    const grant = this.decode(payload);
    if (grant.format !== format)
      throw new DownloadLinkError('invalid', `link: grants the ${grant.format} file, not the ${format} file`);
    if (Math.floor(this.nowMs() / 1000) >= grant.expires)
      throw new DownloadLinkError(
        'expired',
        `link: expired at ${new Date(grant.expires * 1000).toISOString()} (links last ${Math.round(this.seconds / 60)} minutes); create a new one`,
      );
    return grant;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  private decode(payload: string): DownloadGrant {
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new DownloadLinkError('invalid', 'link: is not a download link this server made');
    }
    const { f, y, r, u, n, e } = data;
    if (
      !FORMATS.includes(f as ExportFormat) ||
      typeof y !== 'number' ||
      !Array.isArray(r) ||
      !r.every((x) => typeof x === 'string') ||
      typeof u !== 'string' ||
      typeof n !== 'string' ||
      typeof e !== 'number'
    )
      throw new DownloadLinkError('invalid', 'link: is not a download link this server made');
    return { format: f as ExportFormat, year: y, rhfs: r, userId: u, userName: n, expires: e };
  }
}
