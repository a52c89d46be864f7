// The body stored once, on D1 inside workerd: one part holds an article's rendered body (no item, no stored article),
// and a store written before that layout (whole items, the article with its html, no body part) serves the same bytes.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BODY_MARK, withBody } from "../../src/core/publish/stored-body.ts";
import { ITEM_WRITERS } from "../../src/formats/index.ts";
import { singleDatabase } from "../../src/store/d1/parts.ts";
import { createD1Store } from "../../src/store/d1/store.ts";
import { BODY_ONLY, OPTION_FILES } from "../support/feed-options-fixture.ts";
import { NOW, testSite } from "../support/http-fixtures.ts";
import { publisherOver, publishTree } from "../support/publish-tree.ts";
import { resetD1 } from "./reset-d1.ts";
import { rows, servedPaths } from "./served.ts";

const PATHS = [
  "/rss.xml",
  "/atom.xml",
  "/feed.json",
  "/sections/business/rss.xml",
  "/languages/fa/feed.json",
  "/articles/metro-fa",
  "/articles/aside",
  "/embed/headlines.json",
];

const site = testSite();
const served = () => servedPaths(env.DB, env.IMAGES, singleDatabase(env.DB), site, NOW, "http://localhost", PATHS);

describe("an article's body, stored once", () => {
  it("is in the body part alone: no stored item or article holds it, and every feed and page shows it", async () => {
    await resetD1(env.DB, env.IMAGES);
    await publishTree(publisherOver(createD1Store(env.DB, env.IMAGES), site), OPTION_FILES);
    const holding = await rows(env.DB, `SELECT DISTINCT part FROM article_parts WHERE text LIKE '%${BODY_ONLY}%' ORDER BY part`);
    // The markdown holds the words too (the source, which the client compares); the record keeps none of it.
    expect(holding.map((r) => r.part)).toEqual(["body", "source"]);
    const bodies = await served();
    for (const path of ["/rss.xml", "/atom.xml", "/feed.json", "/articles/aside"]) expect(bodies.get(path), path).toContain(BODY_ONLY);
  });

  it("is served the same from a store written before bodies were stored apart, and from items of an older revision", async () => {
    await resetD1(env.DB, env.IMAGES);
    await publishTree(publisherOver(createD1Store(env.DB, env.IMAGES), site), OPTION_FILES);
    const expected = await served();
    // As an earlier release stored them: each whole item and the article with its html, and no body part.
    const stored = await rows(env.DB, "SELECT slug, version, part, text FROM article_parts");
    const bodyOf = new Map(stored.filter((r) => r.part === "body").map((r) => [`${r.slug}/${r.version}`, r.text as string]));
    const updates: D1PreparedStatement[] = [];
    for (const row of stored) {
      const html = bodyOf.get(`${row.slug}/${row.version}`)!;
      const writer = ITEM_WRITERS.find((w) => w.part === row.part);
      const whole =
        writer !== undefined
          ? withBody(writer, row.text as string, html)
          : row.part === "article"
            ? JSON.stringify({ ...JSON.parse(row.text as string), html })
            : undefined;
      if (whole === undefined) continue;
      expect(whole, `${row.slug} ${row.part}`).not.toContain(BODY_MARK);
      updates.push(
        env.DB.prepare("UPDATE article_parts SET text = ?4 WHERE slug = ?1 AND version = ?2 AND part = ?3").bind(
          row.slug,
          row.version,
          row.part,
          whole,
        ),
      );
    }
    updates.push(env.DB.prepare("DELETE FROM article_parts WHERE part = 'body'"));
    await env.DB.batch(updates);
    expect(await rows(env.DB, "SELECT count(*) AS n FROM article_parts WHERE part = 'body'")).toEqual([{ n: 0 }]);
    expect(await served()).toEqual(expected);

    // Published again: back to the body stored once, and still the same bytes.
    await resetD1(env.DB, env.IMAGES);
    await publishTree(publisherOver(createD1Store(env.DB, env.IMAGES), site), OPTION_FILES);
    // Items of an older revision of the renderers are written again from the stored article and its body.
    await env.DB.prepare("UPDATE article_parts SET revision = revision - 1").run();
    expect(await served()).toEqual(expected);
  });
});
