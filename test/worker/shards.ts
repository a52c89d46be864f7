// The parts databases the workerd tests bind (vitest.workers.config.ts): PARTS_1 and PARTS_2, beside the catalog.
import { env } from "cloudflare:test";
import { type PartsShards, partsShards } from "../../src/store/d1/parts.ts";

/** The bound parts databases, by shard number. */
export function testShardDatabases(): Map<number, D1Database> {
  const bound = env as unknown as { PARTS_1: D1Database; PARTS_2: D1Database };
  return new Map([
    [1, bound.PARTS_1],
    [2, bound.PARTS_2],
  ]);
}

/** The catalog `db` (env.DB unless given) with both parts databases, writing to `write`. */
export function testShards(write: number, db: D1Database = env.DB, databases = testShardDatabases()): PartsShards {
  return partsShards(db, databases, write);
}

/** Empties every parts database. */
export async function resetParts(): Promise<void> {
  for (const db of testShardDatabases().values()) await db.prepare("DELETE FROM article_parts").run();
}
