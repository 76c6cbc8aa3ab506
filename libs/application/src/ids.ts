import { hash } from 'node:crypto';

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
  // The one-shot hash as hex is several times cheaper than a Hash object and a Buffer; the version
  // (byte 6: 0x5_) and variant (byte 8: 0b10__) bits are then set on the hex digits.
  const hex = hash('sha1', name, 'hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Command ids are UUIDs chosen by the caller (a retry reuses its id) or made at the edge. */
export const isUuid = (text: unknown): text is string => typeof text === 'string' && UUID.test(text);

/**
 * A digest of a command's type and data, the same for the same command however its keys are ordered and
 * whether absent fields are left out or undefined: a retry under a command id is recognised as the same
 * command, and another command under a used id is not taken for it.
 */
export function commandDigest(command: { readonly type: string; readonly data: object }): string {
  const sorted = (_key: string, value: unknown): unknown =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value;
  return hash('sha256', JSON.stringify({ type: command.type, data: command.data }, sorted), 'base64url');
}
