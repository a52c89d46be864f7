// A database written before migrations/0003 (dense list positions, the catalog's parts keyed by slug alone, parts
// databases WITHOUT ROWID) upgraded in place by `wrangler d1 migrations apply`, inside workerd on real local D1: it
// serves every route with the same bytes and ETags as the same content written under the new schema, and takes new,
// back-dated, edited and deleted articles as that one does.
import { applyD1Migrations, env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { type PartsShards, partsShards } from "../../src/store/d1/parts.ts";
import { createD1Store } from "../../src/store/d1/store.ts";
import { articleText, NEWSROOM, NOW, testSite } from "../support/http-fixtures.ts";
import { publisherOver } from "../support/publish-tree.ts";
import { story } from "../support/store-contract.ts";
import { fillD1 } from "./fill-d1.ts";
import { resetD1 } from "./reset-d1.ts";
import { rows, servedPaths } from "./served.ts";
import { testShardDatabases, testShards } from "./shards.ts";

type Migrations = Parameters<typeof applyD1Migrations>[1];
const bound = env as unknown as {
  TEST_MIGRATIONS: Migrations;
  TEST_PARTS_MIGRATIONS: Migrations;
  UPGRADE_DB: D1Database;
  UPGRADE_PARTS: D1Database;
};
/** The migrations a database had before this schema change. */
const before = (migrations: Migrations, first: string) => migrations.filter((m) => m.name < first);

const BASE = "https://news.example";
// Small archive pages, so the archive has full pages and an open one.
const site = testSite({ ARCHIVE_ITEMS: "10" });
const PATHS = [
  "/rss.xml",
  "/atom.xml",
  "/feed.json",
  "/sections/city/rss.xml",
  "/sections/business/atom.xml",
  "/tags/transport/atom.xml",
  "/authors/ana-lima/feed.json",
  "/authors/ben-ode/rss.xml",
  "/archive/1/rss.xml",
  "/archive/2/rss.xml",
  "/archive/3/atom.xml",
  "/sections/business/archive/1/rss.xml",
  "/articles/metro",
  "/articles/oil-deal",
  "/articles/g7",
  "/sitemap.xml",
];

/** The sample newsroom and 24 more articles, an hour apart, in three sections. */
const FILES = { ...NEWSROOM };
for (let i = 0; i < 24; i++) {
  FILES[`gen/g${i}.md`] = articleText({
    title: `Generated ${i}`,
    date: new Date(Date.UTC(2025, 11, 1) + i * 3_600_000).toISOString(),
    section: ["Business", "City", "World News"][i % 3],
    author: i % 2 ? "ben-ode" : "ana-lima",
  });
}

const served = (catalogDb: D1Database, shards: PartsShards) => servedPaths(catalogDb, env.IMAGES, shards, site, NOW, BASE, PATHS);

/** Inserts `list` into `table` of `db`, the columns of the first row. */
async function insertAll(db: D1Database, table: string, list: readonly Record<string, unknown>[]): Promise<void> {
  if (list.length === 0) return;
  // Only the columns the older table has: later migrations add columns (0005's shaping) the copy must leave out.
  const known = new Set((await rows(db, `PRAGMA table_info(${table})`)).map((c) => c.name));
  const columns = Object.keys(list[0]!).filter((c) => known.has(c));
  const statement = db.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((_c, i) => `?${i + 1}`).join(", ")})`);
  await db.batch(list.map((row) => statement.bind(...columns.map((c) => row[c] ?? null))));
}

/** The tables 0001 made that 0003 leaves as they are: copied row for row. */
const UNCHANGED = ["facets", "drafts", "images", "image_refs", "retired_ids", "registries", "state"];

/**
 * `UPGRADE_DB` and `UPGRADE_PARTS` as the code before 0003 would have written the content env.DB holds now: the same
 * rows, every list's positions dense from the oldest by (publication time, slug descending), the catalog's own parts
 * under no version, the parts database's rows in its first shape.
 */
async function writeLegacyCopy(): Promise<void> {
  await applyD1Migrations(bound.UPGRADE_DB, before(bound.TEST_MIGRATIONS, "0003"));
  await applyD1Migrations(bound.UPGRADE_PARTS, before(bound.TEST_PARTS_MIGRATIONS, "0002"));
  for (const table of UNCHANGED) await insertAll(bound.UPGRADE_DB, table, await rows(env.DB, `SELECT * FROM ${table}`));
  await insertAll(
    bound.UPGRADE_DB,
    "articles",
    await rows(
      env.DB,
      `SELECT slug, file, id, published, updated, fingerprint, source_hash, warnings, shard,
              CASE shard WHEN 0 THEN '' ELSE version END AS version FROM articles`,
    ),
  );
  await insertAll(
    bound.UPGRADE_DB,
    "article_parts",
    await rows(
      env.DB,
      "SELECT p.slug, p.part, p.revision, p.text FROM article_parts p JOIN articles a USING (slug, version) WHERE a.shard = 0",
    ),
  );
  // Lists as they were before 0004 made `all` and the language lists (0004 copies `all` from `home`).
  await insertAll(
    bound.UPGRADE_DB,
    "memberships",
    await rows(
      env.DB,
      `SELECT scope, slug, published, name,
              ROW_NUMBER() OVER (PARTITION BY scope ORDER BY published, slug DESC) - 1 AS position
       FROM memberships WHERE removed = 0 AND scope <> 'all' AND scope NOT LIKE 'languages/%'`,
    ),
  );
  const one = testShardDatabases().get(1)!;
  await insertAll(
    bound.UPGRADE_PARTS,
    "article_parts",
    await rows(one, "SELECT slug, version, part, revision, text, written FROM article_parts"),
  );
}

const upgradedShards = () => partsShards(bound.UPGRADE_DB, new Map([[1, bound.UPGRADE_PARTS]]), 0);

beforeEach(async () => {
  await resetD1(env.DB, env.IMAGES);
});

describe("a database written before 0003, upgraded in place", () => {
  it("serves every route with the same bytes and ETags as the content written under the new schema, and writes as it does", async () => {
    // Every other article's parts in PARTS_1, the rest in the catalog: both migrations have rows to carry over.
    await fillD1(env.DB, env.IMAGES, FILES, site, (i) => testShards(i % 2));
    const expected = await served(env.DB, testShards(0));
    expect(expected.get("/archive/3/atom.xml")).toMatch(/^200 /);
    expect(expected.get("/articles/g7")).toMatch(/^200 /);
    expect((await rows(testShardDatabases().get(1)!, "SELECT COUNT(*) AS n FROM article_parts"))[0]!.n).toBeGreaterThan(0);

    await writeLegacyCopy();
    expect((await rows(bound.UPGRADE_DB, "SELECT sql FROM sqlite_master WHERE name = 'article_parts'"))[0]!.sql).toMatch(
      /PRIMARY KEY \(slug, part\)/,
    );
    await applyD1Migrations(bound.UPGRADE_DB, bound.TEST_MIGRATIONS);
    await applyD1Migrations(bound.UPGRADE_PARTS, bound.TEST_PARTS_MIGRATIONS);
    for (const db of [bound.UPGRADE_DB, bound.UPGRADE_PARTS]) {
      const [table] = await rows(db, "SELECT sql FROM sqlite_master WHERE name = 'article_parts'");
      expect(table!.sql).toMatch(/PRIMARY KEY \(slug, version, part\)\s*\)$/);
    }
    expect(await served(bound.UPGRADE_DB, upgradedShards())).toEqual(expected);

    // The same writes into both: a new article, a back-dated one, an edit and a delete.
    const writes = async (db: D1Database, shards: PartsShards) => {
      const publisher = publisherOver(createD1Store(db, env.IMAGES, shards), site);
      const put = (slug: string, text: string) => publisher.putArticle(`new/${slug}.md`, new TextEncoder().encode(text), { now: NOW });
      expect((await put("fresh", story("fresh", 9 * 24 + 11, "City", ["Transport"]))).result).toBe("created");
      expect((await put("old", story("old", 3, "Business", ["Transport"]))).result).toBe("created");
      const edited = String(FILES["gen/g4.md"]).replace("Generated 4", "Generated four");
      expect((await publisher.putArticle("gen/g4.md", new TextEncoder().encode(edited), { now: NOW })).result).toBe("updated");
      expect((await publisher.deleteArticle("gen/g9.md", NOW)).result).toBe("deleted");
    };
    await writes(env.DB, testShards(0));
    await writes(bound.UPGRADE_DB, upgradedShards());
    const after = await served(env.DB, testShards(0));
    expect(after.get("/rss.xml")).not.toEqual(expected.get("/rss.xml"));
    expect(await served(bound.UPGRADE_DB, upgradedShards())).toEqual(after);
  });
});
