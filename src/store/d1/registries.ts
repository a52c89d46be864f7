// Table `registries`: authors.yaml and partners.yaml as published, their text and the parsed entries the worker reads.
import type { RegistryName } from "../../core/publishing.ts";

/** These registries' hash and parsed entries. */
export function registriesOf(db: D1Database, names: readonly RegistryName[]): D1PreparedStatement {
  return db
    .prepare("SELECT name, source_hash AS sourceHash, parsed FROM registries WHERE name IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(names));
}

/** The parsed entries of one registry (the partners the headlines read). */
export function registryEntries(db: D1Database, name: RegistryName): D1PreparedStatement {
  return db.prepare("SELECT parsed FROM registries WHERE name = ?1").bind(name);
}

/** Stores a registry: its text, and the registry parsed from it (JSON) that the worker reads. */
export function upsertRegistry(
  db: D1Database,
  name: RegistryName,
  entry: { sourceHash: string; text: string; parsed: string; warnings: string },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO registries (name, source_hash, text, parsed, warnings) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (name) DO UPDATE SET source_hash = excluded.source_hash, text = excluded.text, parsed = excluded.parsed,
         warnings = excluded.warnings`,
    )
    .bind(name, entry.sourceHash, entry.text, entry.parsed, entry.warnings);
}
