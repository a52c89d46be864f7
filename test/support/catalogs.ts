// Catalogs over the same files, for contract suites: the in-memory one and the prebuilt archive index.
import { buildArchiveIndex, loadIndexedCatalog } from "../../src/core/archive-index.ts";
import type { Catalog } from "../../src/core/catalog.ts";
import { loadContent } from "../../src/core/content.ts";
import { createMemoryCatalog } from "../../src/core/memory-catalog.ts";
import type { SiteSettings } from "../../src/core/settings.ts";
import { createMemorySource, type MemoryFiles } from "../../src/sources/memory.ts";

/** The files `npm run index` writes, in memory: index, records and the published images. */
export async function indexFiles(files: MemoryFiles, site: SiteSettings): Promise<MemoryFiles> {
  const content = await loadContent(createMemorySource(files), site);
  const out: Record<string, string | Uint8Array> = Object.fromEntries(buildArchiveIndex(content, site));
  for (const path of content.images.keys()) out[path] = files[path]!;
  return out;
}

/** Every Catalog implementation that runs on Node, each built from the same files. */
export const NODE_CATALOGS: readonly (readonly [string, (files: MemoryFiles, site: SiteSettings) => Promise<Catalog>])[] = [
  [
    "memory",
    async (files, site) => {
      const source = createMemorySource(files);
      return createMemoryCatalog(await loadContent(source, site), source);
    },
  ],
  // A record budget smaller than a feed, so records are evicted and read again.
  [
    "archive index",
    async (files, site) => loadIndexedCatalog(createMemorySource(await indexFiles(files, site)), site, { recordBudget: 20_000 }),
  ],
];
