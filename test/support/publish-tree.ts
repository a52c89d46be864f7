// Filling a store through the publish use case, for tests on any store: a tree of files published as `npm run
// publish` sends them (images, then registries, then articles and drafts), every refusal a failure.
import type { Catalog } from "../../src/core/catalog.ts";
import { createPublisher } from "../../src/core/publish/publisher.ts";
import type { PublishStore } from "../../src/core/publish/store.ts";
import type { Publisher } from "../../src/core/publishing.ts";
import type { SiteSettings } from "../../src/core/settings.ts";
import { ITEM_WRITERS, OUTPUT_REVISION } from "../../src/formats/index.ts";
import type { MemoryFiles } from "../../src/sources/memory.ts";
import { createMemoryStore } from "../../src/store/memory/store.ts";

/** The formats' item writers at the current revision: what every store is written with. */
export const ITEMS = { writers: ITEM_WRITERS, revision: OUTPUT_REVISION };

/**
 * Before every article of the fixtures, so each is listed at its publication time (src/core/publish/lists.ts), as
 * when content is loaded whole: the content was stored before any of it came out.
 */
export const FILLED_AT = new Date(0);

/** A publisher over `store` with the site's settings. */
export function publisherOver(store: PublishStore, site: SiteSettings, group?: { articles: number; bytes: number }): Publisher {
  return createPublisher({ store, site, items: ITEMS, ...(group ? { group } : {}) });
}

const encode = (value: string | Uint8Array): Uint8Array => (typeof value === "string" ? new TextEncoder().encode(value) : value);

/**
 * Publishes every image, registry and markdown file of `files`, in that order, at `now`; throws on any refusal.
 * `publisherFor(i)` gives the publisher of the i-th article (to spread articles over stores that write differently).
 */
export async function publishTree(
  publisher: Publisher,
  files: MemoryFiles,
  now: Date = FILLED_AT,
  publisherFor?: (index: number) => Publisher,
): Promise<void> {
  const paths = Object.keys(files).sort();
  for (const path of paths.filter((p) => p.startsWith("images/"))) await publisher.putImage(path, encode(files[path]!), now);
  for (const name of ["authors.yaml", "partners.yaml"] as const) {
    if (files[name] !== undefined) await publisher.putRegistry(name, encode(files[name]!), now);
  }
  const articles = paths.filter((p) => !p.startsWith("images/") && /\.md$/i.test(p));
  if (publisherFor) {
    for (const [index, path] of articles.entries()) await publisherFor(index).putArticle(path, encode(files[path]!), { now });
    return;
  }
  const results = await publisher.putArticles(
    articles.map((file) => ({ file, bytes: encode(files[file]!) })),
    now,
  );
  const refused = results.filter((r) => "error" in r);
  if (refused.length) throw new Error(`refused: ${refused.map((r) => ("error" in r ? r.error.message : "")).join("; ")}`);
}

/** A memory store filled with `files` through the publish use case, and its catalog. */
export async function filledMemoryStore(files: MemoryFiles, site: SiteSettings): Promise<{ catalog: Catalog; publisher: Publisher }> {
  const store = createMemoryStore();
  const publisher = publisherOver(store, site);
  await publishTree(publisher, files);
  return { catalog: store.catalog, publisher };
}
