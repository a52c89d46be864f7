// What one D1 database holds in one value: checked before writing, so a file over it is refused by name (422), never
// sent to fail the whole transaction (developers.cloudflare.com/d1/platform/limits).
import type { StoreLimits } from "../../core/publish/store.ts";

/** D1's largest string, BLOB or row: 2,000,000 bytes (SQLITE_TOOBIG above it). */
export const D1_MAX_ROW_BYTES = 2_000_000;

/** A part's text leaves room in its row for the row's other columns (slug, version, part: well under 4 KB). */
export const D1_LIMITS: StoreLimits = { valueBytes: D1_MAX_ROW_BYTES - 4096 };
