// The sample content a new user opens first (articles/): every image it shows is a local file that exists and is
// served, none points at a host that does not exist, and each is credited as the illustration it is.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { HOME } from "../../src/core/catalog.ts";
import { catalogFromSource } from "../../src/core/memory-catalog.ts";
import { parseSettings } from "../../src/core/settings.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { appOver } from "../support/app.ts";

const ARTICLES = fileURLToPath(new URL("../../articles/", import.meta.url));
const site = parseSettings({
  SITE_URL: "http://localhost:8787",
  SITE_TITLE: "The New Region",
  SITE_DESCRIPTION: "Sample",
  SITE_LANGUAGE: "en",
  SITE_TIMEZONE: "Europe/London",
});
const NOW = new Date("2030-01-01T00:00:00Z");
const source = createDirectorySource(ARTICLES);
const catalog = catalogFromSource(source, site, { log: () => {} });
const app = appOver({ source, site, now: () => NOW, log: () => {}, loadCatalog: () => catalog });

describe("the sample articles' images", () => {
  it("are local files, served with the size the feeds announce", async () => {
    const articles = await catalog.articles(await catalog.newest(HOME, NOW, 100));
    expect(articles.length).toBeGreaterThanOrEqual(4);
    for (const article of articles) {
      const urls = [...article.html.matchAll(/<img[^>]* src="([^"]+)"/g)].map((m) => m[1]!);
      expect(article.image, article.slug).toBeDefined();
      expect(urls, article.slug).toContain(article.image!.url);
      for (const url of urls) {
        expect(url.startsWith(`${site.url}/images/`), `${article.slug}: ${url}`).toBe(true);
        const res = await app.request(url.slice(site.url.length));
        expect(res.status, url).toBe(200);
        expect((await res.arrayBuffer()).byteLength).toBe(url === article.image!.url ? article.image!.length : expect.any(Number));
      }
      expect(article.image!.width && article.image!.height, article.slug).toBeTruthy();
    }
  });

  it("are credited as illustrations, in the article's language", async () => {
    const articles = await catalog.articles(await catalog.newest(HOME, NOW, 100));
    for (const article of articles) expect(article.image!.credit, article.slug).toMatch(/^(Illustration|تصویرسازی): edge-feeds$/);
  });

  it("no author's picture points elsewhere either", async () => {
    const articles = await catalog.articles(await catalog.newest(HOME, NOW, 100));
    const avatars = articles.flatMap((a) => a.authors.flatMap((author) => (author.avatar ? [author.avatar] : [])));
    for (const avatar of avatars) expect(avatar.startsWith(`${site.url}/`), avatar).toBe(true);
  });
});
