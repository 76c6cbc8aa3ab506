import { createHash } from 'node:crypto';

const NAMESPACE = 'oppdragsflyt:event:';

/**
 * The id of the `index`-th event a command yields: a name-based (version 5 style) UUID of the command
 * id, so that a retried command produces the same event ids and the store writes nothing twice.
 */
export function eventIdFor(commandId: string, index: number): string {
  return uuidFromName(`${NAMESPACE}${commandId}:${index}`);
}

/** A deterministic UUID (version 5 layout, SHA-1) for any name. */
export function uuidFromName(name: string): string {
  const hash = createHash('sha1').update(name).digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Command ids are UUIDs chosen by the caller (a retry reuses its id) or made at the edge. */
export const isUuid = (text: unknown): text is string => typeof text === 'string' && UUID.test(text);
