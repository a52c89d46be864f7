// Secrets presented in requests (PREVIEW_TOKEN, PUBLISH_TOKEN): read from `Authorization: Bearer`, compared in constant time.
import type { Context } from "hono";

/**
 * Whether two byte sequences are equal, reading every byte of the longer one whatever they hold: the time taken does
 * not tell how much of a guess matched (only, at most, how long it was).
 */
export function sameBytes(x: ArrayLike<number>, y: ArrayLike<number>): boolean {
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** Compares without stopping at the first difference, so response times do not reveal how much of a guess matched. */
export function sameSecret(a: string, b: string): boolean {
  return sameBytes(new TextEncoder().encode(a), new TextEncoder().encode(b));
}

/** The token of an `Authorization: Bearer …` header; undefined when there is no such header (or another scheme). */
export function readBearer(c: Context): string | undefined {
  const auth = c.req.header("Authorization");
  return auth ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(auth)?.[1] : undefined;
}
