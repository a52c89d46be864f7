// Stores of N articles for timing writes (bench/writes.ts), built in minutes at any size: the schema applied by
// `wrangler d1 migrations apply` as `npm start` applies it, then the catalog's rows generated in SQL straight into the
// local D1 file, shaped as publishing leaves them (an article row, its parts, its lists: the site's, every article's,
// its language's, one of 8 sections, 3 of 200 tags, 2 of 40 authors, at dense positions in publication order; the
// facets; the authors registry). The
// parts are short (a write's cost depends on how many rows and index entries there are, not on the text of other
// articles), so a million takes a few GB instead of 28. Kept under bench/.data while the schema and this file's
// version are unchanged.
import { readdirSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { generateArchive } from "./archive-generator.ts";
import { applyMigrations, schemaHash, WORK } from "./harness.ts";

/** Bump when the rows generated change. */
const SYNTHETIC_VERSION = 2;
/** One article every 15 minutes, the newest at SYNTHETIC_END: a million reach back to 1998. */
export const SYNTHETIC_STEP_MS = 15 * 60_000;
export const SYNTHETIC_END = Date.UTC(2026, 9, 1);
/** The time of the i-th oldest of `count` synthetic articles. */
export const syntheticTime = (count: number, i: number): number => SYNTHETIC_END - (count - 1 - i) * SYNTHETIC_STEP_MS;
const SECTIONS = ["News", "Analysis", "Business", "Energy", "Opinion", "Culture", "Sport", "Science"];

/** The authors registry of the generated archives (bench/archive-generator.ts): the bench's articles name its authors. */
export function syntheticAuthorsYaml(): string {
  return String(generateArchive({ count: 0 }).next().value!.data);
}

/** The author keys of that registry, in order. */
function authorKeys(): string[] {
  return [...syntheticAuthorsYaml().matchAll(/^([a-z0-9-]+):$/gm)].map((m) => m[1]!);
}

/** The local D1 file of a store. */
export function d1File(dir: string): string {
  const d1 = join(dir, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(d1).find((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite");
  if (!file) throw new Error(`no D1 database under ${d1}`);
  return join(d1, file);
}

/** The store of `count` synthetic articles (built if missing or out of date), and the slug of its i-th oldest. */
export async function syntheticStore(count: number, log: (line: string) => void): Promise<string> {
  const dir = join(WORK, `synthetic-${count}`);
  const stamp = { version: SYNTHETIC_VERSION, schema: await schemaHash(), count };
  const stampPath = join(dir, "synthetic.json");
  const stored = await readFile(stampPath, "utf8").then(
    (text) => text,
    () => "",
  );
  if (stored === JSON.stringify(stamp)) return dir;
  const started = performance.now();
  log(`building a synthetic store of ${count.toLocaleString("en")} articles`);
  await rm(dir, { recursive: true, force: true });
  applyMigrations(dir);
  const db = new DatabaseSync(d1File(dir));
  db.exec("PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE; PRAGMA cache_size = -200000;");
  const authors = authorKeys();
  db.exec("BEGIN");
  db.exec("CREATE TEMP TABLE n (i INTEGER PRIMARY KEY)");
  db.prepare("WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ?1) INSERT INTO n (i) SELECT i FROM s").run(
    count - 1,
  );
  db.prepare(
    `INSERT INTO articles (slug, file, id, published, updated, fingerprint, source_hash, warnings, shard, version)
     SELECT 'story-' || i, 'archive/story-' || i || '.md', 'http://localhost:8787/articles/story-' || i, ?1 + i * ?2, ?1 + i * ?2,
            printf('%016x', i), printf('%016x', i), '[]', 0, 'v-' || i FROM n`,
  ).run(syntheticTime(count, 0), SYNTHETIC_STEP_MS);
  db.exec(`INSERT INTO article_parts (slug, version, part, revision, text, written)
           SELECT 'story-' || i, 'v-' || i, p.part, 6, 'synthetic ' || p.part || ' of story-' || i, 0
           FROM n, (SELECT 'source' AS part UNION ALL SELECT 'record' UNION ALL SELECT 'article' UNION ALL SELECT 'rss'
                    UNION ALL SELECT 'atom' UNION ALL SELECT 'json') p ORDER BY 1, 2, 3`);
  // Each article's lists: the site's, every article's, its language's, a section, 3 tags, 2 authors (pairs that repeat
  // are one membership).
  db.exec("CREATE TEMP TABLE listed (scope TEXT, slug TEXT, published INTEGER, name TEXT, PRIMARY KEY (scope, slug))");
  const sectionCase = SECTIONS.map((s, k) => `WHEN ${k} THEN '${s}'`).join(" ");
  const authorCase = authors.map((a, k) => `WHEN ${k} THEN '${a}'`).join(" ");
  db.prepare(
    `INSERT OR IGNORE INTO listed (scope, slug, published, name)
     SELECT scope, 'story-' || i, ?1 + i * ?2, name FROM (
       SELECT i, 'home' AS scope, '' AS name FROM n
       UNION ALL SELECT i, 'all', '' FROM n
       UNION ALL SELECT i, 'languages/en', 'en' FROM n
       UNION ALL SELECT i, 'sections/' || lower(CASE i % 8 ${sectionCase} END), CASE i % 8 ${sectionCase} END FROM n
       UNION ALL SELECT i, 'tags/tag-' || ((i * 7) % 200), 'Tag ' || ((i * 7) % 200) FROM n
       UNION ALL SELECT i, 'tags/tag-' || ((i * 13 + 1) % 200), 'Tag ' || ((i * 13 + 1) % 200) FROM n
       UNION ALL SELECT i, 'tags/tag-' || ((i * 31 + 2) % 200), 'Tag ' || ((i * 31 + 2) % 200) FROM n
       UNION ALL SELECT i, 'authors/' || CASE i % 40 ${authorCase} END, 'Author ' || (i % 40) FROM n
       UNION ALL SELECT i, 'authors/' || CASE (i * 3 + 1) % 40 ${authorCase} END, 'Author ' || ((i * 3 + 1) % 40) FROM n)`,
  ).run(syntheticTime(count, 0), SYNTHETIC_STEP_MS);
  db.exec(`INSERT INTO memberships (scope, position, slug, published, listed, name, removed)
           SELECT scope, ROW_NUMBER() OVER (PARTITION BY scope ORDER BY published, slug DESC) - 1, slug, published, published, name, 0
           FROM listed ORDER BY 1, 2`);
  db.exec(`INSERT INTO facets (scope, kind, slug, name, first_published)
           SELECT scope, substr(scope, 1, instr(scope, '/') - 1), substr(scope, instr(scope, '/') + 1), MAX(name), MIN(published)
           FROM listed WHERE instr(scope, '/') > 0 GROUP BY scope`);
  db.exec("COMMIT");
  db.close();
  await writeFile(stampPath, JSON.stringify(stamp));
  log(`built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return dir;
}
