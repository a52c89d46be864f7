// UTF-8 bytes of a text written in pieces, without joining the pieces first.

const encoder = new TextEncoder();

/**
 * The UTF-8 bytes of `parts` written one after another: each piece is encoded straight into one buffer, so no
 * joined copy of the text is made, and a Latin-1 piece keeps V8's one-byte fast path even beside a piece that is not.
 *
 * Equal to encoding `parts.join("")` whenever no surrogate pair is split across two pieces; the pieces here are
 * whole strings (markup, stored items) whose lone surrogates `cleanText` has already removed, so none is.
 */
export function encodeParts(parts: readonly string[]): Uint8Array<ArrayBuffer> {
  let units = 0;
  for (const part of parts) units += part.length;
  // At most three bytes per UTF-16 code unit (a pair's two units make four).
  const buffer = workspace(units * 3);
  let at = 0;
  for (const part of parts) at += encoder.encodeInto(part, buffer.subarray(at)).written;
  // A copy of exactly the bytes written: the result shares nothing with the workspace, and no unused tail is kept
  // alive by a cached body.
  return buffer.slice(0, at);
}

/**
 * The largest workspace kept between calls: three bytes per unit of a 1.4 MB document, beyond every feed this
 * service serves by default (a 100-item feed is about 0.9 MB). A larger document gets a buffer of its own.
 */
export const WORKSPACE_MAX_BYTES = 4 * 1024 * 1024;

let kept = new Uint8Array(0);

/**
 * A buffer of at least `bytes` to encode into. Below WORKSPACE_MAX_BYTES it is one buffer kept and reused, so a
 * request does not allocate (and zero) three times its body's size only to copy a third of it out: encodeParts is
 * synchronous and an isolate runs one piece of JavaScript at a time, so no two calls can share it at once.
 */
function workspace(bytes: number): Uint8Array<ArrayBuffer> {
  if (bytes > WORKSPACE_MAX_BYTES) return new Uint8Array(bytes);
  if (kept.length < bytes) kept = new Uint8Array(Math.min(WORKSPACE_MAX_BYTES, Math.max(bytes, kept.length * 2)));
  return kept;
}
