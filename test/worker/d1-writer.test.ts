// The D1 writer keeps every list dense and ordered whatever the order of publishes, edits and deletes (a model-based
// property against a plain model), and concurrent publishes of one article leave one whole version.
import { env } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ArticleRecord } from "../../src/core/article.ts";
import { slugify } from "../../src/core/text.ts";
import { deleteFile, writePublication } from "../../src/sources/d1-writer.ts";
import { membershipsOf, preparePublication } from "../../src/sources/publication.ts";
import { testRecord } from "./records.ts";

const db = env.DB;

const record = testRecord;

async function reset(): Promise<void> {
  await db.batch(
    ["articles", "article_parts", "memberships", "facets", "drafts", "image_refs", "retired_ids"].map((t) =>
      db.prepare(`DELETE FROM ${t}`),
    ),
  );
}

/** Every list as stored: scope → slugs by position, after checking positions are 0…n-1. */
async function storedLists(): Promise<Map<string, string[]>> {
  const { results } = await db
    .prepare("SELECT scope, slug, position FROM memberships ORDER BY scope, position")
    .all<{ scope: string; slug: string; position: number }>();
  const lists = new Map<string, string[]>();
  for (const row of results) {
    const list = lists.get(row.scope) ?? [];
    expect(row.position, `${row.scope} ${row.slug}`).toBe(list.length);
    list.push(row.slug);
    lists.set(row.scope, list);
  }
  return lists;
}

/** The same lists from a plain model: oldest first by (published, slug descending). */
function modelLists(records: Iterable<ArticleRecord>): Map<string, string[]> {
  const sorted = [...records].sort(
    (a, b) => a.published.getTime() - b.published.getTime() || (a.slug < b.slug ? 1 : a.slug > b.slug ? -1 : 0),
  );
  const lists = new Map<string, string[]>();
  for (const r of sorted) {
    for (const { scope } of membershipsOf(r)) lists.set(scope, [...(lists.get(scope) ?? []), r.slug]);
  }
  return new Map([...lists].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const SECTIONS = ["News", "Business", "Culture"];
const TAGS = ["Iran", "Oil", "Rail", "Football"];
const op = fc.oneof(
  fc.record({
    kind: fc.constant("put" as const),
    slug: fc.constantFrom("a", "b", "c", "d", "e", "f"),
    minute: fc.integer({ min: 0, max: 2 }), // few distinct times: ties by slug are exercised often
    section: fc.constantFrom(...SECTIONS),
    tags: fc.subarray(TAGS),
  }),
  fc.record({ kind: fc.constant("delete" as const), slug: fc.constantFrom("a", "b", "c", "d", "e", "f") }),
);

/** The database, with what D1 reports every batch read and wrote (each statement's meta.rows_read and rows_written) summed. */
function metered(): { db: D1Database; rows: { read: number; written: number } } {
  const rows = { read: 0, written: 0 };
  const proxy = new Proxy(db, {
    get(target, key) {
      if (key === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          const results = await target.batch(statements);
          for (const r of results) {
            rows.read += r.meta.rows_read;
            rows.written += r.meta.rows_written;
          }
          return results;
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: proxy, rows };
}

/** Publishes articles `s-{from}` … `s-{to - 1}` a minute apart, oldest first, all in News and tagged Oil. */
async function fill(from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    const r = record(`s-${String(i).padStart(4, "0")}`, i, "News", ["Oil"]);
    await writePublication(db, preparePublication(r, r.body, []));
  }
}

/** Rows D1 reports for writing one publication. */
async function rowsFor(r: ArticleRecord, source = r.body): Promise<{ read: number; written: number }> {
  const meter = metered();
  await writePublication(meter.db, preparePublication(r, source, []));
  return meter.rows;
}

describe("D1 writer", () => {
  // Row counts, not timings: D1 bills rows read and written, and a count that grows with the archive is a step whose
  // time grows with it. Lists of 30 and of 300 articles must cost the same.
  it("publishes at the newest end of every list reading and writing as many rows whatever the lists' length", async () => {
    await reset();
    await fill(0, 30);
    // A slug that sorts before every other: a lookup that walked the list by slug would read all of it.
    const small = await rowsFor(record("a-newest-1", 1000, "News", ["Oil"]));
    await fill(30, 300);
    const large = await rowsFor(record("a-newest-2", 2000, "News", ["Oil"]));
    expect(large).toEqual(small);
  });

  it("re-publishes an article with its date and lists unchanged (an edit) without moving any other article", async () => {
    await reset();
    await fill(0, 30);
    const oldest = record("s-0000", 0, "News", ["Oil"]);
    const small = await rowsFor({ ...oldest, body: "Edited once." }, "Edited once.");
    await fill(30, 300);
    const large = await rowsFor({ ...oldest, body: "Edited twice." }, "Edited twice.");
    expect(large).toEqual(small);
    const lists = await storedLists();
    expect(lists.get("home")).toEqual(Array.from({ length: 300 }, (_, i) => `s-${String(i).padStart(4, "0")}`));
  });

  it("keeps every list dense and in order, and the facets right, through any publishes, edits and deletes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
        await reset();
        const model = new Map<string, ArticleRecord>();
        for (const o of ops) {
          if (o.kind === "put") {
            const r = record(o.slug, o.minute, o.section, o.tags);
            await writePublication(db, preparePublication(r, r.body, []));
            model.set(o.slug, r);
          } else {
            await deleteFile(db, `${o.slug}.md`);
            model.delete(o.slug);
          }
        }
        expect(new Map([...(await storedLists())].sort(([a], [b]) => (a < b ? -1 : 1)))).toEqual(modelLists(model.values()));
        const { results: facets } = await db
          .prepare("SELECT scope, name, first_published FROM facets ORDER BY scope")
          .all<{ scope: string; name: string; first_published: number }>();
        const expected = [...modelLists(model.values())]
          .filter(([scope]) => scope !== "home")
          .map(([scope, slugs]) => {
            const newest = model.get(slugs.at(-1)!)!;
            const name = scope.startsWith("sections/")
              ? newest.section!
              : (newest.tags.find((t) => `tags/${slugify(t)}` === scope) ?? "Pub");
            return { scope, name, first_published: model.get(slugs[0]!)!.published.getTime() };
          });
        expect(facets).toEqual(expected);
      }),
      { numRuns: 80 },
    );
  });

  it("publishes identical content as a no-op, and retires a deleted article's id", async () => {
    await reset();
    const r = record("x", 1, "News", ["Oil"]);
    expect(await writePublication(db, preparePublication(r, r.body, []))).toBe("created");
    expect(await writePublication(db, preparePublication(r, r.body, []))).toBe("unchanged");
    expect(await writePublication(db, preparePublication({ ...r, title: "Edited" }, r.body + " ", []))).toBe("updated");
    expect(await deleteFile(db, "x.md")).toBe("deleted");
    expect(await deleteFile(db, "x.md")).toBe("absent");
    const retired = await db.prepare("SELECT id FROM retired_ids").all<{ id: string }>();
    expect(retired.results.map((row) => row.id)).toEqual([r.id]);
  });

  it("leaves one whole version when the same article is published twice at once", async () => {
    for (let round = 0; round < 5; round++) {
      await reset();
      const base = record("same", 3, "News", ["Oil"]);
      await writePublication(db, preparePublication(record("older", 1, "News", ["Oil"]), "o", []));
      await writePublication(db, preparePublication(record("newer", 5, "Business", ["Rail"]), "n", []));
      const one = record("same", 0, "Business", ["Rail", "Iran"], "One");
      const two = record("same", 9, "Culture", ["Football"], "Two");
      await writePublication(db, preparePublication(base, "base", []));
      await Promise.all([
        writePublication(db, preparePublication(one, "one", [])),
        writePublication(db, preparePublication(two, "two", [])),
      ]);
      const lists = await storedLists();
      const winner = (await db
        .prepare("SELECT part, text FROM article_parts WHERE slug = 'same' AND part = 'source'")
        .first<{ text: string }>())!.text;
      const chosen = winner === "one" ? one : two;
      expect(new Map([...lists].sort(([a], [b]) => (a < b ? -1 : 1)))).toEqual(
        modelLists([record("older", 1, "News", ["Oil"]), record("newer", 5, "Business", ["Rail"]), chosen]),
      );
    }
  });
});
