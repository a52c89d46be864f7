// Right to left in a real browser (issue 10 item 4): over the sample articles (one of them Persian), headless Chromium
// lays out the Persian article page, its preview, its entry in the index, its headline in the iframe list and in the
// widget on a partner's English page right to left, and everything English left to right. Screenshots are saved in
// test-results/ for a person to look at.
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { type ServerType, serve } from "@hono/node-server";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSettings } from "../../../src/core/settings.ts";
import type { App } from "../../../src/http/app.ts";
import { createDirectorySource } from "../../../src/node/directory-source.ts";
import { appOver } from "../../support/app.ts";
import { launchChromium } from "../../support/chromium.ts";
import { withAssets } from "../../support/static-assets.ts";

const ARTICLES = fileURLToPath(new URL("../../../articles/", import.meta.url));
const ARTIFACTS = new URL("../../../test-results/", import.meta.url);
mkdirSync(ARTIFACTS, { recursive: true });
const artifact = (name: string) => new URL(name, ARTIFACTS).pathname;

const NOW = new Date("2025-05-06T12:00:00Z");
const PERSIAN_TITLE = "بهره‌برداری از سه ایستگاه جدید در امتداد خط ۶ متروی تهران";

let browser: Browser;
let appServer: ServerType;
let partnerServer: Server;
let appOrigin: string;
let partnerOrigin: string;

beforeAll(async () => {
  let app: App | undefined;
  appServer = await new Promise<ServerType>((resolve) => {
    // The static assets in front of the app, as Cloudflare serves them (the stylesheets, the partner script).
    const platform = withAssets((req) => app!.fetch(req));
    const server = serve({ fetch: platform, port: 0, hostname: "127.0.0.1" }, () => resolve(server));
  });
  appOrigin = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`;
  const site = parseSettings({
    SITE_URL: appOrigin,
    SITE_TITLE: "The New Region",
    SITE_DESCRIPTION: "News and analysis from the South Caucasus, Iran and the Caspian region.",
    SITE_LANGUAGE: "en",
    SITE_TIMEZONE: "Europe/London",
  });
  app = appOver({ source: createDirectorySource(ARTICLES), site, now: () => NOW, log: () => {} });

  // The partner: an English page on another origin that embeds the widget.
  partnerServer = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title></head>
<body style="font-family: sans-serif; width: 480px"><h1>Partner news</h1>
<script src="${appOrigin}/embed.js" data-limit="10" data-thumbnails="true"></script></body></html>`);
  });
  await new Promise<void>((resolve) => partnerServer.listen(0, "127.0.0.1", resolve));
  partnerOrigin = `http://127.0.0.1:${(partnerServer.address() as AddressInfo).port}`;

  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => appServer?.close(resolve));
  await new Promise((resolve) => partnerServer?.close(resolve));
});

async function open(url: string, width = 900): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ locale: "en-GB", viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.clock.setFixedTime(NOW);
  await page.goto(url);
  return { page, close: () => context.close() };
}

/** Pixels between the right edge of `box` and the right edge of the element `inner` inside it. */
function rightEdgeGap(box: Locator, inner: string): Promise<number> {
  return box.evaluate((el, sel) => el.getBoundingClientRect().right - el.querySelector(sel)!.getBoundingClientRect().right, inner);
}

/** The computed `direction` of the first element matching `selector`. */
function direction(page: Page, selector: string): Promise<string> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => getComputedStyle(el).direction);
}

describe("a Persian article in Chromium", () => {
  it("its page reads right to left, with Persian labels and a Solar Hijri date, the site's name left to right", async () => {
    const { page, close } = await open(`${appOrigin}/articles/tehran-metro-fa`);
    expect(await direction(page, "html")).toBe("rtl");
    expect(await direction(page, "h1")).toBe("rtl");
    expect(await direction(page, "p.byline")).toBe("rtl");
    expect(await direction(page, "header a[lang=en]")).toBe("ltr");
    await expect(page.locator("p.byline").textContent()).resolves.toMatch(/^نوشتهٔ Leila Hosseini · ۲ اردیبهشت ۱۴۰۴/);
    await expect(page.locator("article > p.meta").last().textContent()).resolves.toMatch(/^بخش: News · برچسب‌ها: تهران/);
    // The lead image is a local file that loads (the sample content points at no host that does not exist).
    expect(await page.locator("figure img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1024);
    await page.screenshot({ path: artifact("article-fa.png"), fullPage: true });
    await close();
  });

  it("its preview shows the article's words right to left and the feed snippets left to right", async () => {
    const { page, close } = await open(`${appOrigin}/preview/tehran-metro-fa`);
    expect(await direction(page, "html")).toBe("ltr"); // the editors' page is in the site's language
    expect(await direction(page, "h1")).toBe("rtl");
    expect(await direction(page, 'blockquote[data-source="summary"]')).toBe("rtl");
    expect(await direction(page, "pre")).toBe("ltr");
    await page.screenshot({ path: artifact("preview-fa.png"), fullPage: true });
    await close();
  });

  it("its entry in the index and on its tag's page reads right to left among English ones", async () => {
    const { page, close } = await open(`${appOrigin}/`);
    expect(await direction(page, "ul.headlines li[lang=fa]")).toBe("rtl");
    expect(await direction(page, "ul.headlines li[lang=en]")).toBe("ltr");
    await expect(page.locator("ul.headlines li[lang=fa] a").textContent()).resolves.toBe(PERSIAN_TITLE);
    expect(await direction(page, 'strong[dir=auto]:has-text("تهران")')).toBe("rtl"); // a Persian tag's name
    expect(await direction(page, 'strong[dir=auto]:has-text("Business")')).toBe("ltr");
    await page.locator("ul.headlines").screenshot({ path: artifact("index-headlines.png") });
    await page.goto(`${appOrigin}/tags/${encodeURIComponent("مترو")}/`);
    expect(await direction(page, "h1")).toBe("rtl");
    expect(await direction(page, "ul.headlines li")).toBe("rtl");
    await close();
  });

  it("its headline in the iframe list reads right to left, the others left to right", async () => {
    const { page, close } = await open(`${appOrigin}/embed/headlines?limit=10&lang=en`, 420);
    expect(await direction(page, "html")).toBe("ltr");
    expect(await direction(page, "li[lang=fa]")).toBe("rtl");
    expect(await direction(page, "li[lang=fa] .t")).toBe("rtl");
    expect(await direction(page, "li[lang=en] .t")).toBe("ltr");
    // "2 weeks ago" is English: isolated in its own direction, at the start (right) of the Persian entry.
    expect(await direction(page, "li[lang=fa] time bdi")).toBe("ltr");
    expect(await rightEdgeGap(page.locator("li[lang=fa]"), "time bdi")).toBeLessThan(2);
    await page.screenshot({ path: artifact("iframe-fa.png"), fullPage: true });
    await close();
  });

  it("its headline in the widget on a partner's English page reads right to left, the others left to right", async () => {
    const { page, close } = await open(`${partnerOrigin}/`, 520);
    await page.waitForFunction(() => document.querySelector("edge-headlines")?.shadowRoot?.querySelector("li[lang=fa]"));
    const dirs = await page.evaluate(() => {
      const root = document.querySelector("edge-headlines")!.shadowRoot!;
      return [...root.querySelectorAll("li")].map((li) => ({
        lang: li.getAttribute("lang"),
        dir: li.getAttribute("dir"), // from headlines.json, not guessed from the text
        li: getComputedStyle(li).direction,
        title: getComputedStyle(li.querySelector(".t")!).direction,
        time: getComputedStyle(li.querySelector("time bdi")!).direction,
        // Where the time's text ends: at the entry's start, the right edge for a Persian entry.
        timeRightGap: Math.round(li.getBoundingClientRect().right - li.querySelector("time bdi")!.getBoundingClientRect().right),
      }));
    });
    expect(dirs.map(({ timeRightGap: _, ...d }) => d)).toEqual([
      { lang: "en", dir: "ltr", li: "ltr", title: "ltr", time: "ltr" },
      { lang: "en-GB", dir: "ltr", li: "ltr", title: "ltr", time: "ltr" },
      { lang: "en", dir: "ltr", li: "ltr", title: "ltr", time: "ltr" },
      { lang: "fa", dir: "rtl", li: "rtl", title: "rtl", time: "ltr" },
    ]);
    expect(dirs[3]!.timeRightGap).toBeLessThan(2);
    expect(dirs[0]!.timeRightGap).toBeGreaterThan(100);
    await page.locator("edge-headlines").screenshot({ path: artifact("widget-fa.png") });
    await close();
  });
});
