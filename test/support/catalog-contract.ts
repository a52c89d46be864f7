// The Catalog contract: one suite every implementation passes (in memory, the archive index, D1), checked against
// answers computed the plain way from the loaded content: filter, sort, slice.
import { beforeAll, describe, expect, it } from "vitest";
import { generateArchive } from "../../bench/archive-generator.ts";
import type { ArticleRecord } from "../../src/core/article.ts";
import { ALL, type Catalog, compareEntries, FACET_KINDS, type Facet, HOME, type ListScope, type Scope } from "../../src/core/catalog.ts";
import { type LoadedContent, loadContent } from "../../src/core/content.ts";
import { languageOf } from "../../src/core/language.ts";
import { entryOf } from "../../src/core/memory-catalog.ts";
import { renderArticle } from "../../src/core/render.ts";
import { parseSettings, type SiteSettings } from "../../src/core/settings.ts";
import { slugify } from "../../src/core/text.ts";
import { FORMATS } from "../../src/formats/index.ts";
import { createMemorySource, type MemoryFiles } from "../../src/sources/memory.ts";

export const CONTRACT_SITE: SiteSettings = parseSettings({
  SITE_URL: "https://news.example.com",
  SITE_TITLE: "Contract",
  SITE_DESCRIPTION: "The catalog contract",
  SITE_LANGUAGE: "en",
  SITE_TIMEZONE: "Europe/London",
  FEED_ITEMS: "20",
});

/**
 * A generated archive (the newest 5 still under embargo at the first clock), articles in Persian and articles kept out
 * of the site's main feeds (`main_feed: false`, one of them the newest of all, under embargo), a draft, and a partner.
 */
export function contractFiles(): MemoryFiles {
  const files: Record<string, string | Uint8Array> = Object.fromEntries(
    [...generateArchive({ count: 80, seed: 11, newest: new Date("2026-03-01T08:00:00Z") })].map((f) => [f.path, f.data]),
  );
  const extra = (title: string, date: string, more: string) => `---\ntitle: ${title}\ndate: ${date}\n${more}---\n\nBody of ${title}.\n`;
  files["extra/fa-news.md"] = extra("Khabar", "2026-02-28T10:07:00Z", "lang: fa\nsection: News\n");
  files["extra/fa-aside.md"] = extra("Hashiye", "2026-02-28T20:11:00Z", "lang: fa-IR\nmain_feed: false\ntags: [Aside]\n");
  files["extra/aside.md"] = extra("Aside", "2026-02-27T18:03:00Z", "main_feed: false\ntags: [Aside]\nsection: News\n");
  files["extra/later-aside.md"] = extra("Later aside", "2026-03-02T09:00:00Z", "main_feed: false\nlang: fa\ntags: [Later]\n");
  files["drafts/unfinished.md"] = "---\ntitle: Unfinished\ndate: 2026-01-02\ndraft: true\n---\n\nNot yet.\n";
  files["partners.yaml"] = "acme:\n  name: Acme\n  origins: [https://www.acme.example]\n";
  return files;
}

/** Declares the contract suite for one implementation; `make` builds it over the given files. */
export function describeCatalogContract(name: string, make: (files: MemoryFiles, site: SiteSettings) => Promise<Catalog>): void {
  describe(`Catalog contract: ${name}`, () => {
    const files = contractFiles();
    let content: LoadedContent;
    let catalog: Catalog;
    // Built once for the suite (inside workerd, storage written here stays for every test of the file).
    beforeAll(async () => {
      content = await loadContent(createMemorySource(files), CONTRACT_SITE);
      catalog = await make(files, CONTRACT_SITE);
    }, 120_000);

    const records = (scope: ListScope): ArticleRecord[] => content.records.filter((r) => inScope(r, scope)).sort(compareEntries);
    const published = (scope: ListScope, now: Date) => records(scope).filter((r) => r.published <= now);
    const clocks = (): Date[] => {
      const times = content.records.map((r) => r.published.getTime());
      return [new Date(0), new Date(times[4]! - 1), new Date(times[4]!), new Date(times[40]!), new Date(times[0]! + 1)];
    };
    const scopes = (): Scope[] => {
      const facets = new Map<string, Facet>();
      for (const r of content.records) {
        if (r.section) facets.set(`s/${slugify(r.section)}`, { kind: "sections", slug: slugify(r.section), name: r.section });
        for (const t of r.tags) facets.set(`t/${slugify(t)}`, { kind: "tags", slug: slugify(t), name: t });
        for (const a of r.authors) facets.set(`a/${a.key}`, { kind: "authors", slug: a.key, name: a.name });
      }
      return [HOME, ...[...facets.values()].slice(0, 12), ...languages()];
    };
    const languages = (): Facet[] => [
      { kind: "languages", slug: "en", name: "en" },
      { kind: "languages", slug: "fa", name: "fa" },
    ];
    /** Every list asked about: the feeds' scopes, and the list of every article. */
    const lists = (): ListScope[] => [ALL, ...scopes()];
    const slugs = (list: readonly { slug: string }[]) => list.map((e) => e.slug);

    it("has content that exercises it: embargoed articles, several facets of each kind, local images", async () => {
      expect(content.records.length).toBe(84);
      expect(content.records.filter((r) => r.mainFeed === false).length).toBe(3);
      expect(content.records.filter((r) => r.lang === "fa" || r.lang === "fa-IR").length).toBe(3);
      expect(content.records.filter((r) => r.published > clocks()[2]!).length).toBe(4);
      expect(content.images.size).toBeGreaterThan(5);
    });

    it("finds facets by slug and by any spelling that slugifies to it, and nothing else", async () => {
      const late = clocks().at(-1)!;
      for (const scope of scopes()) {
        if (scope.kind === "home") continue;
        expect(await catalog.facet(scope.kind, scope.slug, late), scope.slug).toEqual(
          expect.objectContaining({ kind: scope.kind, slug: scope.slug }),
        );
        if (scope.kind !== "authors") expect((await catalog.facet(scope.kind, scope.name, late))?.slug).toBe(scope.slug);
      }
      expect(await catalog.facet("sections", "no-such-section", late)).toBeUndefined();
    });

    it("finds a facet only once it is public: before its first article is out it is unknown, under any spelling", async () => {
      for (const now of clocks()) {
        for (const scope of scopes()) {
          if (scope.kind === "home") continue;
          const expected = published(scope, now).length > 0 ? scope.slug : undefined;
          const label = `${scope.kind}/${scope.slug} at ${now.toISOString()}`;
          expect((await catalog.facet(scope.kind, scope.slug, now))?.slug, label).toBe(expected);
          if (scope.kind !== "authors") expect((await catalog.facet(scope.kind, scope.name, now))?.slug, label).toBe(expected);
        }
      }
    });

    it("lists the public facets of each kind at each instant, by slug", async () => {
      for (const now of clocks()) {
        for (const kind of FACET_KINDS) {
          const expected = [...new Set(published(ALL, now).flatMap((r) => facetSlugs(r, kind)))].sort();
          expect(slugs(await catalog.publicFacets(kind, now)).map(String), `${kind} at ${now.toISOString()}`).toEqual(expected);
        }
      }
    });

    it("counts, lists the newest and slices by position from the oldest, per scope and instant", async () => {
      for (const now of clocks()) {
        for (const scope of lists()) {
          const list = published(scope, now);
          const label = `${scope.kind}/${"slug" in scope ? scope.slug : ""} at ${now.toISOString()}`;
          expect(await catalog.countPublished(scope, now), label).toBe(list.length);
          expect(await catalog.isPublic(scope, now), label).toBe(list.length > 0);
          expect(slugs(await catalog.newest(scope, now, 7)), label).toEqual(slugs(list.slice(0, 7)));
          const oldestFirst = [...list].reverse();
          for (const [from, to] of [
            [0, 5],
            [5, 10],
            [Math.max(0, list.length - 3), list.length + 5],
            [3, 3],
          ] as const) {
            expect(slugs(await catalog.slice(scope, now, from, to)), `${label} [${from}, ${to})`).toEqual(
              slugs(oldestFirst.slice(from, to).reverse()),
            );
          }
        }
      }
    });

    it("reads a feed's window in one call, exactly as the single reads answer", async () => {
      for (const now of clocks()) {
        const siteNext = await catalog.nextRelease(now);
        for (const scope of lists()) {
          const list = published(scope, now);
          const label = `${scope.kind}/${"slug" in scope ? scope.slug : ""} at ${now.toISOString()}`;
          const newest = await catalog.window(scope, now, { newest: 7 });
          expect(newest.count, label).toBe(list.length);
          expect(slugs(newest.entries), label).toEqual(slugs(list.slice(0, 7)));
          expect(newest.entries, label).toEqual(await catalog.newest(scope, now, 7));
          expect(newest.nextRelease, label).toEqual(await catalog.nextRelease(now, scope));
          expect(newest.siteNextRelease, label).toEqual(siteNext);
          for (const [from, to] of [
            [0, 5],
            [Math.max(0, list.length - 3), list.length + 5],
            [3, 3],
          ] as const) {
            const page = await catalog.window(scope, now, { from, to });
            expect(page.count, `${label} [${from}, ${to})`).toBe(list.length);
            expect(page.entries, `${label} [${from}, ${to})`).toEqual(await catalog.slice(scope, now, from, to));
          }
        }
      }
    });

    it("gives entries with the records' times and fingerprints", async () => {
      const now = clocks().at(-1)!;
      const entries = await catalog.newest(ALL, now, 100);
      expect(entries).toEqual(content.records.map(entryOf));
    });

    it("knows the next release, site-wide and per scope", async () => {
      for (const now of clocks()) {
        for (const scope of lists()) {
          const next = records(scope)
            .filter((r) => r.published > now)
            .at(-1)?.published;
          expect(await catalog.nextRelease(now, scope), `${scope.kind} at ${now.toISOString()}`).toEqual(next);
        }
        // Site-wide: every article's list, so an embargoed article kept out of the main feeds still cuts every cache.
        expect(await catalog.nextRelease(now)).toEqual(
          records(ALL)
            .filter((r) => r.published > now)
            .at(-1)?.published,
        );
      }
    });

    it("keeps an article with main_feed: false out of the site's list only: in every other list it belongs to", async () => {
      const late = clocks().at(-1)!;
      const aside = content.records.find((r) => r.file === "extra/aside.md")!;
      expect(slugs(await catalog.newest(HOME, late, 200))).not.toContain(aside.slug);
      expect(slugs(await catalog.newest(ALL, late, 200))).toContain(aside.slug);
      for (const scope of [
        { kind: "sections", slug: "news", name: "News" },
        { kind: "tags", slug: "aside", name: "Aside" },
        { kind: "languages", slug: "en", name: "en" },
      ] as const) {
        expect(slugs(await catalog.newest(scope, late, 200)), scope.slug).toContain(aside.slug);
      }
      expect(await catalog.countPublished(ALL, late)).toBe((await catalog.countPublished(HOME, late)) + 3);
    });

    it("files each article in its language's list: its lang, else the site's, one list per language whatever the region", async () => {
      const late = clocks().at(-1)!;
      expect(slugs(await catalog.publicFacets("languages", late))).toEqual(["en", "fa"]);
      const fa = await catalog.facet("languages", "fa", late);
      expect(fa).toEqual({ kind: "languages", slug: "fa", name: "fa" });
      expect((await catalog.newest(fa!, late, 10)).map((e) => e.slug).sort()).toEqual(
        content.records
          .filter((r) => r.lang?.startsWith("fa"))
          .map((r) => r.slug)
          .sort(),
      );
      // Any spelling that slugifies to it is the same list, as for every facet.
      expect((await catalog.facet("languages", "FA", late))?.slug).toBe("fa");
    });

    it("renders articles and each format's items exactly as a fresh render of the record", async () => {
      const entries = await catalog.newest(ALL, clocks().at(-1)!, 12);
      const fresh = content.records.slice(0, 12).map(renderArticle);
      expect(await catalog.articles(entries)).toEqual(fresh);
      for (const format of FORMATS) {
        expect(await catalog.items(entries, format)).toEqual(fresh.map((a) => format.renderItem(a)));
        expect(await catalog.items(entries, format.excerpt)).toEqual(fresh.map((a) => format.excerpt.renderItem(a)));
      }
      // Asked again (memoised, or read back from storage), the same.
      expect(await catalog.items(entries, FORMATS[0]!)).toEqual(fresh.map((a) => FORMATS[0]!.renderItem(a)));
    });

    it("finds an article by slug, embargoed or not, and a draft only when asked for drafts", async () => {
      for (const record of [content.records[0]!, content.records[50]!]) {
        const found = await catalog.find(record.slug);
        // A publishable article's record is found without its markdown body (the stored source holds it).
        expect(found?.record).toEqual({ ...record, body: "" });
        expect(found?.entry).toEqual(entryOf(record));
      }
      expect(await catalog.find("no-such-article")).toBeUndefined();
      expect(await catalog.find("unfinished")).toBeUndefined();
      expect((await catalog.find("unfinished", { drafts: true }))?.record.draft ?? false).toBe(name !== "archive index");
    });

    it("with publishedBy, finds only an article out by then: an embargoed one is as unknown as a draft", async () => {
      const [embargoed] = content.records;
      const at = clocks()[2]!;
      expect(embargoed!.published > at).toBe(true);
      expect(await catalog.find(embargoed!.slug, { publishedBy: at })).toBeUndefined();
      expect((await catalog.find(embargoed!.slug, { publishedBy: embargoed!.published }))?.record).toEqual({ ...embargoed!, body: "" });
      const out = content.records[50]!;
      expect((await catalog.find(out.slug, { publishedBy: at }))?.record).toEqual({ ...out, body: "" });
      expect(await catalog.find("unfinished", { publishedBy: at, drafts: true })).toBeUndefined();
    });

    it("knows each published image with its release time, and its bytes", async () => {
      for (const [path, stored] of content.images) {
        expect(await catalog.image(path)).toEqual(stored);
        expect(await catalog.imageBytes(path)).toEqual(files[path]);
      }
      expect(await catalog.image("images/nothing.jpg")).toBeUndefined();
      expect(await catalog.imageBytes("images/nothing.jpg")).toBeUndefined();
    });

    it("holds the partners", async () => {
      expect([...(await catalog.partners()).keys()]).toEqual(["acme"]);
    });
  });
}

function facetSlugs(record: ArticleRecord, kind: (typeof FACET_KINDS)[number]): string[] {
  if (kind === "sections") return record.section ? [slugify(record.section)] : [];
  if (kind === "tags") return record.tags.map(slugify);
  if (kind === "languages") return [languageOf(record.lang ?? CONTRACT_SITE.language).slug];
  return record.authors.map((a) => a.key);
}

function inScope(record: ArticleRecord, scope: ListScope): boolean {
  if (scope.kind === "all") return true;
  if (scope.kind === "home") return record.mainFeed !== false;
  return facetSlugs(record, scope.kind).includes(scope.slug);
}
