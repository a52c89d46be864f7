// The Catalog over the in-memory store's tables: the same answers as the D1 catalog over the same writes (the
// catalog contract runs on both), read the way D1's queries read (positions, tombstones, listed instants).
import type { ArticleRecord } from "../../core/article.ts";
import { ALL, type Catalog, type Entry, type Facet, type FacetKind, type ListScope, scopeKey } from "../../core/catalog.ts";
import type { ContentIssue } from "../../core/errors.ts";
import { entryOf } from "../../core/memory-catalog.ts";
import type { Article } from "../../core/model.ts";
import type { Partner } from "../../core/partners.ts";
import { reviveDates } from "../../core/publish/publication.ts";
import { articleWithBody, withBody } from "../../core/publish/stored-body.ts";
import { type PathRow, pagePathKey } from "../../core/redirects.ts";
import { slugify } from "../../core/text.ts";
import { OUTPUT_REVISION } from "../../formats/index.ts";
import type { ArticleRow, ListRow, MemoryTables } from "./tables.ts";

const entry = (row: ArticleRow): Entry => ({
  slug: row.slug,
  published: new Date(row.published),
  updated: new Date(row.updated),
  fingerprint: row.fingerprint,
});

/** Newest first by publication time, ties by slug: the feeds' order (D1: memberships_live). */
const byPublished = (a: ListRow, b: ListRow) => b.published - a.published || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);

/**
 * The Catalog over the tables; with `siteUrl`, an image an author's avatar names (by its URL, as the stored
 * authors.yaml holds it) is public from the start, as D1's catalog serves it.
 */
export function createMemoryStoreCatalog(tables: MemoryTables, siteUrl?: string): Catalog {
  const rowsOf = (scope: ListScope | string) => tables.lists.get(typeof scope === "string" ? scope : scopeKey(scope))?.rows ?? [];
  const live = (scope: ListScope | string) => rowsOf(scope).filter((r) => !r.removed);
  /** Positions taken at `now`: the list's first positions, up to the last listed by then. */
  const positionsAt = (scope: ListScope, now: Date) => {
    const rows = rowsOf(scope);
    let n = 0;
    while (n < rows.length && rows[n]!.listed <= now.getTime()) n++;
    return n;
  };
  // Removed positions are counted per list, as D1 counts them (exact at any instant after the list's last removal).
  const countAt = (scope: ListScope, now: Date) => Math.max(0, positionsAt(scope, now) - (tables.lists.get(scopeKey(scope))?.removed ?? 0));
  const out = (row: ListRow, now: Date) => !row.removed && row.listed <= now.getTime() && row.published <= now.getTime();
  const articleRow = (slug: string) => tables.articles.get(slug)!;
  const facetOf = (scope: string): Facet | undefined => {
    const rows = live(scope);
    if (rows.length === 0) return undefined;
    const slash = scope.indexOf("/");
    return { kind: scope.slice(0, slash) as FacetKind, slug: scope.slice(slash + 1), name: [...rows].sort(byPublished)[0]!.name };
  };
  const firstListed = (scope: string) => Math.min(...live(scope).map((r) => r.listed));
  const nextRelease = (now: Date, scope: ListScope = ALL) => {
    const later = live(scope).filter((r) => r.listed > now.getTime());
    return later.length ? new Date(Math.min(...later.map((r) => r.listed))) : undefined;
  };
  const newest = (scope: ListScope, now: Date, limit: number) =>
    live(scope)
      .filter((r) => out(r, now))
      .sort(byPublished)
      .slice(0, limit)
      .map((r) => entry(articleRow(r.slug)));
  const slice = (scope: ListScope, now: Date, from: number, to: number) =>
    rowsOf(scope)
      .slice(Math.max(0, from), Math.max(0, to))
      .filter((r) => !r.removed && r.listed <= now.getTime())
      .reverse()
      .map((r) => entry(articleRow(r.slug)));
  const storedArticle = (row: ReturnType<typeof articleRow>): Article =>
    articleWithBody(reviveDates<Article>(row.parts.article), row.parts.body);
  const articles = async (entries: readonly Entry[]) => entries.map((e) => storedArticle(articleRow(e.slug)));

  const catalog: Catalog = {
    async facet(kind, requested, now) {
      // Public facets only: one not yet public answers exactly as an unknown name.
      for (const slug of new Set([requested, slugify(requested)])) {
        const scope = scopeKey({ kind, slug });
        const facet = facetOf(scope);
        if (facet && firstListed(scope) <= now.getTime()) return facet;
      }
      return undefined;
    },
    async publicFacets(kind, now) {
      return [...tables.lists.keys()]
        .filter((scope) => scope.startsWith(`${kind}/`) && live(scope).length > 0 && firstListed(scope) <= now.getTime())
        .map((scope) => facetOf(scope)!)
        .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
    },
    async isPublic(scope, now) {
      return live(scope).some((r) => out(r, now));
    },
    async countPublished(scope, now) {
      return countAt(scope, now);
    },
    async newest(scope, now, limit) {
      return newest(scope, now, limit);
    },
    async slice(scope, now, from, to) {
      return to <= from ? [] : slice(scope, now, from, to);
    },
    async nextRelease(now, scope = ALL) {
      return nextRelease(now, scope);
    },
    async window(scope, now, rows) {
      return {
        count: countAt(scope, now),
        positions: positionsAt(scope, now),
        entries: "newest" in rows ? newest(scope, now, rows.newest) : rows.to <= rows.from ? [] : slice(scope, now, rows.from, rows.to),
        nextRelease: nextRelease(now, scope),
        siteNextRelease: nextRelease(now),
      };
    },
    articles,
    async items(entries, writer) {
      return entries.map((e) => {
        const row = articleRow(e.slug);
        // Items written by an older revision of the renderers, or never written (an excerpt of an article stored
        // before excerpts were), are written again from the stored article.
        const stored = row.revision === OUTPUT_REVISION ? row.parts[writer.part] : undefined;
        return stored !== undefined ? withBody(writer, stored, row.parts.body) : writer.renderItem(storedArticle(row));
      });
    },
    async find(slug, { drafts = false, publishedBy } = {}) {
      const row = tables.articles.get(slug);
      if (row && (!publishedBy || row.published <= publishedBy.getTime())) {
        return {
          entry: entry(row),
          record: reviveDates<ArticleRecord>(row.parts.record),
          warnings: JSON.parse(row.warnings) as ContentIssue[],
        };
      }
      if (row || !drafts || publishedBy) return undefined;
      const draft = [...tables.drafts.values()].filter((d) => d.slug === slug).sort((a, b) => (a.file < b.file ? -1 : 1))[0];
      if (!draft) return undefined;
      const record = reviveDates<ArticleRecord>(draft.record);
      return { entry: entryOf(record), record, warnings: JSON.parse(draft.warnings) as ContentIssue[] };
    },
    async image(path) {
      const facts = tables.images.get(path);
      if (!facts) return undefined;
      const { sha256: _sha, ...rest } = facts;
      const users = [...(tables.imageRefs.get(path) ?? [])];
      if (users.length) return { facts: rest, release: new Date(Math.min(...users.map((slug) => articleRow(slug).published))) };
      const avatar = siteUrl === undefined ? undefined : new URL(`${siteUrl}/${path}`).href;
      const authors = JSON.parse(tables.registries.get("authors.yaml")?.parsed ?? "[]") as [string, { avatar?: string }][];
      return avatar && authors.some(([, author]) => author.avatar === avatar) ? { facts: rest, release: new Date(0) } : undefined;
    },
    async imageBytes(path) {
      const object = tables.objects.get(path);
      return object ? object.bytes.slice() : undefined;
    },
    async partners() {
      const row = tables.registries.get("partners.yaml");
      return new Map(row ? (JSON.parse(row.parsed) as [string, Partner][]) : []);
    },
    async lookupPath(query, now) {
      // As D1's one statement reads them (src/store/d1/redirects.ts, pathRows): only articles out at `now` are found.
      const at = now.getTime();
      const outById = (id: string) => {
        const slug = tables.ids.get(id);
        const row = slug === undefined ? undefined : tables.articles.get(slug);
        return row && row.published <= at ? row : undefined;
      };
      const rows: PathRow[] = [];
      for (const path of query.paths) {
        const redirect = tables.redirects.get(path);
        if (!redirect) continue;
        const article = outById(redirect.id);
        if (article) rows.push({ source: "path", slug: article.slug, published: new Date(article.published) });
        else if (tables.retired.has(redirect.id)) rows.push({ source: "gone" });
      }
      if (query.rule) {
        const named = tables.articles.get(query.rule.slug);
        if (named && named.published <= at) rows.push({ source: "rule", slug: named.slug, published: new Date(named.published) });
        const moved = tables.redirects.get(pagePathKey(query.rule.slug));
        const article = moved && outById(moved.id);
        if (article) rows.push({ source: "rule", slug: article.slug, published: new Date(article.published) });
      }
      return { rows, nextRelease: nextRelease(now) };
    },
  };
  return catalog;
}
