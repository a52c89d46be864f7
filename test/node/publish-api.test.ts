// The publish API over the memory store: every publish rule of the suite in milliseconds, on Node (the same suite
// runs inside workerd over D1 and R2: test/worker/publish-api.test.ts).

import { parseSettings } from "../../src/core/settings.ts";
import { createMemoryStore, type MemoryStore } from "../../src/store/memory/store.ts";
import { describePublishApi } from "../support/publish-api-suite.ts";
import { publisherOver } from "../support/publish-tree.ts";

const site = parseSettings({
  SITE_URL: "https://news.example.com",
  SITE_TITLE: "Test News",
  SITE_DESCRIPTION: "Test feeds",
  SITE_LANGUAGE: "en",
  SITE_TIMEZONE: "Europe/London",
});

describePublishApi("memory store", () => {
  let store: MemoryStore = createMemoryStore({ siteUrl: site.url });
  return {
    reset: async () => {
      store = createMemoryStore({ siteUrl: site.url });
    },
    open: () => ({ catalog: store.catalog, publisher: publisherOver(store, site) }),
    articleCount: async () => store.tables.articles.size,
    objects: async () => [...store.tables.objects.keys()].sort(),
  };
});
