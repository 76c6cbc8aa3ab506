/**
 * What text a command may carry. Titles, reasons, notes and the rest are shown in terminals, logs, CSV
 * exports and the dashboard: a NUL, an ANSI escape sequence or a bidirectional override there can hide or
 * reorder what a reader sees. Line breaks, tabs and form feeds are kept (descriptions come from letters).
 */

/** Tab, line feed, form feed and carriage return: the control characters text may hold. */
const ALLOWED_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d]);

/** Why a character is refused, or null when it is allowed. */
function refusal(code: number): string | null {
  if (code === 0x1b) return 'an escape character (ANSI escape sequences are not text)';
  if ((code < 0x20 && !ALLOWED_CONTROLS.has(code)) || (code >= 0x7f && code <= 0x9f))
    return 'a control character';
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069))
    return 'a bidirectional override or isolate';
  return null;
}

/**
 * The rule a text breaks, naming the first character it refuses (as U+XXXX, with its position), or null
 * when the text is allowed.
 */
export function unsafeTextProblem(text: string): string | null {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const why = refusal(code);
    if (why !== null) {
      const hex = code.toString(16).toUpperCase().padStart(4, '0');
      return `must not contain control characters, ANSI escapes or bidirectional overrides (U+202A–U+202E, U+2066–U+2069): found ${why}, U+${hex}, at position ${i + 1}`;
    }
  }
  return null;
}
