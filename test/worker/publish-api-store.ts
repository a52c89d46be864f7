// The publish API suite's store inside workerd: the real local D1 and R2, parts written to shard `write`.
import { env } from "cloudflare:test";
import { parseSettings } from "../../src/core/settings.ts";
import { createD1Catalog } from "../../src/store/d1/catalog.ts";
import { createD1Store } from "../../src/store/d1/store.ts";
import type { PublishApiStore } from "../support/publish-api-suite.ts";
import { publisherOver } from "../support/publish-tree.ts";
import { resetD1 } from "./reset-d1.ts";
import { testShards } from "./shards.ts";

const site = parseSettings({
  SITE_URL: "https://news.example.com",
  SITE_TITLE: "Test News",
  SITE_DESCRIPTION: "Test feeds",
  SITE_LANGUAGE: "en",
  SITE_TIMEZONE: "Europe/London",
});

export function d1Suite(write: number): PublishApiStore {
  const shards = testShards(write);
  return {
    reset: () => resetD1(env.DB, env.IMAGES),
    open: () => ({
      catalog: createD1Catalog(env.DB, env.IMAGES, { shards, siteUrl: site.url }),
      publisher: publisherOver(createD1Store(env.DB, env.IMAGES, shards), site),
    }),
    articleCount: async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM articles").first<{ n: number }>())!.n,
    objects: async () => (await env.IMAGES.list()).objects.map((o) => o.key).sort(),
    parts: {
      of: async (slug) => (await env.DB.prepare("SELECT shard FROM articles WHERE slug = ?1").bind(slug).first<{ shard: number }>())?.shard,
      expected: write,
    },
  };
}
