// Table `registries`: authors.yaml and partners.yaml as published, their text and the parsed entries the worker reads.
import type { RegistryName } from "../../core/publishing.ts";
import { unrefused } from "./guard.ts";

/** These registries' hash and parsed entries. */
export function registriesOf(db: D1Database, names: readonly RegistryName[]): D1PreparedStatement {
  return db
    .prepare("SELECT name, source_hash AS sourceHash, parsed, shaping FROM registries WHERE name IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(names));
}

/** These registries' stored text. */
export function registryTextsOf(db: D1Database, names: readonly RegistryName[]): D1PreparedStatement {
  return db.prepare("SELECT name, text FROM registries WHERE name IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(names));
}

/** The parsed entries of one registry (the partners the headlines read). */
export function registryEntries(db: D1Database, name: RegistryName): D1PreparedStatement {
  return db.prepare("SELECT parsed FROM registries WHERE name = ?1").bind(name);
}

/**
 * Stores a registry: its text, and the registry parsed from it (JSON) that the worker reads; only while the change
 * `key` was not refused (the guard has checked the stored one is still the one read).
 */
export function upsertRegistry(
  db: D1Database,
  name: RegistryName,
  entry: { sourceHash: string; text: string; parsed: string; warnings: string; shaping: string },
  key: string,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO registries (name, source_hash, text, parsed, warnings, shaping) SELECT ?1, ?2, ?3, ?4, ?5, ?7 WHERE ${unrefused(6)}
       ON CONFLICT (name) DO UPDATE SET source_hash = excluded.source_hash, text = excluded.text, parsed = excluded.parsed,
         warnings = excluded.warnings, shaping = excluded.shaping`,
    )
    .bind(name, entry.sourceHash, entry.text, entry.parsed, entry.warnings, key, entry.shaping);
}

/** Registries that are no longer the one read (`expect`: its hash, or null for none): refused as stale. */
export function guardRegistries(
  db: D1Database,
  rows: readonly { key: string; name: RegistryName; expect: string | null }[],
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO write_guard (key, field, holder)
       SELECT j.value ->> 'key', 'stale', j.value ->> 'name' FROM json_each(?1) j
       WHERE (SELECT source_hash FROM registries WHERE name = j.value ->> 'name') IS NOT (j.value ->> 'expect')`,
    )
    .bind(JSON.stringify(rows));
}
