// Settings that shape stored items (issue 17 item 9), over the memory store: the settings' fingerprint is written with
// every article and registry; an article stored under other settings is published again, by a publish of its file or
// by the scheduled run's step (`refreshShaping`), newest first and a bounded number a step; bytes that come out the
// same change no version and announce nothing; an article keeps its id and times; a new SITE_URL reaches every item,
// as feedparser reads the feed.
import { describe, expect, it } from "vitest";
import { HOME } from "../../src/core/catalog.ts";
import { shapingOf } from "../../src/core/publish/shaping.ts";
import type { Publisher } from "../../src/core/publishing.ts";
import { parseSettings, type SiteSettings } from "../../src/core/settings.ts";
import { createApp } from "../../src/http/app.ts";
import { createMemoryStore, type MemoryStore } from "../../src/store/memory/store.ts";
import { feedparser } from "../support/judges.ts";
import { publisherOver } from "../support/publish-tree.ts";

const settings = {
  SITE_URL: "https://old.example.com",
  SITE_TITLE: "The Daily",
  SITE_DESCRIPTION: "News",
  SITE_LANGUAGE: "en",
  SITE_TIMEZONE: "UTC",
};
const OLD: SiteSettings = parseSettings(settings);
const NEW_URL: SiteSettings = parseSettings({ ...settings, SITE_URL: "https://new.example.com" });
const NEW_ZONE: SiteSettings = parseSettings({ ...settings, SITE_TIMEZONE: "Europe/Berlin" });

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const at = (hours: number) => new Date(T0 + hours * HOUR);
const bytes = (text: string) => new TextEncoder().encode(text);

/** A story dated `hours` after T0; by Sara (authors.yaml) when `byline`, else by no one (the publisher is its author). */
const story = (slug: string, hours: number, byline = false) =>
  `---\ntitle: ${slug}\ndate: "${at(hours).toISOString()}"\n${byline ? "authors: [sara]\n" : ""}---\n\nSee [the desk](/desk/) on ${slug}.\n`;
const AUTHORS = "sara:\n  name: Sara Diaz\n  url: /people/sara\n";

/** A store holding authors.yaml and `count` stories (s1 oldest), published under OLD. */
async function filled(count = 5): Promise<{ store: MemoryStore; publisher: Publisher }> {
  const store = createMemoryStore();
  const publisher = publisherOver(store, OLD);
  await publisher.putRegistry("authors.yaml", bytes(AUTHORS), at(0));
  for (let n = 1; n <= count; n++) await publisher.putArticle(`s${n}.md`, bytes(story(`s${n}`, n, n % 2 === 0)), { now: at(n) });
  return { store, publisher };
}

const rows = (store: MemoryStore) => [...store.tables.articles.values()];
const NOW = at(100);

describe("settings that shape stored items", () => {
  it("are written with every article and registry, as one short fingerprint of SITE_URL, SITE_TITLE, SITE_LANGUAGE and SITE_TIMEZONE", async () => {
    const { store } = await filled(3);
    expect(rows(store).map((a) => a.shaping)).toEqual([shapingOf(OLD), shapingOf(OLD), shapingOf(OLD)]);
    expect(store.tables.registries.get("authors.yaml")!.shaping).toBe(shapingOf(OLD));
    const variants = [OLD, NEW_URL, NEW_ZONE, { ...OLD, title: "Other" }, { ...OLD, language: "fr" }];
    expect(new Set(variants.map(shapingOf)).size).toBe(variants.length);
    // Settings read when a feed is served shape no stored byte.
    expect(shapingOf({ ...OLD, feedContent: "excerpt", feedItems: 5, description: "x", rights: "©" } as SiteSettings)).toBe(shapingOf(OLD));
  });

  it("find nothing to do while nothing is stored under other settings", async () => {
    const { publisher } = await filled(3);
    expect(await publisher.refreshShaping(NOW)).toEqual({ registries: [], articles: [], refused: [], more: false });
  });

  it("bring stale articles up to date a bounded step at a time, the newest first, until none is left", async () => {
    const { store } = await filled(5);
    const publisher = publisherOver(store, NEW_URL);
    const steps = [];
    for (let run = 0; run < 4; run++) {
      const step = await publisher.refreshShaping(NOW, 2);
      steps.push({ files: step.articles.map((a) => a.file), more: step.more });
    }
    expect(steps).toEqual([
      { files: ["s5.md", "s4.md"], more: true },
      { files: ["s3.md", "s2.md"], more: true },
      { files: ["s1.md"], more: false },
      { files: [], more: false },
    ]);
    expect(rows(store).every((a) => a.shaping === shapingOf(NEW_URL))).toBe(true);
  });

  it("after a new SITE_URL: items carry the new links, the articles keep their ids and times, and the change names what to purge", async () => {
    const { store } = await filled(3);
    const before = new Map(rows(store).map((a) => [a.slug, { id: a.id, published: a.published, updated: a.updated }]));
    const publisher = publisherOver(store, NEW_URL);
    const first = await publisher.refreshShaping(NOW);
    // The registry first (Sara's page resolved on the new site), then every article, all in one step.
    expect(first.registries).toEqual(["authors.yaml"]);
    expect(first.articles.map((a) => a.result)).toEqual(["updated", "updated", "updated"]);
    expect(first.change).toMatchObject({ slugs: ["s1", "s2", "s3"], registries: ["authors.yaml"] });
    expect(first.change!.scopes).toContain("home");
    expect(new Map(rows(store).map((a) => [a.slug, { id: a.id, published: a.published, updated: a.updated }]))).toEqual(before);
    expect(JSON.parse(store.tables.registries.get("authors.yaml")!.parsed)).toEqual([
      ["sara", { key: "sara", name: "Sara Diaz", url: "https://new.example.com/people/sara" }],
    ]);

    const app = createApp({ catalog: store.catalog, site: NEW_URL, now: () => NOW });
    const xml = await (await app.request("/rss.xml")).text();
    // Only the guids keep the old address: an item's id never changes, so no reader sees an old story as new.
    expect(xml.match(/https:\/\/old\.example\.com[^<"]*/g)).toEqual([3, 2, 1].map((n) => `https://old.example.com/articles/s${n}`));
    const feed = feedparser(xml);
    expect(feed.bozo).toBe(false);
    expect(feed.entries.map((e) => [e.link, e.id])).toEqual([
      ["https://new.example.com/articles/s3", "https://old.example.com/articles/s3"],
      ["https://new.example.com/articles/s2", "https://old.example.com/articles/s2"],
      ["https://new.example.com/articles/s1", "https://old.example.com/articles/s1"],
    ]);
    expect(feed.entries.map((e) => e.published)).toEqual([at(3), at(2), at(1)].map((d) => d.getTime() / 1000));
    // Links in bodies resolve on the new site too (the body is stored once, beside the items: stored-body.ts).
    const bodies = (await store.catalog.newest(HOME, NOW, 3)).map((e) => store.tables.articles.get(e.slug)!.parts.body!);
    for (const body of bodies) expect(body).toContain("https://new.example.com/desk/");
    expect(xml.match(/https:\/\/new\.example\.com\/desk\//g)).toHaveLength(3);
  });

  it("note only the settings of an article whose bytes come out the same: no new version, no change to purge or announce", async () => {
    const { store } = await filled(3);
    const before = new Map(rows(store).map((a) => [a.slug, { version: a.version, fingerprint: a.fingerprint, parts: a.parts }]));
    const listsBefore = structuredClone([...store.tables.lists]);
    // Every date has an offset: a new zone changes no stored byte.
    const publisher = publisherOver(store, NEW_ZONE);
    const step = await publisher.refreshShaping(NOW);
    expect(step).toEqual({
      registries: [],
      articles: ["s3.md", "s2.md", "s1.md"].map((file) => ({ file, result: "unchanged" })),
      refused: [],
      more: false,
    });
    expect(new Map(rows(store).map((a) => [a.slug, { version: a.version, fingerprint: a.fingerprint, parts: a.parts }]))).toEqual(before);
    expect([...store.tables.lists]).toEqual(listsBefore);
    expect(rows(store).every((a) => a.shaping === shapingOf(NEW_ZONE))).toBe(true);
    expect(store.tables.registries.get("authors.yaml")!.shaping).toBe(shapingOf(NEW_ZONE));
    expect((await publisher.refreshShaping(NOW)).articles).toEqual([]);
  });

  it("treat articles stored before the settings were recorded ('') as stale, and find them unchanged under the same settings", async () => {
    const { store, publisher } = await filled(2);
    for (const row of rows(store)) row.shaping = "";
    store.tables.registries.get("authors.yaml")!.shaping = "";
    const step = await publisher.refreshShaping(NOW);
    expect(step.articles.map((a) => a.result)).toEqual(["unchanged", "unchanged"]);
    expect(step.change).toBeUndefined();
    expect(rows(store).map((a) => a.shaping)).toEqual([shapingOf(OLD), shapingOf(OLD)]);
  });

  it("keep the stored times of an article whose naive date another SITE_TIMEZONE would read otherwise", async () => {
    const store = createMemoryStore();
    await publisherOver(store, OLD).putArticle("n.md", bytes("---\ntitle: N\ndate: 2026-01-01 09:30\n---\nBody.\n"), { now: at(10) });
    const [before] = rows(store);
    expect(before!.published).toBe(Date.UTC(2026, 0, 1, 9, 30));
    const step = await publisherOver(store, NEW_ZONE).refreshShaping(NOW);
    expect(step.articles).toEqual([{ file: "n.md", result: "unchanged" }]);
    const [after] = rows(store);
    expect({ published: after!.published, updated: after!.updated, version: after!.version }).toEqual({
      published: before!.published,
      updated: before!.updated,
      version: before!.version,
    });
  });

  it("are brought up to date by a publish of the folder too: an unchanged file is noted, an edited one stored under the new settings", async () => {
    const { store } = await filled(2);
    const version = store.tables.articles.get("s1")!.version;
    const publisher = publisherOver(store, NEW_URL);
    // The registry first, as `npm run publish` sends it: parsed again under the new settings although its text is the same.
    const registry = await publisher.putRegistry("authors.yaml", bytes(AUTHORS), NOW);
    expect(registry.result).toBe("updated");
    const results = await publisher.putArticles(
      [
        { file: "s1.md", bytes: bytes(story("s1", 1)) },
        { file: "s2.md", bytes: bytes(story("s2", 2, true).replace("See", "Read")) },
      ],
      NOW,
    );
    expect(results.map((r) => ("outcome" in r ? r.outcome.result : r.error.message))).toEqual(["updated", "updated"]);
    expect(store.tables.articles.get("s1")!.version).not.toBe(version);
    expect(store.tables.articles.get("s2")!.parts.rss).toContain("https://new.example.com/articles/s2");
    expect(rows(store).map((a) => a.shaping)).toEqual([shapingOf(NEW_URL), shapingOf(NEW_URL)]);
    expect((await publisher.refreshShaping(NOW)).articles).toEqual([]);
  });

  it("store an article published against a registry of other settings as stale, and refresh it once the registry is current", async () => {
    const { store } = await filled(1);
    const publisher = publisherOver(store, NEW_URL);
    await publisher.putArticle("late.md", bytes(story("late", 50, true)), { now: NOW });
    // Parsed against Sara's entry as stored under the old settings: stored under those, so the refresh redoes it.
    expect(store.tables.articles.get("late")!.shaping).toBe(shapingOf(OLD));
    const step = await publisher.refreshShaping(NOW);
    expect(step.registries).toEqual(["authors.yaml"]);
    expect(step.articles.map((a) => a.file)).toEqual(["late.md", "s1.md"]);
    expect(JSON.parse(store.tables.articles.get("late")!.parts.record).authors[0].url).toBe("https://new.example.com/people/sara");
    expect(rows(store).every((a) => a.shaping === shapingOf(NEW_URL))).toBe(true);
  });

  it("leave an article whose stored source no longer passes as it is, noted as current so the next step goes on", async () => {
    const { store } = await filled(3);
    const broken = store.tables.articles.get("s3")!;
    const kept = { version: broken.version, parts: broken.parts };
    store.tables.articles.set("s3", { ...broken, parts: { ...broken.parts, source: "---\ntitle: [unclosed\n---\n" } });
    const publisher = publisherOver(store, NEW_URL);
    const first = await publisherOver(store, NEW_URL).refreshShaping(NOW, 1);
    expect(first).toMatchObject({ articles: [], refused: ["s3.md"], more: true });
    expect(store.tables.articles.get("s3")!.version).toBe(kept.version);
    const second = await publisher.refreshShaping(NOW, 1);
    expect(second.articles).toEqual([{ file: "s2.md", result: "updated" }]);
  });
});
