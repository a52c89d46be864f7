// Items are rendered once per article version and reused across feeds: the reused text must be exactly what a fresh
// render gives, and an edited article (a new fingerprint) is never served from its old rendering.
import { describe, expect, it } from "vitest";
import { generateArchive } from "../../bench/generate-archive.ts";
import { HOME } from "../../src/core/catalog.ts";
import { loadContent } from "../../src/core/content.ts";
import { planFeed } from "../../src/core/feed-plan.ts";
import { createMemoryCatalog } from "../../src/core/memory-catalog.ts";
import { renderArticle } from "../../src/core/render.ts";
import { encodeParts } from "../../src/core/utf8.ts";
import { FORMAT_BY_ID, FORMATS, planParts, renderPlan } from "../../src/formats/index.ts";
import { jsonFeedHead } from "../../src/formats/json-feed.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { site } from "../support/site.ts";

const files = Object.fromEntries([...generateArchive({ count: 30, seed: 3 })].map((f) => [f.path, f.data]));
const source = createMemorySource(files);
const content = await loadContent(source, site);
const now = new Date("2100-01-01T00:00:00Z");

describe.each(FORMATS.map((f) => [f.id, f] as const))("%s: memoised items", (_id, format) => {
  it("are exactly a fresh render of the article, in every feed that shares it", async () => {
    const catalog = createMemoryCatalog(content, source);
    for (const limit of [20, 1, 20, 5]) {
      const plan = (await planFeed(catalog, site, now, { scope: HOME, limit }))!;
      const items = await catalog.items(plan.entries, format);
      const fresh = content.records.slice(0, limit).map((r) => format.renderItem(renderArticle(r)));
      expect(items).toEqual(fresh);
    }
  });

  it("follow an edit: the same slug with a new body renders anew", async () => {
    const first = content.records[0]!;
    const edited = { ...content, records: [{ ...first, body: "An edited body." }, ...content.records.slice(1)] };
    const catalog = createMemoryCatalog(content, source);
    const [entry] = await catalog.newest(HOME, now, 1);
    const [before] = await catalog.items([entry!], format);
    const editedCatalog = createMemoryCatalog(edited, source);
    const [editedEntry] = await editedCatalog.newest(HOME, now, 1);
    expect(editedEntry!.slug).toBe(entry!.slug);
    expect(editedEntry!.fingerprint).not.toBe(entry!.fingerprint);
    const [after] = await editedCatalog.items([editedEntry!], format);
    expect(after).toContain("An edited body.");
    expect(after).not.toBe(before);
  });
});

describe("JSON Feed text", () => {
  it.each([
    ["twenty items", { limit: 20 }],
    ["one item", { limit: 1 }],
    ["an archive page", { page: 1 }],
  ])("is exactly the typed document, feed fields indented and one item per line: %s", async (_name, request) => {
    const hubSite = { ...site, websubHub: "https://hub.example.com/" };
    const catalog = createMemoryCatalog(content, source);
    const plan = (await planFeed(catalog, hubSite, now, { scope: HOME, ...request }))!;
    const text = await renderPlan(catalog, plan, FORMAT_BY_ID.json);
    const items = (await catalog.articles(plan.entries)).map((a) => JSON.parse(FORMAT_BY_ID.json.renderItem(a)));
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify({ ...jsonFeedHead(plan.head), items })));
    const lines = text.split("\n");
    expect(lines.filter((l) => l.startsWith('    {"id":')).length).toBe(plan.entries.length);
    expect(text.endsWith("}\n")).toBe(true);
  });
});

describe.each(FORMATS.map((f) => [f.id, f] as const))("%s: the document as pieces", (_id, format) => {
  it.each([
    ["twenty items", { limit: 20 }],
    ["one item", { limit: 1 }],
    ["an archive page", { page: 1 }],
  ])("keeps every stored item a piece of its own, and encodes to the joined document's bytes: %s", async (_name, request) => {
    const catalog = createMemoryCatalog(content, source);
    const plan = (await planFeed(catalog, site, now, { scope: HOME, ...request }))!;
    const items = await catalog.items(plan.entries, format);
    const parts = await planParts(catalog, plan, format);
    expect(items.length).toBeGreaterThan(0);
    // Each item is one whole piece, in order: nothing copies it into the markup around it.
    expect(parts.filter((p) => items.includes(p))).toEqual(items);
    const joined = await renderPlan(catalog, plan, format);
    expect(parts.join("")).toBe(joined);
    expect(Buffer.from(encodeParts(parts)).equals(Buffer.from(joined, "utf8"))).toBe(true);
  });

  it("writes a document without items", async () => {
    const catalog = createMemoryCatalog(content, source);
    // Before the first article is published, the home feed is planned and empty.
    const plan = (await planFeed(catalog, site, new Date("1970-01-02T00:00:00Z"), { scope: HOME }))!;
    expect(plan.entries).toEqual([]);
    const parts = await planParts(catalog, plan, format);
    const text = parts.join("");
    if (format.id === "json") expect(JSON.parse(text).items).toEqual([]);
    else expect(text).not.toMatch(/<(item|entry)[\s>]/);
    expect(Buffer.from(encodeParts(parts)).equals(Buffer.from(text, "utf8"))).toBe(true);
  });
});
