// Fills D1 and R2 from a content tree through the same code the publish API uses, for tests inside workerd.
import type { Catalog } from "../../src/core/catalog.ts";
import { loadContent } from "../../src/core/content.ts";
import { measureImage } from "../../src/core/images.ts";
import type { SiteSettings } from "../../src/core/settings.ts";
import { createD1Catalog } from "../../src/sources/d1-catalog.ts";
import type { PartsShards } from "../../src/sources/d1-shards.ts";
import { writeImageFacts, writePublication, writeRegistry } from "../../src/sources/d1-writer.ts";
import { createMemorySource, type MemoryFiles } from "../../src/sources/memory.ts";
import { hashSource, preparePublication } from "../../src/sources/publication.ts";

const text = (value: string | Uint8Array) => (typeof value === "string" ? value : new TextDecoder().decode(value));

/**
 * Publishes every valid article, draft, image and the partners of `files` into `db`/`bucket`; returns the D1 catalog.
 * With `shardOf`, the i-th article's parts go to the shards it names (each a PartsShards over `db`).
 */
export async function fillD1(
  db: D1Database,
  bucket: R2Bucket,
  files: MemoryFiles,
  site: SiteSettings,
  shardOf?: (index: number) => PartsShards,
): Promise<Catalog> {
  const content = await loadContent(createMemorySource(files), site);
  for (const [path, value] of Object.entries(files)) {
    if (!path.startsWith("images/") || typeof value === "string") continue;
    const facts = measureImage(value);
    if (!facts) continue;
    await bucket.put(path, value);
    await writeImageFacts(db, path, { ...facts, sha256: hashSource(text(value)) });
  }
  const warningsOf = (file: string) => content.warnings.filter((w) => w.file === file);
  for (const [index, record] of [...content.records, ...content.drafts].entries()) {
    await writePublication(shardOf?.(index) ?? db, preparePublication(record, text(files[record.file]!), warningsOf(record.file)));
  }
  await writeRegistry(db, "partners.yaml", {
    sourceHash: "",
    text: files["partners.yaml"] ? text(files["partners.yaml"]) : "",
    parsed: JSON.stringify([...content.partners]),
    warnings: "[]",
  });
  return createD1Catalog(db, bucket, shardOf ? { shards: shardOf(0) } : {});
}
