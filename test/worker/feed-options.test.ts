// The feed options on D1 inside workerd: migration 0004 (the list of every article, copied from the site's), articles
// stored before excerpts and language lists (excerpts written from the stored article; publishing again files them
// into their language's list), and the option routes over the D1 catalog.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ALL, HOME } from "../../src/core/catalog.ts";
import { planFeed } from "../../src/core/feed-plan.ts";
import { FORMATS, renderPlan } from "../../src/formats/index.ts";
import { createApp } from "../../src/http/app.ts";
import { createD1Catalog } from "../../src/store/d1/catalog.ts";
import { createD1Store } from "../../src/store/d1/store.ts";
import { BODY_ONLY, OPTION_FILES } from "../support/feed-options-fixture.ts";
import { NOW, testSite } from "../support/http-fixtures.ts";
import { publisherOver, publishTree } from "../support/publish-tree.ts";
import { resetD1 } from "./reset-d1.ts";

type Migration = { name: string; queries: string[] };
const migrations = (env as unknown as { TEST_MIGRATIONS: Migration[] }).TEST_MIGRATIONS;

describe("migration 0004", () => {
  it("fills the list of every article from the site's, position for position, tombstones and their count too", async () => {
    await resetD1(env.DB, env.IMAGES);
    // The lists as an earlier release left them: the site's list and a section's, a removed article among them.
    const rows = [
      ["home", 0, "a", 10, 10, "", 0],
      ["home", 1, "b", 20, 20, "", 1],
      ["home", 2, "c", 30, 25, "", 0],
      ["sections/news", 0, "a", 10, 10, "News", 0],
    ] as const;
    await env.DB.batch([
      ...rows.map((r) =>
        env.DB.prepare(
          "INSERT INTO memberships (scope, position, slug, published, listed, name, removed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        ).bind(...r),
      ),
      env.DB.prepare("INSERT INTO lists (scope, removed) VALUES ('home', 1)"),
    ]);
    const migration = migrations.find((m) => m.name.startsWith("0004"))!;
    expect(migration).toBeDefined();
    await env.DB.batch(migration.queries.map((q) => env.DB.prepare(q)));
    const { results } = await env.DB.prepare(
      "SELECT position, slug, published, listed, name, removed FROM memberships WHERE scope = 'all' ORDER BY position",
    ).all();
    expect(results).toEqual(
      rows
        .filter((r) => r[0] === "home")
        .map(([, position, slug, published, listed, name, removed]) => ({ position, slug, published, listed, name, removed })),
    );
    expect(await env.DB.prepare("SELECT removed FROM lists WHERE scope = 'all'").first()).toEqual({ removed: 1 });
    await resetD1(env.DB, env.IMAGES);
  });
});

describe("articles stored before the feed options", () => {
  it("get excerpts written from their stored article, the same bytes as stored ones", async () => {
    await resetD1(env.DB, env.IMAGES);
    const site = testSite({ FEED_CONTENT: "excerpt" });
    await publishTree(publisherOver(createD1Store(env.DB, env.IMAGES), site), OPTION_FILES);
    const catalog = createD1Catalog(env.DB, env.IMAGES);
    const plan = (await planFeed(catalog, site, NOW, { scope: HOME }))!;
    const stored = await Promise.all(FORMATS.map((f) => renderPlan(catalog, plan, f)));
    await env.DB.prepare("DELETE FROM article_parts WHERE part LIKE '%-excerpt'").run();
    const written = await Promise.all(FORMATS.map((f) => renderPlan(createD1Catalog(env.DB, env.IMAGES), plan, f)));
    expect(written).toEqual(stored);
    for (const text of written) expect(text).not.toContain(BODY_ONLY);
  });

  it("are filed into their language's list when published again, and are unchanged once they are", async () => {
    await resetD1(env.DB, env.IMAGES);
    const site = testSite();
    const publisher = publisherOver(createD1Store(env.DB, env.IMAGES), site);
    await publishTree(publisher, OPTION_FILES);
    // As a store an earlier release filled: no language lists.
    await env.DB.batch([
      env.DB.prepare("DELETE FROM memberships WHERE scope LIKE 'languages/%'"),
      env.DB.prepare("DELETE FROM facets WHERE kind = 'languages'"),
    ]);
    const catalog = createD1Catalog(env.DB, env.IMAGES);
    expect(await catalog.publicFacets("languages", NOW)).toEqual([]);
    const text = OPTION_FILES["2026/metro-fa.md"] as string;
    const again = await publisher.putArticle("2026/metro-fa.md", new TextEncoder().encode(text), { now: NOW });
    expect(again).toMatchObject({ result: "updated", change: { scopes: expect.arrayContaining(["languages/fa"]) } });
    expect((await catalog.publicFacets("languages", NOW)).map((f) => f.slug)).toEqual(["fa"]);
    const fa = (await catalog.facet("languages", "fa", NOW))!;
    expect((await catalog.newest(fa, NOW, 10)).map((e) => e.slug)).toEqual(["metro-fa"]);
    const third = await publisher.putArticle("2026/metro-fa.md", new TextEncoder().encode(text), { now: NOW });
    expect(third.result).toBe("unchanged");
    // The list of every article holds the one kept out of the site's: eight out at NOW, seven in the site's list.
    expect(await catalog.countPublished(ALL, NOW)).toBe(8);
    expect(await catalog.countPublished(HOME, NOW)).toBe(7);
  });
});

describe("the option routes over D1", () => {
  it("serve language, partner and main-feed answers from the D1 catalog as from content loaded whole", async () => {
    await resetD1(env.DB, env.IMAGES);
    const site = testSite({ FEED_LINK_QUERY: "utm_source=feed" });
    await publishTree(publisherOver(createD1Store(env.DB, env.IMAGES), site), OPTION_FILES);
    const app = createApp({ catalog: createD1Catalog(env.DB, env.IMAGES), site, now: () => NOW, log: () => {} });
    const text = async (path: string) => {
      const res = await app.request(`http://localhost${path}`);
      expect(res.status, path).toBe(200);
      return res.text();
    };
    expect(await text("/languages/fa/rss.xml")).toContain("<language>fa</language>");
    expect(await text("/rss.xml")).not.toContain("A note on pipeline tariffs");
    expect(await text("/sections/business/rss.xml")).toContain("A note on pipeline tariffs");
    expect(await text("/sitemaps/articles-1.xml")).toContain("/articles/aside");
    const partner = await text("/partners/acme/feed.json");
    expect(partner).toContain("utm_source=acme&utm_medium=json&utm_campaign=syndication");
    expect(partner).not.toContain(BODY_ONLY);
    expect(await text("/feeds.opml")).toContain("/languages/fa/rss.xml");
  });
});
