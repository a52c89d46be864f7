// Tags a Workers Caching purge could not take (src/runtime/edge-cache.ts), kept in D1's `state` table until the next
// scheduled run purges them: one row per tag, `purge:{tag}` → the time it was last queued (epoch ms).
import { callStore } from "../core/errors.ts";
import type { PurgeQueue } from "../runtime/edge-cache.ts";

const PREFIX = "purge:";
/** The key after every `purge:…` key (';' follows ':'), so queued tags are one range over the primary key. */
const END = "purge;";

const query = <T>(operation: string, run: () => Promise<T>): Promise<T> => callStore("d1", operation, run);

/** The purge queue in `db`. */
export function createD1PurgeQueue(db: D1Database, now: () => Date = () => new Date()): PurgeQueue {
  return {
    async add(tags) {
      if (tags.length === 0) return;
      const insert = db.prepare("INSERT INTO state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
      const at = String(now().getTime());
      await query("purge queue write", () => db.batch(tags.map((tag) => insert.bind(PREFIX + tag, at))));
    },
    async pending(limit) {
      const { results } = await query("purge queue", () =>
        db
          .prepare("SELECT key FROM state WHERE key >= ?1 AND key < ?2 ORDER BY key LIMIT ?3")
          .bind(PREFIX, END, limit + 1)
          .all<{ key: string }>(),
      );
      const tags = results.slice(0, limit).map((row) => row.key.slice(PREFIX.length));
      return { tags, more: results.length > limit };
    },
    async clear(tags, upTo) {
      const bound = upTo.getTime();
      if (tags === "all") {
        await query("purge queue clear", () =>
          db.prepare("DELETE FROM state WHERE key >= ?1 AND key < ?2 AND CAST(value AS INTEGER) <= ?3").bind(PREFIX, END, bound).run(),
        );
        return;
      }
      if (tags.length === 0) return;
      const remove = db.prepare("DELETE FROM state WHERE key = ?1 AND CAST(value AS INTEGER) <= ?2");
      await query("purge queue clear", () => db.batch(tags.map((tag) => remove.bind(PREFIX + tag, bound))));
    },
  };
}
