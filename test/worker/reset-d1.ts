// Empties D1 (every table of the schema but the migrations' own, and the parts databases) and R2 between workerd tests
// that fill them afresh.
import { resetParts } from "./shards.ts";

const TABLES = [
  "articles",
  "article_parts",
  "memberships",
  "facets",
  "touched_scopes",
  "lists",
  "list_changes",
  "write_guard",
  "drafts",
  "images",
  "image_refs",
  "retired_ids",
  "redirects",
  "registries",
  "state",
];

export async function resetD1(db: D1Database, bucket?: R2Bucket): Promise<void> {
  await db.batch(TABLES.map((table) => db.prepare(`DELETE FROM ${table}`)));
  await resetParts();
  if (!bucket) return;
  const { objects } = await bucket.list();
  if (objects.length) await bucket.delete(objects.map((o) => o.key));
}
