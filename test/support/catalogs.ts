// Catalogs over the same files, for contract suites: the in-memory one over content loaded whole, and the memory
// store's, filled through the publish use case (D1's runs inside workerd).
import type { Catalog } from "../../src/core/catalog.ts";
import { loadContent } from "../../src/core/content.ts";
import { createMemoryCatalog } from "../../src/core/memory-catalog.ts";
import type { SiteSettings } from "../../src/core/settings.ts";
import { createMemorySource, type MemoryFiles } from "../../src/sources/memory.ts";
import { filledMemoryStore } from "./publish-tree.ts";

/** Every Catalog implementation that runs on Node, each built from the same files. */
export const NODE_CATALOGS: readonly (readonly [string, (files: MemoryFiles, site: SiteSettings) => Promise<Catalog>])[] = [
  [
    "memory",
    async (files, site) => {
      const source = createMemorySource(files);
      return createMemoryCatalog(await loadContent(source, site), source);
    },
  ],
  ["memory store", async (files, site) => (await filledMemoryStore(files, site)).catalog],
];
