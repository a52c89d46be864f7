// What layouts of the stored article parts take on disk and cost to write and read, measured on a sample of a stored
// archive (not part of `npm run bench`; BENCHMARKS.md, "Storage" and "Issue 17"). Copies the parts of the first N
// articles of an archive's local D1 into scratch SQLite files (SQLite is what D1 runs; the same 4 KiB pages), laid out
// these ways, and reports bytes per article and, for the full layouts, the time to write them (50 articles a
// transaction, in a shuffled order, as a batch import writes them), to read one feed's 20 items (the statement
// src/store/d1/parts.ts runs) and to walk every key as the sweep does:
//   0001            article_parts WITHOUT ROWID keyed (slug, part), as migrations/0001_catalog.sql had it
//   WITHOUT ROWID   keyed (slug, version, part), as migrations-parts/0001 had it
//   rowid           the same columns in an ordinary rowid table, the text last: migrations/0003, migrations-parts/0002
//   feed-only       rowid, only the three feed fragments (the page, the source and the record elsewhere, e.g. R2)
//   feed-only gz    the same, each fragment gzip-compressed (CompressionStream in a worker; node:zlib here)
// Usage: npm run bench:storage -- [--store bench/.data/store-10000-full] [--sample 2000] [--reads 2000]
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";

const { values } = parseArgs({
  options: {
    store: { type: "string", default: "bench/.data/store-10000-full" },
    sample: { type: "string", default: "2000" },
    reads: { type: "string", default: "2000" },
  },
});
const sample = Number(values.sample);
const reads = Number(values.reads);
const d1Dir = join(values.store, "v3", "d1", "miniflare-D1DatabaseObject");
const file = readdirSync(d1Dir).find((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite");
if (!file) throw new Error(`no D1 database under ${d1Dir}`);
const source = new DatabaseSync(join(d1Dir, file), { readOnly: true });
const rows = source
  .prepare("SELECT slug, part, revision, text FROM article_parts WHERE slug IN (SELECT slug FROM articles ORDER BY published LIMIT ?)")
  .all(sample) as { slug: string; part: string; revision: number; text: string }[];
const FEED_PARTS = new Set(["rss", "atom", "json"]);

/** mulberry32, so every layout gets the same order and the same reads. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(17);
/** The sample's articles in a shuffled order (an import's slugs do not arrive sorted), each under a version. */
const slugs = [...new Set(rows.map((r) => r.slug))];
for (let i = slugs.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [slugs[i], slugs[j]] = [slugs[j]!, slugs[i]!];
}
const articles = slugs.length;
const versionOf = new Map(slugs.map((slug, i) => [slug, `v${i.toString(36).padStart(8, "0")}-${Math.floor(random() * 1e9).toString(36)}`]));
const rowsOf = Map.groupBy(rows, (r) => r.slug);
/** Each read: 20 articles' RSS items, as one feed asks for them. */
const readSets = Array.from({ length: reads }, () =>
  JSON.stringify(Array.from({ length: 20 }, () => slugs[Math.floor(random() * articles)]!).map((slug) => [slug, versionOf.get(slug)])),
);

interface Layout {
  name: string;
  schema: string;
  /** Whether the layout has a version column (and so can answer the store's statements). */
  versioned: boolean;
  keep: (part: string) => boolean;
  gzip: boolean;
}

/** The parts in an ordinary rowid table, its key unique, the text last. */
const rowid = (text: "TEXT" | "BLOB") =>
  `CREATE TABLE article_parts (slug TEXT NOT NULL, version TEXT NOT NULL, part TEXT NOT NULL, revision INTEGER NOT NULL,
     written INTEGER NOT NULL, text ${text} NOT NULL, PRIMARY KEY (slug, version, part))`;

const layouts: Layout[] = [
  {
    name: "0001: WITHOUT ROWID (slug, part)",
    schema:
      "CREATE TABLE article_parts (slug TEXT NOT NULL, part TEXT NOT NULL, revision INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (slug, part)) WITHOUT ROWID",
    versioned: false,
    keep: () => true,
    gzip: false,
  },
  {
    name: "WITHOUT ROWID (slug, version, part)",
    schema: `CREATE TABLE article_parts (slug TEXT NOT NULL, version TEXT NOT NULL, part TEXT NOT NULL, revision INTEGER NOT NULL,
       text TEXT NOT NULL, written INTEGER NOT NULL, PRIMARY KEY (slug, version, part)) WITHOUT ROWID`,
    versioned: true,
    keep: () => true,
    gzip: false,
  },
  { name: "rowid (slug, version, part), text last", schema: rowid("TEXT"), versioned: true, keep: () => true, gzip: false },
  { name: "rowid, feed fragments only", schema: rowid("TEXT"), versioned: true, keep: (part) => FEED_PARTS.has(part), gzip: false },
  { name: "rowid, feed fragments only, gzip", schema: rowid("BLOB"), versioned: true, keep: (part) => FEED_PARTS.has(part), gzip: true },
];

/** The median of `runs` timings of `task`, in ms. */
function median(runs: number, task: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    task();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const scratch = mkdtempSync(join(tmpdir(), "storage-layout-"));
try {
  const textBytes = rows.reduce((n, r) => n + Buffer.byteLength(r.text), 0);
  console.log(`${articles} articles from ${values.store}: ${(textBytes / articles / 1024).toFixed(1)} KiB of part text per article`);
  console.log(
    `${"layout".padEnd(40)} ${"KiB/article".padStart(11)} ${"write ms/article".padStart(16)} ${"read µs/20 items".padStart(16)} ${"sweep ms/1,000".padStart(14)}`,
  );
  for (const layout of layouts) {
    const path = join(scratch, `${layouts.indexOf(layout)}.sqlite`);
    const timed = !layout.gzip && layout.keep("source");
    let write = Number.NaN;
    let read = Number.NaN;
    let sweep = Number.NaN;
    // Written three times afresh, the median kept: the time is SQLite's CPU (no fsync: synchronous off).
    const writeOnce = () => {
      rmSync(path, { force: true });
      const db = new DatabaseSync(path);
      db.exec("PRAGMA page_size = 4096; PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF;");
      db.exec(layout.schema);
      const insert = layout.versioned
        ? db.prepare("INSERT INTO article_parts (slug, version, part, revision, written, text) VALUES (?, ?, ?, ?, ?, ?)")
        : db.prepare("INSERT INTO article_parts (slug, part, revision, text) VALUES (?, ?, ?, ?)");
      const started = performance.now();
      for (let i = 0; i < articles; i += 50) {
        db.exec("BEGIN");
        for (const slug of slugs.slice(i, i + 50)) {
          for (const r of rowsOf.get(slug)!) {
            if (!layout.keep(r.part)) continue;
            const text = layout.gzip ? gzipSync(r.text) : r.text;
            if (layout.versioned) insert.run(slug, versionOf.get(slug)!, r.part, r.revision, i, text);
            else insert.run(slug, r.part, r.revision, text);
          }
        }
        db.exec("COMMIT");
      }
      const ms = performance.now() - started;
      db.close();
      return ms;
    };
    const writes = Array.from({ length: timed ? 3 : 1 }, writeOnce).sort((a, b) => a - b);
    if (timed) write = writes[1]! / articles;
    if (timed && layout.versioned) {
      const db = new DatabaseSync(path);
      const items = db.prepare(
        `SELECT slug, revision, text FROM article_parts
         WHERE part = 'rss' AND (slug, version) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))`,
      );
      let n = 0;
      read =
        (median(5, () => {
          for (const set of readSets) n += items.all(set).length;
        }) *
          1000) /
        reads;
      if (n === 0) throw new Error("the reads found nothing");
      const keys = db.prepare(
        `SELECT slug, version, MAX(written) AS written FROM article_parts WHERE (slug, version) > (?, ?)
         GROUP BY slug, version ORDER BY slug, version LIMIT 500`,
      );
      sweep =
        (median(5, () => {
          let after: [string, string] = ["", ""];
          for (;;) {
            const page = keys.all(...after) as { slug: string; version: string }[];
            if (page.length === 0) break;
            after = [page.at(-1)!.slug, page.at(-1)!.version];
          }
        }) *
          1000) /
        articles;
      db.close();
    }
    const db = new DatabaseSync(path);
    db.exec("VACUUM");
    db.close();
    const bytes = statSync(path).size;
    const show = (value: number, digits: number, width: number) => (Number.isNaN(value) ? "" : value.toFixed(digits)).padStart(width);
    console.log(
      `${layout.name.padEnd(40)} ${(bytes / articles / 1024).toFixed(1).padStart(11)} ${show(write, 3, 16)} ${show(read, 0, 16)} ${show(sweep, 2, 14)}`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
