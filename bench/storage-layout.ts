// What other layouts of the stored article parts would take on disk, measured on a sample of a stored archive (not
// part of `npm run bench`; BENCHMARKS.md, "Storage"). Copies the parts of the first N articles of an archive's local D1
// into scratch SQLite files laid out four ways, each with the same 4 KiB pages as D1, and reports bytes per article:
//   as stored     article_parts WITHOUT ROWID, as migrations/0001_catalog.sql has it
//   rowid         the same columns in an ordinary rowid table, with a unique index on (slug, part)
//   feed-only     rowid, only the three feed fragments (the page, the source and the record elsewhere, e.g. R2)
//   feed-only gz  the same, each fragment gzip-compressed (CompressionStream in a worker; node:zlib here)
// Usage: npm run bench:storage -- [--store bench/.data/store-10000-full] [--sample 2000]
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";

const { values } = parseArgs({
  options: { store: { type: "string", default: "bench/.data/store-10000-full" }, sample: { type: "string", default: "2000" } },
});
const sample = Number(values.sample);
const d1Dir = join(values.store, "v3", "d1", "miniflare-D1DatabaseObject");
const file = readdirSync(d1Dir).find((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite");
if (!file) throw new Error(`no D1 database under ${d1Dir}`);
const source = new DatabaseSync(join(d1Dir, file), { readOnly: true });
const rows = source
  .prepare("SELECT slug, part, revision, text FROM article_parts WHERE slug IN (SELECT slug FROM articles ORDER BY published LIMIT ?)")
  .all(sample) as { slug: string; part: string; revision: number; text: string }[];
const articles = new Set(rows.map((r) => r.slug)).size;
const FEED_PARTS = new Set(["rss", "atom", "json"]);

/** The parts as an ordinary rowid table, unique on (slug, part), their text stored as `text`. */
const rowid = (text: "TEXT" | "BLOB") =>
  `CREATE TABLE p (slug TEXT NOT NULL, part TEXT NOT NULL, revision INTEGER NOT NULL, text ${text} NOT NULL); CREATE UNIQUE INDEX p_key ON p (slug, part)`;

const layouts: { name: string; schema: string; keep: (part: string) => boolean; gzip: boolean }[] = [
  {
    name: "as stored (WITHOUT ROWID)",
    schema:
      "CREATE TABLE p (slug TEXT NOT NULL, part TEXT NOT NULL, revision INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (slug, part)) WITHOUT ROWID",
    keep: () => true,
    gzip: false,
  },
  {
    name: "rowid table",
    schema: rowid("TEXT"),
    keep: () => true,
    gzip: false,
  },
  {
    name: "rowid, feed fragments only",
    schema: rowid("TEXT"),
    keep: (part) => FEED_PARTS.has(part),
    gzip: false,
  },
  {
    name: "rowid, feed fragments only, gzip",
    schema: rowid("BLOB"),
    keep: (part) => FEED_PARTS.has(part),
    gzip: true,
  },
];

const scratch = mkdtempSync(join(tmpdir(), "storage-layout-"));
try {
  const textBytes = rows.reduce((n, r) => n + Buffer.byteLength(r.text), 0);
  console.log(`${articles} articles from ${values.store}: ${(textBytes / articles / 1024).toFixed(1)} KiB of part text per article`);
  for (const layout of layouts) {
    const path = join(scratch, `${layouts.indexOf(layout)}.sqlite`);
    const db = new DatabaseSync(path);
    db.exec("PRAGMA page_size = 4096; PRAGMA journal_mode = DELETE;");
    db.exec(layout.schema);
    const insert = db.prepare("INSERT INTO p (slug, part, revision, text) VALUES (?, ?, ?, ?)");
    db.exec("BEGIN");
    for (const r of rows) {
      if (!layout.keep(r.part)) continue;
      insert.run(r.slug, r.part, r.revision, layout.gzip ? gzipSync(r.text) : r.text);
    }
    db.exec("COMMIT");
    db.exec("VACUUM");
    db.close();
    const bytes = statSync(path).size;
    console.log(`${layout.name.padEnd(36)} ${(bytes / articles / 1024).toFixed(1).padStart(6)} KiB per article`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
