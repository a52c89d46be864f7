// The publish store contract: one suite every PublishStore passes (the memory store on Node, D1 inside workerd). The
// lists are checked against their rules (src/core/publish/lists.ts) through any order of publishes, edits,
// back-dated articles and deletes, and against the memory store given the same publishes (a difference test); a
// write's conditions are answered with typed conflicts, the rest of the write going on.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Catalog, Scope } from "../../src/core/catalog.ts";
import { HOME } from "../../src/core/catalog.ts";
import { loadContent } from "../../src/core/content.ts";
import { compareListed, planLists } from "../../src/core/publish/lists.ts";
import { type Publication, preparePublication } from "../../src/core/publish/publication.ts";
import { shapingOf } from "../../src/core/publish/shaping.ts";
import type { PublishStore, StoreChange } from "../../src/core/publish/store.ts";
import type { Publisher } from "../../src/core/publishing.ts";
import { parseSettings } from "../../src/core/settings.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { createMemoryStore } from "../../src/store/memory/store.ts";
import { ITEMS, publisherOver } from "./publish-tree.ts";

export const STORE_SITE = parseSettings({
  SITE_URL: "https://news.example.com",
  SITE_TITLE: "Store contract",
  SITE_DESCRIPTION: "The store contract",
  SITE_LANGUAGE: "en",
  SITE_TIMEZONE: "UTC",
  ARCHIVE_ITEMS: "3",
});

/** One position of a list as a store holds it. */
export interface ListRow {
  slug: string;
  listed: number;
  published: number;
  removed: boolean;
}

export interface ContractStore {
  store: PublishStore;
  catalog: Catalog;
  /** Every list as stored, by scope, in position order (positions 0…n-1), and each list's count of removed positions. */
  lists(): Promise<Map<string, { rows: ListRow[]; removed: number }>>;
}

const HOUR = 3_600_000;
/** The stories' clock: dates and write instants are hours from here. */
export const T0 = Date.UTC(2026, 0, 1);
const at = (hours: number) => new Date(T0 + hours * HOUR);

/** A story's markdown: `slug` dated `hours` after T0, in `section` with `tags`. */
export function story(slug: string, hours: number, section = "News", tags: readonly string[] = ["Oil"], title = slug): string {
  return `---\ntitle: ${JSON.stringify(title)}\ndate: "${at(hours).toISOString()}"\nsection: ${section}\ntags: ${JSON.stringify(tags)}\n---\n\nBody of ${title}.\n`;
}

const bytes = (text: string) => new TextEncoder().encode(text);

/** A 1×1 PNG (no node:zlib here: the suite runs inside workerd too). */
const ONE_PIXEL_PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"),
  (c) => c.charCodeAt(0),
);

/** A publication of `text` stored as `file`, prepared as the use case prepares it. */
export async function publicationOf(file: string, text: string): Promise<Publication> {
  const content = await loadContent(createMemorySource({ [file]: text }), STORE_SITE);
  expect(content.issues).toEqual([]);
  return preparePublication(content.records[0]!, text, [], ITEMS, STORE_SITE.language);
}

/** Lists compared as data: scopes sorted. */
const sorted = (lists: Map<string, { rows: ListRow[]; removed: number }>) => new Map([...lists].sort(([a], [b]) => (a < b ? -1 : 1)));

/** The memory store's lists, as ContractStore.lists reads them. */
export function memoryLists(store: ReturnType<typeof createMemoryStore>): ContractStore["lists"] {
  return async () =>
    new Map(
      [...store.tables.lists].map(([scope, table]) => [
        scope,
        {
          rows: table.rows.map((r) => ({ slug: r.slug, listed: r.listed, published: r.published, removed: r.removed })),
          removed: table.removed,
        },
      ]),
    );
}

type Op =
  | { kind: "put"; slug: string; hours: number; section: string; tags: string[] }
  | { kind: "delete"; slug: string }
  | { kind: "wait"; hours: number };

const SLUGS = ["a", "b", "c", "d", "e", "f"];
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("put" as const),
      slug: fc.constantFrom(...SLUGS),
      // Dates around the clock: back-dated, just out, embargoed; few distinct ones, so ties are frequent.
      hours: fc.integer({ min: -3, max: 3 }),
      section: fc.constantFrom("News", "Business"),
      tags: fc.subarray(["Oil", "Rail", "Iran"]),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), slug: fc.constantFrom(...SLUGS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("wait" as const), hours: fc.integer({ min: 1, max: 3 }) }) },
);

/** Runs `ops` through a publisher, the clock starting at T0 + 10 h (dates are relative to the clock); checks each step. */
async function run(publisher: Publisher, ops: readonly Op[], lists?: ContractStore["lists"]): Promise<Date> {
  let now = 10;
  let before = lists ? await lists() : new Map();
  for (const o of ops) {
    if (o.kind === "wait") {
      now += o.hours;
      continue;
    }
    if (o.kind === "put") {
      const outcome = await publisher.putArticle(`${o.slug}.md`, bytes(story(o.slug, now + o.hours, o.section, o.tags)), { now: at(now) });
      expect(outcome.slug).toBe(o.slug);
    } else await publisher.deleteArticle(`${o.slug}.md`, at(now));
    if (!lists) continue;
    const after = await lists();
    for (const [scope, { rows, removed }] of after) {
      // Positions in the rules' order, and the removed positions counted.
      for (let i = 1; i < rows.length; i++) expect(compareListed(rows[i - 1]!, rows[i]!), `${scope} ${i}`).toBeLessThanOrEqual(0);
      expect(rows.filter((r) => r.removed).length, scope).toBe(removed);
      // Every position that was out before this write holds what it held: no write moves an article already out.
      const old = before.get(scope)?.rows ?? [];
      // (Those listed at this very instant, like this write's own, may still be ordered among themselves.)
      for (const [i, row] of old.entries()) {
        if (row.listed >= at(now).getTime()) break;
        expect({ slug: rows[i]?.slug, listed: rows[i]?.listed }, `${scope} position ${i}`).toEqual({ slug: row.slug, listed: row.listed });
        if (row.removed) expect(rows[i]!.removed).toBe(true);
      }
    }
    before = after;
  }
  return at(now);
}

/** What a reader sees of a scope at `now`: the count, the positions, the newest, every archive page. */
async function seen(catalog: Catalog, scope: Scope, now: Date) {
  const window = await catalog.window(scope, now, { newest: 10 });
  const pages = [];
  for (let from = 0; from < window.positions; from += 3) pages.push((await catalog.slice(scope, now, from, from + 3)).map((e) => e.slug));
  return { count: window.count, positions: window.positions, newest: window.entries.map((e) => e.slug), pages };
}

/** Declares the contract for one store; `open` empties it and gives it, with a way to read its lists. */
export function describeStoreContract(name: string, open: () => Promise<ContractStore>): void {
  describe(`Publish store contract: ${name}`, () => {
    it("places every entry as the list rules say, whatever the order of publishes, edits, back-dated articles and deletes", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
          const subject = await open();
          const end = await run(publisherOver(subject.store, STORE_SITE), ops, subject.lists);
          // The same publishes on the memory store leave the same lists, and readers see the same at every instant.
          const reference = createMemoryStore();
          await run(publisherOver(reference, STORE_SITE), ops);
          expect(sorted(await subject.lists())).toEqual(sorted(await memoryLists(reference)()));
          for (const now of [at(0), at(10), end, new Date(end.getTime() + 4 * HOUR)]) {
            for (const scope of [
              HOME,
              { kind: "sections", slug: "news", name: "News" },
              { kind: "tags", slug: "oil", name: "Oil" },
            ] as Scope[]) {
              expect(await seen(subject.catalog, scope, now), `${JSON.stringify(scope)} at ${now.toISOString()}`).toEqual(
                await seen(reference.catalog, scope, now),
              );
            }
          }
        }),
        { numRuns: 60 },
      );
    });

    it("places the articles of one write together, as the memory store does, whatever their dates and order", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.array(
              fc.record({
                slug: fc.constantFrom(...SLUGS, "g", "h"),
                hours: fc.integer({ min: -4, max: 4 }),
                section: fc.constantFrom("News", "Business"),
              }),
              { minLength: 1, maxLength: 6 },
            ),
            {
              minLength: 1,
              maxLength: 3,
            },
          ),
          async (writes) => {
            const subject = await open();
            const reference = createMemoryStore();
            for (const [w, batch] of writes.entries()) {
              const now = at(10 + w);
              const uploads = batch.map((b) => ({ file: `${b.slug}.md`, bytes: bytes(story(b.slug, 10 + w + b.hours, b.section)) }));
              const answers = await publisherOver(subject.store, STORE_SITE).putArticles(uploads, now);
              expect(answers).toEqual(await publisherOver(reference, STORE_SITE).putArticles(uploads, now));
            }
            expect(sorted(await subject.lists())).toEqual(sorted(await memoryLists(reference)()));
          },
        ),
        { numRuns: 40 },
      );
    });

    it("keeps full archive pages as they are: a back-dated article and a delete change only the open page", async () => {
      const subject = await open();
      const publisher = publisherOver(subject.store, STORE_SITE);
      for (let i = 0; i < 7; i++) await publisher.putArticle(`s${i}.md`, bytes(story(`s${i}`, i)), { now: at(i) });
      const now = at(20);
      const before = await seen(subject.catalog, HOME, now);
      expect(before).toMatchObject({ count: 7, positions: 7, pages: [["s2", "s1", "s0"], ["s5", "s4", "s3"], ["s6"]] });
      // Dated before every article: it enters at the newest end, and the newest-first feed still places it by date.
      await publisher.putArticle("old.md", bytes(story("old", -5)), { now });
      const backdated = await seen(subject.catalog, HOME, now);
      expect(backdated.pages).toEqual([...before.pages.slice(0, 2), ["old", "s6"]]);
      expect(backdated.newest.at(-1)).toBe("old");
      // A delete leaves its position taken: the count drops, no page after it moves.
      await publisher.deleteArticle("s4.md", now);
      const deleted = await seen(subject.catalog, HOME, now);
      expect(deleted).toMatchObject({
        count: 7,
        positions: 8,
        pages: [
          ["s2", "s1", "s0"],
          ["s5", "s3"],
          ["old", "s6"],
        ],
      });
      // An edit keeps the article where it is, even with a new date.
      await publisher.putArticle("s1.md", bytes(story("s1", 6, "News", ["Oil"], "S1 edited")), { now });
      expect((await seen(subject.catalog, HOME, now)).pages).toEqual(deleted.pages);
    });

    it("answers a change whose file changed, whose slug, id or images are taken or gone with its conflicts, and makes the others", async () => {
      const subject = await open();
      const { store } = subject;
      const publisher = publisherOver(store, STORE_SITE);
      const now = at(10);
      await publisher.putArticle("a.md", bytes(story("a", 1)), { now });
      await publisher.putArticle("x.md", bytes(story("x", 2)), { now });
      await publisher.deleteArticle("x.md", now);
      const lists = await subject.lists();
      const change = (file: string, pub: Publication, expect: (string | null)[] = [null]): StoreChange => ({
        kind: "article",
        key: file,
        publication: pub,
        replaces: [file],
        expect: [{ file, version: expect[0]!, draft: false }],
        lists: planLists([], pub, now),
        redirects: { page: `/articles/${pub.slug}`, aliases: [], moved: [], ids: [] },
        shaping: "s",
        now,
      });
      const slugTaken = await publicationOf("c.md", `---\ntitle: C\ndate: "${at(3).toISOString()}"\nslug: a\n---\nc\n`);
      const idRetired = await publicationOf(
        "y.md",
        `---\ntitle: Y\ndate: "${at(3).toISOString()}"\nid: "https://news.example.com/articles/x"\n---\ny\n`,
      );
      // As if it named an image that was there when it was checked.
      const imageGone = await publicationOf("i.md", `---\ntitle: I\ndate: "${at(3).toISOString()}"\n---\ni\n`);
      const fine = await publicationOf("d.md", story("d", 4));
      const answers = await store.write([
        change("c.md", slugTaken),
        change("y.md", idRetired),
        change("a.md", await publicationOf("a.md", story("a", 1, "News", ["Oil"], "A again")), ["not-the-version-read"]),
        { ...change("i.md", { ...imageGone, images: ["images/gone.png"] }) },
        change("d.md", fine),
      ]);
      expect(answers).toEqual([
        { key: "c.md", ok: false, conflicts: [{ field: "slug", file: "a.md" }] },
        { key: "y.md", ok: false, conflicts: [{ field: "retired", slug: "x" }] },
        { key: "a.md", ok: false, conflicts: [{ field: "stale", file: "a.md" }] },
        { key: "i.md", ok: false, conflicts: [{ field: "image", path: "images/gone.png" }] },
        { key: "d.md", ok: true },
      ]);
      // Only d went in: every list holds what it held, and d at its end.
      const after = await subject.lists();
      for (const [scope, { rows }] of lists) expect(after.get(scope)!.rows.slice(0, rows.length), scope).toEqual(rows);
      expect((await subject.catalog.newest(HOME, at(20), 10)).map((e) => e.slug)).toEqual(["d", "a"]);
      expect(await subject.catalog.find("c")).toBeUndefined();
    });

    it("removes an image only while no article uses it, naming the articles that do", async () => {
      const { store, catalog } = await open();
      const publisher = publisherOver(store, STORE_SITE);
      await publisher.putImage("images/p.png", ONE_PIXEL_PNG, at(0));
      for (const slug of ["b", "a"]) {
        await publisher.putArticle(
          `${slug}.md`,
          bytes(`---\ntitle: ${slug}\ndate: "${at(1).toISOString()}"\nimage: /images/p.png\n---\nx\n`),
          { now: at(2) },
        );
      }
      expect(await store.write([{ kind: "delete-image", key: "images/p.png", path: "images/p.png" }])).toEqual([
        {
          key: "images/p.png",
          ok: false,
          conflicts: [
            { field: "in-use", file: "a.md" },
            { field: "in-use", file: "b.md" },
          ],
        },
      ]);
      expect(await catalog.image("images/p.png")).toMatchObject({ facts: { width: 1, height: 1 }, release: at(1) });
      for (const slug of ["a", "b"]) await publisher.deleteArticle(`${slug}.md`, at(3));
      expect(await store.write([{ kind: "delete-image", key: "p", path: "images/p.png" }])).toEqual([
        { key: "p", ok: true, deleted: true },
      ]);
      expect(await store.write([{ kind: "delete-image", key: "p", path: "images/p.png" }])).toEqual([
        { key: "p", ok: true, deleted: false },
      ]);
    });

    it("records the settings each article and registry is stored under, finds the stale ones newest first, and restamps only the version read", async () => {
      const { store } = await open();
      const old = publisherOver(store, STORE_SITE);
      const moved = { ...STORE_SITE, url: "https://moved.example.com" };
      await old.putRegistry("authors.yaml", bytes("sara:\n  name: Sara\n"), at(0));
      for (const [slug, hours] of [
        ["a", 3],
        ["b", 1],
        ["c", 2],
        ["d", 2],
      ] as const) {
        await old.putArticle(`${slug}.md`, bytes(story(slug, hours)), { now: at(5) });
      }
      const files = ["a.md", "b.md", "c.md", "d.md"];
      const read = await store.read({ files, registries: ["authors.yaml"], registryTexts: ["authors.yaml"] });
      expect(new Set([...read.articles.values()].map((a) => a.shaping))).toEqual(new Set([shapingOf(STORE_SITE)]));
      expect(read.registries.get("authors.yaml")!.shaping).toBe(shapingOf(STORE_SITE));
      expect(read.registryTexts.get("authors.yaml")).toBe("sara:\n  name: Sara\n");
      expect((await store.read({ stale: { shaping: shapingOf(STORE_SITE), limit: 10 } })).stale).toEqual({ slugs: [], more: false });
      // Under other settings: newest first (publication time, then slug, descending), `limit` at a time.
      for (const shaping of ["", "zzzz", shapingOf(moved)]) {
        expect((await store.read({ stale: { shaping, limit: 3 } })).stale, shaping).toEqual({ slugs: ["a", "d", "c"], more: true });
        expect((await store.read({ stale: { shaping, limit: 4 } })).stale, shaping).toEqual({ slugs: ["a", "d", "c", "b"], more: false });
      }
      // A restamp records other settings, only while the file holds the version read; nothing else changes.
      const answers = await store.write([
        {
          kind: "restamp",
          key: "a.md",
          expect: [{ file: "a.md", version: read.articles.get("a.md")!.version, draft: false }],
          shaping: "x",
        },
        { kind: "restamp", key: "b.md", expect: [{ file: "b.md", version: "not-the-version-read", draft: false }], shaping: "x" },
      ]);
      expect(answers).toEqual([
        { key: "a.md", ok: true },
        { key: "b.md", ok: false, conflicts: [{ field: "stale", file: "b.md" }] },
      ]);
      const after = await store.read({ files });
      expect(after.articles.get("a.md")).toEqual({ ...read.articles.get("a.md"), shaping: "x" });
      expect(after.articles.get("b.md")).toEqual(read.articles.get("b.md"));
      // Two stale values: the nearest below and the nearest above the current one, each newest first.
      expect((await store.read({ stale: { shaping: shapingOf(STORE_SITE), limit: 10 } })).stale).toEqual({ slugs: ["a"], more: false });
      expect((await store.read({ stale: { shaping: "w", limit: 10 } })).stale).toEqual({ slugs: ["a", "d", "c", "b"], more: false });
      // The scheduled run's step through the use case: every article current again, the restamped one too.
      const step = await publisherOver(store, moved).refreshShaping(at(6), 3);
      expect(step.articles.map((a) => a.file)).toEqual(["a.md", "d.md", "c.md"]);
      expect(step.more).toBe(true);
      expect((await store.read({ stale: { shaping: shapingOf(moved), limit: 10 } })).stale).toEqual({ slugs: ["b"], more: false });
      const refreshed = await store.read({ files: ["a.md"], registries: ["authors.yaml"] });
      expect(refreshed.articles.get("a.md")).toMatchObject({
        shaping: shapingOf(moved),
        id: read.articles.get("a.md")!.id,
        published: read.articles.get("a.md")!.published,
      });
      expect(refreshed.registries.get("authors.yaml")!.shaping).toBe(shapingOf(moved));
    });

    it("pages the manifest by path, in the order SQLite sorts text", async () => {
      const { store } = await open();
      const publisher = publisherOver(store, STORE_SITE);
      for (const file of ["b/z.md", "a.md", "a-b.md", "Z.md", "b/y.md"])
        await publisher.putArticle(file, bytes(story(file, 1)), { now: at(2) });
      await publisher.putRegistry("authors.yaml", bytes("sara:\n  name: Sara\n"), at(2));
      const seenPaths: string[] = [];
      let after = "";
      for (let page = 0; page < 10; page++) {
        const { entries, next } = await store.manifest(after, 2, shapingOf(STORE_SITE));
        seenPaths.push(...entries.map((e) => e.path));
        // Stored under the settings asked about: nothing is stale.
        for (const entry of entries) expect(entry.stale).toBeUndefined();
        if (next === null) break;
        after = next;
      }
      expect(seenPaths).toEqual(["Z.md", "a-b.md", "a.md", "authors.yaml", "b/y.md", "b/z.md"]);
      // Asked about other settings (a worker whose SITE_URL changed): every article and registry is stale.
      await publisher.putArticle("c/draft.md", bytes(story("c/draft.md", 1).replace("---\n\n", "draft: true\n---\n\n")), { now: at(2) });
      await publisher.putImage("images/x.png", ONE_PIXEL_PNG, at(2));
      const other = await store.manifest("", 100, shapingOf({ ...STORE_SITE, url: "https://moved.example" }));
      expect(other.entries.map((e) => `${e.path} ${e.kind}${e.stale ? " stale" : ""}`)).toEqual([
        "Z.md article stale",
        "a-b.md article stale",
        "a.md article stale",
        "authors.yaml registry stale",
        "b/y.md article stale",
        "b/z.md article stale",
        "c/draft.md draft",
        "images/x.png image",
      ]);
    });
  });
}
