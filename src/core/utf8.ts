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
  const buffer = new Uint8Array(units * 3);
  let at = 0;
  for (const part of parts) at += encoder.encodeInto(part, buffer.subarray(at)).written;
  // A copy of exactly the bytes written: the buffer's unused tail is not kept alive by a cached body.
  return buffer.slice(0, at);
}
