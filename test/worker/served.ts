// What a catalog serves, for workerd tests that compare two stores or layouts byte for byte, and rows read from D1.

import type { SiteSettings } from "../../src/core/settings.ts";
import { createApp } from "../../src/http/app.ts";
import { createD1Catalog } from "../../src/store/d1/catalog.ts";
import type { PartsShards } from "../../src/store/d1/parts.ts";

/** Each path as `{status} {etag}\n{body}`, served by the app over the D1 catalog of `catalogDb` and `shards`. */
export async function servedPaths(
  catalogDb: D1Database,
  images: R2Bucket,
  shards: PartsShards,
  site: SiteSettings,
  now: Date,
  base: string,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const app = createApp({ catalog: createD1Catalog(catalogDb, images, { shards }), site, now: () => now, log: () => {} });
  const bodies = new Map<string, string>();
  for (const path of paths) {
    const res = await app.request(base + path);
    bodies.set(path, `${res.status} ${res.headers.get("etag")}\n${await res.text()}`);
  }
  return bodies;
}

/** The rows `sql` reads from `db`. */
export async function rows(db: D1Database, sql: string): Promise<Record<string, unknown>[]> {
  return (await db.prepare(sql).all<Record<string, unknown>>()).results;
}
