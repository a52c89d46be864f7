// How much of one D1 database each stored archive's catalog and parts take (not part of `npm run bench`; BENCHMARKS.md,
// "Storage"): SQLite's own page accounting (the dbstat table) over each archive's local D1 file, split into the
// articles' parts (`article_parts`, which can live in parts databases: src/store/d1/parts.ts) and the catalog
// (everything else: articles, lists and their indexes, facets, images, registries), per article and per 10 GB.
// Reads every page of each file: minutes for the million-article archive.
// Usage: npm run bench:capacity -- [--stores bench/.data/store-100-full,bench/.data/store-1000000-short]
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { parseArgs } from "node:util";

const DATA = "bench/.data";
const { values } = parseArgs({ options: { stores: { type: "string" } } });
const stores = values.stores
  ? values.stores.split(",").map((s) => s.trim())
  : readdirSync(DATA)
      .filter((name) => name.startsWith("store-"))
      .sort((a, b) => Number(a.split("-")[1]) - Number(b.split("-")[1]))
      .map((name) => join(DATA, name));

/** D1's limit per database (paid plan): developers.cloudflare.com/d1/platform/limits. */
const LIMIT = 10e9;
const gb = (bytes: number) => (bytes / 1e9).toFixed(2);

console.log(
  "| archive | articles | catalog | parts | catalog per article | parts per article | articles whose catalog fits in 10 GB | articles whose parts fit in 10 GB |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
for (const store of stores) {
  const dir = join(store, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite");
  if (!file) throw new Error(`no D1 database under ${dir}`);
  const db = new DatabaseSync(join(dir, file), { readOnly: true });
  const started = performance.now();
  const tables = db.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name").all() as { name: string; bytes: number }[];
  const { n: articles } = db.prepare("SELECT COUNT(*) AS n FROM articles").get() as { n: number };
  db.close();
  const parts = tables.find((t) => t.name === "article_parts")?.bytes ?? 0;
  const catalog = tables.reduce((sum, t) => sum + t.bytes, 0) - parts;
  const per = (bytes: number) => `${(bytes / articles / 1e3).toFixed(1)} KB`;
  const holds = (bytes: number) => Math.floor(LIMIT / (bytes / articles)).toLocaleString("en-US");
  console.log(
    `| ${store.split("/").at(-1)} | ${articles.toLocaleString("en-US")} | ${gb(catalog)} GB | ${gb(parts)} GB | ${per(catalog)} | ${per(parts)} | ${holds(catalog)} | ${holds(parts)} |`,
  );
  process.stderr.write(`${store}: ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}
