// The scheduled run's and the WebSub notifier's memory in D1's `state` table: the last announced version of each
// feed, the feeds to announce again, the run's clock and the tags a Workers Caching purge could not take; and the one
// query that finds what the clock released.

import type { ScopeKey } from "../../core/catalog.ts";
import { callStore } from "../../core/errors.ts";
import type { ReleasedArticle, ReleaseLedger } from "../../core/releases.ts";
import type { HubStateStore, PendingFeed } from "../../core/websub.ts";
import type { PurgeQueue } from "../../runtime/edge-cache.ts";

/**
 * Keys in `state`: `websub:{scope}` → {hub, version}; `websub-retry:{scope}` → {hub, failures, retryAt} (a bare hub
 * string, as stored before retries waited, is a feed due at once); `releases:until` → epoch ms; `purge:{tag}` → the
 * time the tag was last queued (epoch ms).
 */
const ANNOUNCED = "websub:";
const RETRY = "websub-retry:";
/** The key after every `websub-retry:…` key (';' follows ':'), so pending feeds are one range over the primary key. */
const RETRY_END = "websub-retry;";
const CLOCK = "releases:until";

const query = <T>(operation: string, run: () => Promise<T>): Promise<T> => callStore("d1", operation, run);

/** What the hub was last told, per feed, in `db`. */
export function createD1HubState(db: D1Database): HubStateStore {
  return {
    async versions(hub, keys) {
      if (keys.length === 0) return new Map();
      const { results } = await query("hub state", () =>
        db
          .prepare("SELECT key, value FROM state WHERE key IN (SELECT ?1 || value FROM json_each(?2))")
          .bind(ANNOUNCED, JSON.stringify(keys))
          .all<{ key: string; value: string }>(),
      );
      const versions = new Map<ScopeKey, string>();
      for (const row of results) {
        const stored = JSON.parse(row.value) as { hub: string; version: string };
        // Another hub has never heard of this feed.
        if (stored.hub === hub) versions.set(row.key.slice(ANNOUNCED.length), stored.version);
      }
      return versions;
    },
    async pending() {
      const { results } = await query("hub retries", () =>
        db
          .prepare("SELECT key, value FROM state WHERE key >= ?1 AND key < ?2")
          .bind(RETRY, RETRY_END)
          .all<{ key: string; value: string }>(),
      );
      return results.map((row) => pendingFeed(row.key.slice(RETRY.length), row.value));
    },
    async save(hub, { announced, retry, settled }) {
      const upsert = db.prepare("INSERT INTO state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
      const statements = [
        ...[...announced].map(([key, version]) => upsert.bind(ANNOUNCED + key, JSON.stringify({ hub, version }))),
        ...retry.map((p) => upsert.bind(RETRY + p.key, JSON.stringify({ hub, failures: p.failures, retryAt: p.retryAt.getTime() }))),
        ...settled.map((key) => db.prepare("DELETE FROM state WHERE key = ?1").bind(RETRY + key)),
      ];
      // One batch: the versions and the retry list change together or not at all.
      if (statements.length) await query("hub state write", () => db.batch(statements));
    },
  };
}

/** A retry row's value read back; anything else than what `save` writes is a feed due at once. */
function pendingFeed(key: string, value: string): PendingFeed {
  try {
    const { failures, retryAt } = JSON.parse(value) as { failures?: unknown; retryAt?: unknown };
    if (typeof failures === "number" && typeof retryAt === "number") return { key, failures, retryAt: new Date(retryAt) };
  } catch {
    // a bare hub URL: the row of a feed pending before retries waited
  }
  return { key, failures: 0, retryAt: new Date(0) };
}

/**
 * The articles published in (?1, ?2] and their lists: a range over articles_by_published, then memberships_of_article
 * per article, so a run reads what was released, never the archive (test/worker/scheduled.test.ts checks the plan).
 */
export const RELEASED_SQL = `SELECT a.slug AS slug, a.published AS published, m.scope AS scope
  FROM articles a JOIN memberships m ON m.slug = a.slug AND m.removed = 0
  WHERE a.published > ?1 AND a.published <= ?2
  ORDER BY a.published, a.slug, m.scope`;

/** The scheduled run's clock in `db`, and the releases since it. */
export function createD1ReleaseLedger(db: D1Database): ReleaseLedger {
  return {
    async lastRun() {
      const row = await query("release clock", () =>
        db.prepare("SELECT value FROM state WHERE key = ?1").bind(CLOCK).first<{ value: string }>(),
      );
      return row ? new Date(Number(row.value)) : undefined;
    },
    async released(after, until) {
      const { results } = await query("releases", () =>
        db.prepare(RELEASED_SQL).bind(after.getTime(), until.getTime()).all<{ slug: string; published: number; scope: string }>(),
      );
      const articles: (ReleasedArticle & { scopes: string[] })[] = [];
      for (const row of results) {
        const last = articles.at(-1);
        if (last?.slug === row.slug) last.scopes.push(row.scope);
        else articles.push({ slug: row.slug, published: new Date(row.published), scopes: [row.scope] });
      }
      return articles;
    },
    async recordRun(until) {
      await query("release clock write", () =>
        db
          .prepare(
            `INSERT INTO state (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = MAX(CAST(state.value AS INTEGER), CAST(excluded.value AS INTEGER))`,
          )
          .bind(CLOCK, String(until.getTime()))
          .run(),
      );
    },
  };
}

const PURGE = "purge:";
/** The key after every `purge:…` key (';' follows ':'), so queued tags are one range over the primary key. */
const PURGE_END = "purge;";

/** Tags a Workers Caching purge could not take (src/runtime/edge-cache.ts), kept in `db` until the next scheduled run. */
export function createD1PurgeQueue(db: D1Database, now: () => Date = () => new Date()): PurgeQueue {
  return {
    async add(tags) {
      if (tags.length === 0) return;
      const insert = db.prepare("INSERT INTO state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
      const at = String(now().getTime());
      await query("purge queue write", () => db.batch(tags.map((tag) => insert.bind(PURGE + tag, at))));
    },
    async pending(limit) {
      const { results } = await query("purge queue", () =>
        db
          .prepare("SELECT key FROM state WHERE key >= ?1 AND key < ?2 ORDER BY key LIMIT ?3")
          .bind(PURGE, PURGE_END, limit + 1)
          .all<{ key: string }>(),
      );
      const tags = results.slice(0, limit).map((row) => row.key.slice(PURGE.length));
      return { tags, more: results.length > limit };
    },
    async clear(tags, upTo) {
      const bound = upTo.getTime();
      if (tags === "all") {
        await query("purge queue clear", () =>
          db.prepare("DELETE FROM state WHERE key >= ?1 AND key < ?2 AND CAST(value AS INTEGER) <= ?3").bind(PURGE, PURGE_END, bound).run(),
        );
        return;
      }
      if (tags.length === 0) return;
      const remove = db.prepare("DELETE FROM state WHERE key = ?1 AND CAST(value AS INTEGER) <= ?2");
      await query("purge queue clear", () => db.batch(tags.map((tag) => remove.bind(PURGE + tag, bound))));
    },
  };
}
