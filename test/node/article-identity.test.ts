// An article's identity over the memory store, in milliseconds: the id it was first published with survives a new
// SITE_URL, a new `canonical` and a rename; a server-side re-publish (an author's entry changed) never moves its URL,
// even where the file-name rule now reads another slug; which stored article `?replaces=` may name.
import { describe, expect, it } from "vitest";
import { parseArticle } from "../../src/core/article.ts";
import { isSameArticle, keepFirstId, planRedirects } from "../../src/core/publish/identity.ts";
import { planLists } from "../../src/core/publish/lists.ts";
import { preparePublication } from "../../src/core/publish/publication.ts";
import { shapingOf } from "../../src/core/publish/shaping.ts";
import { PublishRejectedError } from "../../src/core/publishing.ts";
import { createApp } from "../../src/http/app.ts";
import { createMemoryStore } from "../../src/store/memory/store.ts";
import { ITEMS, publisherOver } from "../support/publish-tree.ts";
import { STORE_SITE, T0 } from "../support/store-contract.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const NOW = new Date(T0 + 100 * 3_600_000);
const text = (title: string, extra = "") =>
  `---\ntitle: ${title}\ndate: "2026-01-01T09:00:00Z"\n${extra}---\nBody of ${title}, with [a link](/about/).\n`;

async function served(store: ReturnType<typeof createMemoryStore>, site = STORE_SITE, path = "/rss.xml") {
  return (await createApp({ catalog: store.catalog, site, now: () => NOW, log: () => {} }).request(`${site.url}${path}`)).text();
}

describe("the id an article was first published with", () => {
  it("survives a new SITE_URL: the links follow the new domain, the guid stays", async () => {
    const store = createMemoryStore();
    await publisherOver(store, STORE_SITE).putArticle("a.md", bytes(text("Alpha")), { now: NOW });
    // The site moved to a new domain: the same settings as STORE_SITE but SITE_URL.
    const moved = { ...STORE_SITE, url: "https://www.example.org" };
    const outcome = await publisherOver(store, moved).putArticle("a.md", bytes(text("Alpha")), { now: NOW });
    expect(outcome.result).toBe("updated");
    const rss = await served(store, moved);
    expect(rss).toContain('<guid isPermaLink="false">https://news.example.com/articles/a</guid>');
    expect(rss).toContain("<link>https://www.example.org/articles/a</link>");
    expect(rss).toContain("https://www.example.org/about/");
    expect(rss).not.toContain("https://news.example.com/about/");
  });

  it("survives a new `canonical`, and gives way to an `id` the front matter sets", async () => {
    const store = createMemoryStore();
    const publisher = publisherOver(store, STORE_SITE);
    await publisher.putArticle("a.md", bytes(text("Alpha")), { now: NOW });
    await publisher.putArticle("a.md", bytes(text("Alpha", "canonical: https://partner.example/alpha\n")), { now: NOW });
    expect(store.tables.articles.get("a")!.id).toBe("https://news.example.com/articles/a");
    await publisher.putArticle("a.md", bytes(text("Alpha", "id: tag:example.com,2026:alpha\n")), { now: NOW });
    expect(store.tables.articles.get("a")!.id).toBe("tag:example.com,2026:alpha");
    // The old id's rows follow the article: nothing was retired.
    expect([...store.tables.retired.keys()]).toEqual([]);
  });

  it.each([
    { name: "no stored article", stored: undefined, id: "https://news.example.com/articles/b", permalink: true },
    {
      name: "the same id",
      stored: { id: "https://news.example.com/articles/b" },
      id: "https://news.example.com/articles/b",
      permalink: true,
    },
    {
      name: "another id",
      stored: { id: "https://news.example.com/articles/a" },
      id: "https://news.example.com/articles/a",
      permalink: false,
    },
  ])("keepFirstId with $name", ({ stored, id, permalink }) => {
    const parsed = parseArticle("b.md", text("Bravo"), { site: STORE_SITE, authors: new Map(), image: () => null, exists: () => false });
    if (!parsed.ok) throw new Error("fixture");
    expect(keepFirstId(parsed.record, stored)).toMatchObject({ id, idIsUrl: permalink });
    // An id the front matter sets is never replaced.
    const own = parseArticle("b.md", text("Bravo", "id: urn:x:1\n"), {
      site: STORE_SITE,
      authors: new Map(),
      image: () => null,
      exists: () => false,
    });
    if (!own.ok) throw new Error("fixture");
    expect(keepFirstId(own.record, stored).id).toBe("urn:x:1");
  });
});

describe("which stored article ?replaces= may name", () => {
  const parsed = parseArticle("new.md", text("New"), { site: STORE_SITE, authors: new Map(), image: () => null, exists: () => false });
  if (!parsed.ok) throw new Error("fixture");
  const record = parsed.record;
  it.each([
    { name: "the same slug", old: { slug: "new", sourceHash: "x" }, same: true },
    { name: "the same id", old: { slug: "old", id: record.id, sourceHash: "x" }, same: true },
    { name: "the same text", old: { slug: "old", sourceHash: "h" }, same: true },
    { name: "the same date", old: { slug: "old", sourceHash: "x", published: new Date("2026-01-01T09:00:00Z") }, same: true },
    {
      name: "none of them",
      old: { slug: "old", id: "urn:other", sourceHash: "x", published: new Date("2026-01-02T09:00:00Z") },
      same: false,
    },
  ])("$name", ({ old, same }) => {
    expect(isSameArticle(old, record, "h")).toBe(same);
  });

  it("refuses another article, naming the file", async () => {
    const store = createMemoryStore();
    const publisher = publisherOver(store, STORE_SITE);
    await publisher.putArticle("b.md", bytes(text("Bravo")), { now: NOW });
    const other = text("Charlie").replace("2026-01-01T09:00:00Z", "2026-01-02T09:00:00Z");
    await expect(publisher.putArticle("c.md", bytes(other), { replaces: "b.md", now: NOW })).rejects.toThrow(PublishRejectedError);
    expect(store.tables.articles.has("b")).toBe(true);
  });
});

describe("a server-side re-publish", () => {
  it("keeps the stored slug where the file-name rule now reads another, and moves no URL", async () => {
    const store = createMemoryStore();
    // Stored under the slug an earlier rule gave "2025/Old Name.md" (spaces kept); today's rule reads "Old-Name".
    const file = "2025/Old Name.md";
    const source = text("Old rule", "author: sara\n");
    const parsed = parseArticle(file, source, {
      site: STORE_SITE,
      authors: new Map(),
      image: () => null,
      exists: () => false,
      keepSlug: "Old Name",
    });
    if (!parsed.ok) throw new Error("fixture");
    const pub = preparePublication(parsed.record, source, [], ITEMS, STORE_SITE.language);
    const [answer] = await store.write([
      {
        kind: "article",
        key: file,
        publication: pub,
        replaces: [file],
        expect: [{ file, version: null, draft: false }],
        lists: planLists([], pub, NOW),
        redirects: planRedirects(parsed.record, []),
        shaping: shapingOf(STORE_SITE),
        now: NOW,
      },
    ]);
    expect(answer!.ok).toBe(true);
    const id = store.tables.articles.get("Old Name")!.id;
    // Sara's entry changes: her articles are published again from their stored text.
    const outcome = await publisherOver(store, STORE_SITE).putRegistry("authors.yaml", bytes("sara:\n  name: Sara Ahmadi\n"), NOW);
    expect(outcome.republished).toEqual([{ file, result: "updated" }]);
    expect([...store.tables.articles.keys()]).toEqual(["Old Name"]);
    expect(store.tables.articles.get("Old Name")!.id).toBe(id);
    expect(store.tables.redirects.size).toBe(0);
    expect(await served(store)).toContain("Sara Ahmadi");
  });
});
