// The D1 store inside workerd: the publish store contract on real local D1 and R2, and what D1 bills: a write reads
// and writes as many rows whatever the archive holds (a new, an edited, a back-dated and a deleted article).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createD1Catalog } from "../../src/store/d1/catalog.ts";
import { createD1Store } from "../../src/store/d1/store.ts";
import { publisherOver } from "../support/publish-tree.ts";
import { describeStoreContract, type ListRow, STORE_SITE, story, T0 } from "../support/store-contract.ts";
import { resetD1 } from "./reset-d1.ts";

/** Every list as stored in D1, after checking its positions are 0…n-1. */
async function d1Lists(db: D1Database = env.DB): Promise<Map<string, { rows: ListRow[]; removed: number }>> {
  const { results } = await db
    .prepare("SELECT scope, position, slug, listed, published, removed FROM memberships ORDER BY scope, position")
    .all<{ scope: string; position: number; slug: string; listed: number; published: number; removed: number }>();
  const removed = new Map(
    (await db.prepare("SELECT scope, removed FROM lists").all<{ scope: string; removed: number }>()).results.map((r) => [
      r.scope,
      r.removed,
    ]),
  );
  const lists = new Map<string, { rows: ListRow[]; removed: number }>();
  for (const row of results) {
    const list = lists.get(row.scope) ?? { rows: [], removed: removed.get(row.scope) ?? 0 };
    expect(row.position, `${row.scope} ${row.slug}`).toBe(list.rows.length);
    list.rows.push({ slug: row.slug, listed: row.listed, published: row.published, removed: row.removed === 1 });
    lists.set(row.scope, list);
  }
  return lists;
}

describeStoreContract("D1", async () => {
  await resetD1(env.DB, env.IMAGES);
  return { store: createD1Store(env.DB, env.IMAGES), catalog: createD1Catalog(env.DB, env.IMAGES), lists: () => d1Lists() };
});

/** The database, with what D1 reports every statement read and wrote (meta.rows_read and rows_written) summed. */
function metered(): { db: D1Database; rows: { read: number; written: number } } {
  const rows = { read: 0, written: 0 };
  const add = (results: D1Result | D1Result[]) => {
    for (const r of Array.isArray(results) ? results : [results]) {
      rows.read += r.meta.rows_read;
      rows.written += r.meta.rows_written;
    }
    return results;
  };
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(statement, {
      get(target, key) {
        if (key === "bind") return (...values: unknown[]) => wrap(target.bind(...values));
        if (key === "all" || key === "run") return async () => add(await target[key]());
        if (key === "first") return async () => (await target.all()).results[0] ?? null;
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const real = new WeakMap<D1PreparedStatement, D1PreparedStatement>();
  const db = new Proxy(env.DB, {
    get(target, key) {
      if (key === "prepare") {
        return (sql: string) => {
          const statement = target.prepare(sql);
          const wrapped = wrap(statement);
          real.set(wrapped, statement);
          return wrapped;
        };
      }
      if (key === "batch") return async (statements: D1PreparedStatement[]) => add(await target.batch(statements));
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, rows };
}

const HOUR = 3_600_000;
const bytes = (text: string) => new TextEncoder().encode(text);
const name = (i: number) => `s-${String(i).padStart(4, "0")}`;

/** Publishes articles s-{from} … s-{to - 1} an hour apart (dated from hour `from`), in News and tagged Oil, in batches, at `now`. */
async function fill(from: number, to: number, now: Date): Promise<void> {
  const publisher = publisherOver(createD1Store(env.DB, env.IMAGES), STORE_SITE);
  for (let i = from; i < to; i += 100) {
    const uploads = [];
    for (let j = i; j < Math.min(to, i + 100); j++) uploads.push({ file: `${name(j)}.md`, bytes: bytes(story(name(j), j)) });
    const results = await publisher.putArticles(uploads, now);
    expect(results.every((r) => "outcome" in r)).toBe(true);
  }
}

/** Rows D1 reports for one operation through the publish use case over the metered database. */
async function rowsFor(operation: (publisher: ReturnType<typeof publisherOver>) => Promise<unknown>) {
  const meter = metered();
  await operation(publisherOver(createD1Store(meter.db, env.IMAGES), STORE_SITE));
  return meter.rows;
}

describe("D1 store: no write grows with the archive", () => {
  // Row counts, not timings: D1 bills rows read and written, and a count that grows with the archive is a step whose
  // time grows with it. Lists of 30 and of 300 articles must cost the same, for every kind of write.
  it("reads and writes as many rows for a new, an edited, a back-dated and a deleted article at 30 and at 300 articles", async () => {
    await resetD1(env.DB, env.IMAGES);
    /** The four writes at hour `hour`, after everything stored (deleting `gone`): rows read and written by each. */
    const costs = async (hour: number, gone: number) => {
      const now = new Date(T0 + hour * HOUR);
      // A slug that sorts before every other: a lookup that walked a list by slug would read all of it.
      const fresh = `a-new-${hour}`;
      return {
        new: await rowsFor((p) => p.putArticle(`${fresh}.md`, bytes(story(fresh, hour - 1)), { now })),
        edit: await rowsFor((p) => p.putArticle(`${name(0)}.md`, bytes(story(name(0), 0, "News", ["Oil"], `edited at ${hour}`)), { now })),
        backdated: await rowsFor((p) => p.putArticle(`old-${hour}.md`, bytes(story(`old-${hour}`, -50)), { now })),
        deleted: await rowsFor((p) => p.deleteArticle(`${name(gone)}.md`, now)),
      };
    };
    await fill(0, 30, new Date(T0 + 30 * HOUR));
    // A first removal from each list creates its counter; the measured ones update it, at both sizes.
    await publisherOver(createD1Store(env.DB, env.IMAGES), STORE_SITE).deleteArticle(`${name(10)}.md`, new Date(T0 + 99 * HOUR));
    const small = await costs(100, 3);
    // 270 more, stored later than the writes above (so listed when stored).
    await fill(30, 300, new Date(T0 + 300 * HOUR));
    const large = await costs(1000, 4);
    expect(large).toEqual(small);
    // Every position still taken and in order (0…n-1, checked by d1Lists): 300 articles and the four written.
    expect((await d1Lists()).get("home")!.rows.length).toBe(304);
  });
});
