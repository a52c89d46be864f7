// A Catalog over a computed archive of any size (a million articles costs nothing until asked for), which counts what
// each call returns, so a test can show that a route reads only what it serves and never walks the archive.
import type { Catalog, Entry, Facet, ListScope } from "../../src/core/catalog.ts";
import type { Article } from "../../src/core/model.ts";
import type { SiteSettings } from "../../src/core/settings.ts";

export interface SyntheticOptions {
  count: number;
  /** Publication time of the newest article; older ones follow every `stepMs`. */
  newest: Date;
  stepMs: number;
  site: SiteSettings;
}

export interface Reads {
  /** Entries and articles returned, per call, in order. */
  calls: { method: string; returned: number }[];
}

/** Every article is in the section "World"; position p (0 = oldest) is `story-p`, updated an hour later when p % 7 = 0. */
export function syntheticCatalog({ count, newest, stepMs, site }: SyntheticOptions): { catalog: Catalog; reads: Reads } {
  const reads: Reads = { calls: [] };
  const section: Facet = { kind: "sections", slug: "world", name: "World" };
  const publishedAt = (p: number) => new Date(newest.getTime() - (count - 1 - p) * stepMs);
  const entry = (p: number): Entry => {
    const published = publishedAt(p);
    return {
      slug: `story-${p}`,
      published,
      updated: p % 7 === 0 ? new Date(published.getTime() + 3_600_000) : published,
      fingerprint: `f${p}`,
    };
  };
  /** How many positions are published at `now`. */
  const publishedCount = (now: Date) => {
    if (now.getTime() >= newest.getTime()) return count;
    const behind = Math.ceil((newest.getTime() - now.getTime()) / stepMs);
    return Math.max(0, count - behind);
  };
  const inScope = (scope: ListScope) =>
    scope.kind === "home" || scope.kind === "all" || (scope.kind === "sections" && scope.slug === "world");
  const range = (from: number, to: number): Entry[] => {
    const out: Entry[] = [];
    for (let p = to - 1; p >= from; p--) out.push(entry(p));
    return out;
  };
  const record = <T extends readonly unknown[]>(method: string, value: T): T => {
    reads.calls.push({ method, returned: value.length });
    return value;
  };
  const catalog: Catalog = {
    async facet(kind, requested, now) {
      return kind === "sections" && requested.toLowerCase() === "world" && publishedCount(now) > 0 ? section : undefined;
    },
    async publicFacets(kind, now) {
      return record("publicFacets", kind === "sections" && publishedCount(now) > 0 ? [section] : []);
    },
    async isPublic(scope, now) {
      return inScope(scope) && publishedCount(now) > 0;
    },
    async countPublished(scope, now) {
      return inScope(scope) ? publishedCount(now) : 0;
    },
    async newest(scope, now, limit) {
      if (!inScope(scope)) return [];
      const n = publishedCount(now);
      return record("newest", range(Math.max(0, n - limit), n));
    },
    async slice(scope, now, from, to) {
      if (!inScope(scope)) return [];
      return record("slice", range(from, Math.min(to, publishedCount(now))));
    },
    async nextRelease(now) {
      const n = publishedCount(now);
      return n < count ? publishedAt(n) : undefined;
    },
    async window(scope, now, rows) {
      const entries =
        "newest" in rows ? await catalog.newest(scope, now, rows.newest) : await catalog.slice(scope, now, rows.from, rows.to);
      const next = await catalog.nextRelease(now);
      const count = await catalog.countPublished(scope, now);
      return {
        count,
        positions: count,
        entries,
        nextRelease: await catalog.nextRelease(now, scope),
        siteNextRelease: next,
      };
    },
    async articles(entries) {
      return record(
        "articles",
        entries.map((e): Article => {
          const p = Number(e.slug.slice("story-".length));
          const url = `${site.url}/articles/${e.slug}`;
          return {
            file: `${e.slug}.md`,
            slug: e.slug,
            id: url,
            idIsUrl: true,
            title: p % 2 ? `Story ${p} & <more>` : `خبر ${p}`,
            url,
            siteUrl: `${site.url}/`,
            published: e.published,
            updated: e.updated,
            authors: [],
            section: "World",
            tags: [],
            lang: p % 2 ? undefined : "fa",
            summary: `Summary ${p}`,
            html: `<p>Body ${p}</p>`,
          };
        }),
      );
    },
    async items() {
      throw new Error("not used");
    },
    async find() {
      return undefined;
    },
    async image() {
      return undefined;
    },
    async imageBytes() {
      return undefined;
    },
    async partners() {
      return new Map();
    },
    async lookupPath(_query, now) {
      return { rows: [], nextRelease: await catalog.nextRelease(now) };
    },
  };
  return { catalog, reads };
}
