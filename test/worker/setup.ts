// Applies the D1 migrations before the workerd tests, as `wrangler d1 migrations apply` does for a real database: the
// catalog's to DB, the parts databases' to PARTS_1 and PARTS_2.
import { applyD1Migrations, env } from "cloudflare:test";
import { testShardDatabases } from "./shards.ts";

type Migrations = Parameters<typeof applyD1Migrations>[1];
const given = env as unknown as { TEST_MIGRATIONS: Migrations; TEST_PARTS_MIGRATIONS: Migrations };
await applyD1Migrations(env.DB, given.TEST_MIGRATIONS);
for (const db of testShardDatabases().values()) await applyD1Migrations(db, given.TEST_PARTS_MIGRATIONS);
