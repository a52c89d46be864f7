// Fills D1 and R2 from a content tree through the publish use case over the D1 store, for tests inside workerd.
import type { Catalog } from "../../src/core/catalog.ts";
import type { SiteSettings } from "../../src/core/settings.ts";
import type { MemoryFiles } from "../../src/sources/memory.ts";
import { createD1Catalog } from "../../src/store/d1/catalog.ts";
import type { PartsShards } from "../../src/store/d1/parts.ts";
import { createD1Store } from "../../src/store/d1/store.ts";
import { FILLED_AT, publisherOver, publishTree } from "../support/publish-tree.ts";

/**
 * Publishes every image, registry, article and draft of `files` into `db`/`bucket`; returns the D1 catalog. With
 * `shardOf`, the i-th article's parts go to the shards it names (each a PartsShards over `db`).
 */
export async function fillD1(
  db: D1Database,
  bucket: R2Bucket,
  files: MemoryFiles,
  site: SiteSettings,
  shardOf?: (index: number) => PartsShards,
): Promise<Catalog> {
  const publisher = publisherOver(createD1Store(db, bucket), site);
  await publishTree(publisher, files, FILLED_AT, shardOf && ((index) => publisherOver(createD1Store(db, bucket, shardOf(index)), site)));
  return createD1Catalog(db, bucket, shardOf ? { shards: shardOf(0) } : {});
}
