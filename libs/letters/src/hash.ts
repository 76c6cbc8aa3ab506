/**
 * FNV-1a, 32-bit, over the UTF-8 bytes of a string: a small, fast, well-known non-cryptographic hash that
 * needs no platform library. Used only to make ids deterministic, never for security.
 */
export function fnv1a32(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  const bytes = utf8Bytes(text);
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A 64-bit fingerprint as 16 hex digits: FNV-1a twice, with the standard and a second offset basis. */
export function fingerprint(text: string): string {
  const a = fnv1a32(text).toString(16).padStart(8, '0');
  const b = fnv1a32(text, 0x050c5d1f).toString(16).padStart(8, '0');
  return `${a}${b}`;
}

function utf8Bytes(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else {
      out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    }
  }
  return out;
}
