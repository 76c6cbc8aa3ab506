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
 *
 * The digested text is exactly what `JSON.stringify` gives with a replacer that rebuilds every object with
 * its keys sorted (how it was first defined; stored digests and import ids depend on it), written in one
 * pass without building the sorted copies.
 */
export function commandDigest(command: { readonly type: string; readonly data: object }): string {
  const members: string[] = [];
  const data = sortedJson(command.data, 'data');
  if (data !== undefined) members.push(`"data":${data}`);
  const type = sortedJson(command.type, 'type');
  if (type !== undefined) members.push(`"type":${type}`);
  return hash('sha256', `{${members.join(',')}}`, 'base64url');
}

/** The largest array index plus one: keys below it are integer keys, which objects order first. */
const ARRAY_INDEX_LIMIT = 2 ** 32 - 1;
const INTEGER_KEY = /^(?:0|[1-9][0-9]*)$/;
const isIntegerKey = (key: string): boolean => {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57 && INTEGER_KEY.test(key) && Number(key) < ARRAY_INDEX_LIMIT;
};

/** Quoted keys by key: commands use a few dozen names, quoted once each (at most this many kept). */
const QUOTED_KEYS_KEPT = 1000;
const quotedKeys = new Map<string, string>();
const quotedKey = (key: string): string => {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEYS_KEPT) quotedKeys.set(key, quoted);
  }
  return quoted;
};

/**
 * `JSON.stringify(value)` with every object's keys sorted, as a replacer returning
 * `Object.fromEntries(sorted entries)` gives it: integer keys first in numeric order (the order of any
 * object's own keys), then the others sorted by code unit. Undefined when JSON has no text for the value.
 */
function sortedJson(value: unknown, key: string): string | undefined {
  let current = value;
  if (current !== null && typeof current === 'object') {
    const toJSON = (current as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') current = (toJSON as (key: string) => unknown).call(current, key);
  }
  switch (typeof current) {
    case 'string':
    case 'number':
    case 'bigint':
      return JSON.stringify(current);
    case 'boolean':
      return current ? 'true' : 'false';
    case 'object':
      break;
    default:
      return undefined;
  }
  if (current === null) return 'null';
  if (Array.isArray(current)) {
    const items = current as readonly unknown[];
    let text = '[';
    for (let i = 0; i < items.length; i++) {
      if (i > 0) text += ',';
      text += sortedJson(items[i], String(i)) ?? 'null';
    }
    return `${text}]`;
  }
  const record = current as Record<string, unknown>;
  // Own keys come integer keys first, in numeric order, then the others in the order they were made:
  // the integer keys stay as they are, the others are sorted by code unit (sort's default order), in
  // place (objects have a few keys, mostly in order already: no copies, no comparator calls).
  const keys = Object.keys(record);
  let integers = 0;
  while (integers < keys.length && isIntegerKey(keys[integers] as string)) integers++;
  for (let i = integers + 1; i < keys.length; i++) {
    const name = keys[i] as string;
    let j = i - 1;
    while (j >= integers && (keys[j] as string) > name) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = name;
  }
  let text = '{';
  let first = true;
  for (const name of keys) {
    const member = sortedJson(record[name], name);
    if (member === undefined) continue;
    if (first) first = false;
    else text += ',';
    text += quotedKey(name) + ':' + member;
  }
  return `${text}}`;
}
