// How D1's failures read: every query of the store goes through `query`, so a failing database is a StorageError (503
// with Retry-After, like a failing read), except a value over D1's own limits, which is the content's fault.
import { callStore } from "../../core/errors.ts";

/** Runs one call to D1 (a query or a batch); a failure becomes a StorageError naming what was being done. */
export function query<T>(operation: string, run: () => Promise<T>): Promise<T> {
  return callStore("d1", operation, run);
}

/** Runs one call to R2. */
export function object<T>(operation: string, run: () => Promise<T>): Promise<T> {
  return callStore("r2", operation, run);
}

/**
 * Whether a failed write failed on D1's size limits (SQLITE_TOOBIG: a string, BLOB or row over 2,000,000 bytes, or a
 * statement over 100,000 bytes). D1 reports them only in the error's text, so the text is all there is to read; the
 * store checks sizes before writing, and this only catches what that check did not foresee.
 */
export function isTooBig(error: unknown): boolean {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return /SQLITE_TOOBIG|too big|too long/i.test(cause instanceof Error ? cause.message : String(cause));
}
