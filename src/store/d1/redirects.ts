// Table `redirects`: the old URLs that lead to articles (src/core/redirects.ts has the rules, migrations/0005 the
// schema): the aliases their front matter claims and the pages of slugs they had, each row naming the article by its
// id. The writes of a publish, and the one query that answers a path no route matched.
import type { PathQuery, PathRow } from "../../core/redirects.ts";
import { unrefusedRow } from "./guard.ts";

const guarded = unrefusedRow("j.value ->> 'key'");

/** An article change's redirect rows: its key, its id, and its RedirectPlan (src/core/publish/store.ts). */
export interface RedirectRow {
  key: string;
  id: string;
  page: string;
  aliases: readonly string[];
  moved: readonly string[];
  ids: readonly string[];
}

/** A retired article's page: it answers 410 from now on (its row leads to a retired id). */
export interface RetiredPage {
  key: string;
  id: string;
  page: string;
}

/**
 * The statements storing what the changes make of old URLs, in order: the aliases the articles' earlier versions
 * claimed go; rows of ids the articles no longer have follow them; the pages of slugs they had and the retired
 * articles' pages lead to their ids; no row leads away from a stored article's own page; the aliases claimed now.
 */
export function writeRedirects(db: D1Database, rows: readonly RedirectRow[], retired: readonly RetiredPage[]): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  if (rows.length) {
    const json = JSON.stringify(rows);
    statements.push(
      db
        .prepare(
          `DELETE FROM redirects WHERE kind = 'alias' AND id IN (
             SELECT j.value ->> 'id' FROM json_each(?1) j WHERE ${guarded}
             UNION ALL SELECT i.value FROM json_each(?1) j, json_each(j.value -> 'ids') i WHERE ${guarded})`,
        )
        .bind(json),
      db
        .prepare(
          `UPDATE redirects SET id = m.id FROM (
             SELECT i.value AS old, j.value ->> 'id' AS id FROM json_each(?1) j, json_each(j.value -> 'ids') i WHERE ${guarded}) m
           WHERE redirects.id = m.old`,
        )
        .bind(json),
    );
  }
  const pages = [
    ...rows.flatMap((r) => r.moved.map((page) => ({ key: r.key, id: r.id, path: page }))),
    ...retired.map((r) => ({ key: r.key, id: r.id, path: r.page })),
  ];
  if (pages.length) statements.push(upsert(db, pages, "page"));
  if (rows.length) {
    statements.push(
      db
        .prepare(`DELETE FROM redirects WHERE path IN (SELECT j.value ->> 'page' FROM json_each(?1) j WHERE ${guarded})`)
        .bind(JSON.stringify(rows)),
    );
    const aliases = rows.flatMap((r) => r.aliases.map((alias) => ({ key: r.key, id: r.id, path: alias })));
    if (aliases.length) statements.push(upsert(db, aliases, "alias"));
  }
  return statements;
}

/** Rows of (key, id, path) of one kind, replacing any row at the same path (the guard has checked an alias is free). */
function upsert(db: D1Database, rows: readonly { key: string; id: string; path: string }[], kind: "page" | "alias"): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO redirects (path, id, kind) SELECT j.value ->> 'path', j.value ->> 'id', ?2 FROM json_each(?1) j WHERE ${guarded}
       ON CONFLICT (path) DO UPDATE SET id = excluded.id, kind = excluded.kind`,
    )
    .bind(JSON.stringify(rows), kind);
}

/**
 * What a path no route answers may be, in one statement (four indexed lookups): a stored path leading to an article
 * published at `now`; a stored path whose article is gone (its id retired, and no article published at `now` holds
 * it); an article published at `now` with the permalink rule's slug, or which had that slug. Rows of articles not yet
 * out are not returned, so an embargoed article's old URL reads exactly as an unknown path.
 */
export function pathRows(db: D1Database, query: PathQuery, now: Date, page: string | null): D1PreparedStatement {
  return db
    .prepare(
      `SELECT 'path' AS source, a.slug AS slug, a.published AS published FROM redirects r JOIN articles a ON a.id = r.id
         WHERE r.path IN (SELECT value FROM json_each(?1)) AND a.published <= ?3
       UNION ALL SELECT 'gone', NULL, NULL FROM redirects r JOIN retired_ids t ON t.id = r.id
         WHERE r.path IN (SELECT value FROM json_each(?1))
           AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = r.id AND a.published <= ?3)
       UNION ALL SELECT 'rule', slug, published FROM articles WHERE slug = ?2 AND published <= ?3
       UNION ALL SELECT 'rule', a.slug, a.published FROM redirects r JOIN articles a ON a.id = r.id
         WHERE r.path = ?4 AND a.published <= ?3`,
    )
    .bind(JSON.stringify(query.paths), query.rule?.slug ?? null, now.getTime(), page);
}

/** The rows `pathRows` returned, as the core reads them. */
export function pathRowsOf(rows: readonly { source: string; slug: string | null; published: number | null }[]): PathRow[] {
  return rows.map((row): PathRow => {
    if (row.source === "gone") return { source: "gone" };
    return { source: row.source as "path" | "rule", slug: row.slug!, published: new Date(row.published!) };
  });
}
