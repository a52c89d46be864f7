// The widget, the iframe page and the human pages in headless Chromium (Debian's, via playwright-core), with the app
// served in-process and a partner page served from a second origin.

import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSET_PATHS } from "../../../src/assets/paths.ts";
import { formatRelativeTime } from "../../../src/core/headlines.ts";
import type { App } from "../../../src/http/app.ts";
import { appOver } from "../../support/app.ts";
import { launchChromium } from "../../support/chromium.ts";
import { fixtureSite, fixtureSource, HOSTILE_TITLE, NEWS_TITLES, NOW } from "../../support/embed-fixture.ts";
import { withAssets } from "../../support/static-assets.ts";

const ARTIFACTS = new URL("../../../test-results/", import.meta.url);
mkdirSync(ARTIFACTS, { recursive: true });
const artifact = (name: string) => new URL(name, ARTIFACTS).pathname;

let browser: Browser;
let appServer: ServerType;
let partnerServer: Server;
let appOrigin: string;
let partnerOrigin: string;
/** The partner server again under another host name: a third origin that is not on the partner list. */
let strangerOrigin: string;
const partnerPages = new Map<string, string>();

// Partner CSS that would wreck an unprotected widget: inherited fonts and colours, and rules on the same tags.
const HOSTILE_CSS = `
body { font-family: "Courier New", monospace; color: rgb(200, 0, 0); letter-spacing: 3px; font-style: italic; text-transform: uppercase; }
a, a:link { color: rgb(255, 0, 0) !important; font-size: 40px !important; text-decoration: underline wavy; }
li { list-style: square; padding: 30px; background: yellow; }
ul { margin: 50px; } h2 { font-size: 50px; } img { border: 10px solid lime; } * { box-shadow: 0 0 4px purple; }
`;

function partnerPage(body: string, lang = "en"): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Partner</title><style>${HOSTILE_CSS}</style></head>
<body><h2 id="partner-heading">Partner heading</h2><ul><li><a id="partner-link" href="/somewhere">Partner link</a></li></ul>${body}</body></html>`;
}

beforeAll(async () => {
  partnerServer = createServer((req, res) => {
    const page = partnerPages.get(new URL(req.url ?? "/", "http://x").pathname);
    res.writeHead(page ? 200 : 404, { "Content-Type": "text/html; charset=utf-8" });
    res.end(page ?? "not found");
  });
  await new Promise<void>((resolve) => partnerServer.listen(0, "127.0.0.1", resolve));
  const partnerPort = (partnerServer.address() as AddressInfo).port;
  partnerOrigin = `http://127.0.0.1:${partnerPort}`;
  strangerOrigin = `http://localhost:${partnerPort}`;

  let app: App | undefined;
  appServer = await new Promise<ServerType>((resolve) => {
    // The static assets in front of the app, as Cloudflare serves them (the stylesheets, the partner script).
    const platform = withAssets((req) => app!.fetch(req));
    const server = serve({ fetch: platform, port: 0, hostname: "127.0.0.1" }, () => resolve(server));
  });
  appOrigin = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`;
  app = appOver({ source: fixtureSource([partnerOrigin]), site: fixtureSite(appOrigin), now: () => NOW, log: () => {} });

  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => appServer?.close(resolve));
  await new Promise((resolve) => partnerServer?.close(resolve));
});

async function openPartnerPage(path: string, html: string, options: { locale?: string; colorScheme?: "light" | "dark" } = {}) {
  partnerPages.set(path, html);
  const context = await browser.newContext({ locale: options.locale ?? "en-GB", colorScheme: options.colorScheme ?? "light" });
  const page = await context.newPage();
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.clock.setFixedTime(NOW);
  await page.goto(partnerOrigin + path);
  return { context, page, requests, dialogs };
}

/** The widget's list, read through its open shadow root. */
async function widgetItems(page: Page, index = 0) {
  await page.waitForFunction((i) => document.querySelectorAll("edge-headlines")[i]?.shadowRoot?.querySelector("li"), index);
  return page.evaluate((i) => {
    const root = document.querySelectorAll("edge-headlines")[i]!.shadowRoot!;
    return [...root.querySelectorAll("li")].map((li) => ({
      title: li.querySelector(".t")!.textContent,
      href: li.querySelector("a")!.getAttribute("href"),
      time: li.querySelector("time")?.textContent,
      datetime: li.querySelector("time")?.getAttribute("datetime"),
      img: li.querySelector("img")?.getAttribute("src") ?? null,
    }));
  }, index);
}

describe("embed.js on a partner page from another origin", () => {
  let context: BrowserContext;
  let page: Page;
  let requests: string[];
  let dialogs: string[];

  beforeAll(async () => {
    ({ context, page, requests, dialogs } = await openPartnerPage(
      "/news.html",
      partnerPage(
        `<div id="slot"><script src="APP/embed.js" data-section="news" data-limit="3" data-thumbnails="true" async></script></div>`,
        "de",
      ),
      { locale: "de-DE" },
    ));
  });
  afterAll(async () => context?.close());

  it("shows the section's newest headlines, honouring data-section, data-limit and data-thumbnails", async () => {
    const items = await widgetItems(page);
    expect(items.map((i) => i.title)).toEqual(NEWS_TITLES.slice(0, 3));
    expect(items[0]!.href).toBe(`${appOrigin}/articles/hostile`);
    expect(items[0]!.img).toBe(`${appOrigin}/images/photo.jpg`);
    expect(items[1]!.img).toBeNull(); // no lead image, no thumbnail
  });

  it("writes relative times in the partner page's locale", async () => {
    const items = await widgetItems(page);
    expect(items[0]!.datetime).toBe("2025-05-05T09:00:00Z");
    expect(items.map((i) => i.time)).toEqual(items.map((i) => formatRelativeTime(new Date(i.datetime!), NOW, "de")));
    expect(items[0]!.time).toBe("vor 3 Stunden");
  });

  it("shows hostile text as text and runs none of it", async () => {
    const items = await widgetItems(page);
    expect(items[0]!.title).toBe(HOSTILE_TITLE);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    const injected = await page.evaluate(() => {
      const root = document.querySelector("edge-headlines")!.shadowRoot!;
      return { scripts: root.querySelectorAll("script").length, badImages: root.querySelectorAll('img[src="x"], [onerror]').length };
    });
    expect(injected).toEqual({ scripts: 0, badImages: 0 });
  });

  it("keeps the partner's CSS out and its own CSS in", async () => {
    const styles = await page.evaluate(() => {
      const root = document.querySelector("edge-headlines")!.shadowRoot!;
      const pick = (el: Element) => {
        const s = getComputedStyle(el);
        return {
          color: s.color,
          fontSize: s.fontSize,
          fontFamily: s.fontFamily,
          letterSpacing: s.letterSpacing,
          fontStyle: s.fontStyle,
          textTransform: s.textTransform,
          listStyle: s.listStyleType,
          background: s.backgroundColor,
          boxShadow: s.boxShadow,
        };
      };
      return {
        widgetLink: pick(root.querySelector("a")!),
        widgetItem: pick(root.querySelector("li")!),
        widgetHeading: pick(root.querySelector("h2")!),
        partnerLink: pick(document.getElementById("partner-link")!),
        partnerHeading: pick(document.getElementById("partner-heading")!),
        partnerItem: pick(document.querySelector("body > ul > li")!),
      };
    });
    expect(styles.widgetLink.color).toBe("rgb(11, 87, 208)");
    expect(styles.widgetLink.fontSize).toBe("15px");
    expect(styles.widgetLink.fontFamily).not.toContain("Courier");
    expect(styles.widgetLink.letterSpacing).toBe("normal");
    expect(styles.widgetLink.fontStyle).toBe("normal");
    expect(styles.widgetLink.textTransform).toBe("none");
    expect(styles.widgetItem.listStyle).not.toBe("square");
    expect(styles.widgetItem.background).toBe("rgba(0, 0, 0, 0)");
    expect(styles.widgetItem.boxShadow).toBe("none");
    expect(styles.widgetHeading.fontSize).toBe("12px");
    // and nothing of the widget's stylesheet reaches the partner's own elements
    expect(styles.partnerLink.color).toBe("rgb(255, 0, 0)");
    expect(styles.partnerLink.fontSize).toBe("40px");
    expect(styles.partnerHeading.fontSize).toBe("50px");
    expect(styles.partnerItem.listStyle).toBe("square");
    expect(styles.partnerItem.background).toBe("rgb(255, 255, 0)");
  });

  it("is a list of links reachable with the keyboard", async () => {
    await page.locator("body").click({ position: { x: 1, y: 1 } });
    await page.keyboard.press("Tab"); // the partner's own link
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const host = document.activeElement;
      const inner = host?.shadowRoot?.activeElement;
      return { host: host?.tagName, inner: inner?.tagName, text: inner?.textContent };
    });
    expect(focused).toEqual({ host: "EDGE-HEADLINES", inner: "A", text: HOSTILE_TITLE });
    const roles = await page.locator("edge-headlines").getByRole("link").allTextContents();
    expect(roles).toEqual(NEWS_TITLES.slice(0, 3));
    await expect(page.locator("edge-headlines").getByRole("list").count()).resolves.toBe(1);
  });

  it("asks nothing of any third party and sets no cookies", async () => {
    await widgetItems(page);
    const origins = new Set(requests.map((u) => new URL(u).origin));
    expect([...origins].sort()).toEqual([partnerOrigin, appOrigin].sort());
    expect(await context.cookies()).toEqual([]);
    await page.locator("edge-headlines").screenshot({ path: artifact("widget-light.png") });
  });
});

// The page source uses a placeholder for the app origin, which is only known once the servers run.
partnerPages.set = new Proxy(partnerPages.set, {
  apply(target, thisArg, [path, html]: [string, string]) {
    return Reflect.apply(target, thisArg, [path, html.replaceAll("APP/", `${appOrigin}/`)]);
  },
});

describe("embed.js with a partner key, in dark mode", () => {
  it("uses the partner's sections, cap and utm values, and follows prefers-color-scheme", async () => {
    const { context, page } = await openPartnerPage(
      "/acme.html",
      partnerPage(`<script src="APP/embed.js" data-key="acme" data-limit="10" data-title="Latest from Test News"></script>`),
      { colorScheme: "dark" },
    );
    const items = await widgetItems(page);
    expect(items.map((i) => i.title)).toEqual([HOSTILE_TITLE, "Gas exports rise", "Ministers meet in Tbilisi"]);
    expect(items.every((i) => i.href!.endsWith("?utm_source=acme&utm_medium=widget&utm_campaign=headlines"))).toBe(true);
    expect(items.every((i) => i.img === null)).toBe(true); // thumbnails are opt-in
    const look = await page.evaluate(() => {
      const root = document.querySelector("edge-headlines")!.shadowRoot!;
      return {
        heading: root.querySelector("h2")!.textContent,
        background: getComputedStyle(root.querySelector("section")!).backgroundColor,
      };
    });
    expect(look).toEqual({ heading: "Latest from Test News", background: "rgb(21, 23, 26)" });
    await page.locator("edge-headlines").screenshot({ path: artifact("widget-dark.png") });
    await context.close();
  });

  it("stays empty and explains itself in the console for an unknown key", async () => {
    partnerPages.set("/typo.html", partnerPage(`<script src="APP/embed.js" data-key="acme-typo"></script>`));
    const context = await browser.newContext();
    const page = await context.newPage();
    const warnings: string[] = [];
    page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
    await page.goto(partnerOrigin + "/typo.html");
    await page.waitForFunction(() => (document.querySelector("edge-headlines") as HTMLElement | null)?.hidden === true);
    expect(warnings.join("\n")).toContain('unknown partner key "acme-typo"');
    await context.close();
  });
});

describe("iframe page", () => {
  const frameHtml = (src: string) => partnerPage(`<iframe id="f" title="Headlines" width="400" height="300" src="${src}"></iframe>`);

  it("renders inside a partner's page on an allowed origin", async () => {
    const { context, page } = await openPartnerPage("/frame.html", frameHtml(`APP/embed/headlines?key=acme&section=news`));
    const frame = page.frameLocator("#f");
    await expect(frame.locator("li .t").allTextContents()).resolves.toEqual(NEWS_TITLES.slice(0, 3));
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.locator("#f").screenshot({ path: artifact("iframe.png") });
    await context.close();
  });

  it("shows a partner's ?title= only inside its frame: the same URL opened as a page keeps the site's heading", async () => {
    const src = `APP/embed/headlines?key=acme&section=news&title=${encodeURIComponent("Acme picks")}`;
    const { context, page } = await openPartnerPage("/titled.html", frameHtml(src));
    await expect(page.frameLocator("#f").locator("h2").textContent()).resolves.toBe("Acme picks");
    // Chromium sends Sec-Fetch-Dest: document for a page opened in a tab, which no script can change.
    await page.goto(src.replace("APP/", `${appOrigin}/`));
    const heading = await page.locator("h2").textContent();
    expect(heading).not.toBe("Acme picks");
    expect(heading).toBe(await page.title());
    await context.close();
  });

  it("is refused by the browser on an origin the partner did not list", async () => {
    partnerPages.set("/stranger.html", frameHtml(`APP/embed/headlines?key=acme&section=news`));
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(strangerOrigin + "/stranger.html");
    await page.waitForLoadState("load");
    const child = page.frames().find((f) => f !== page.mainFrame())!;
    expect(await child.locator("li").count()).toBe(0);
    // the same page frames the public (keyless) version, which any site may use
    partnerPages.set("/stranger-public.html", frameHtml(`APP/embed/headlines?section=news`));
    await page.goto(strangerOrigin + "/stranger-public.html");
    await expect(page.frameLocator("#f").locator("li").count()).resolves.toBe(4);
    await context.close();
  });
});

describe("the fingerprinted copy of embed.js", () => {
  it("reads headlines.json at the site's root, not under /assets/", async () => {
    const pinned = `<script src="APP${ASSET_PATHS.embedJs}" data-section="news" data-limit="2"></script>`;
    const { context, page, requests } = await openPartnerPage("/pinned.html", partnerPage(pinned));
    try {
      const items = await widgetItems(page);
      expect(items.map((i) => i.title)).toEqual(NEWS_TITLES.slice(0, 2));
      expect(requests.filter((url) => url.includes("headlines.json"))).toEqual([`${appOrigin}/headlines.json?section=news&limit=2`]);
    } finally {
      await context.close();
    }
  });
});

describe("pages for people", () => {
  it("a feed opened in the browser is a styled page, not a wall of XML", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(appOrigin + "/rss.xml");
    expect(response!.headers()["content-type"]).toBe("application/xml; charset=utf-8");
    const look = await page.evaluate(() => {
      const title = document.querySelector("channel > title")!;
      const content = document.getElementsByTagName("content:encoded")[0]!;
      return {
        titleSize: getComputedStyle(title).fontSize,
        contentShown: getComputedStyle(content).display,
        banner: getComputedStyle(document.documentElement, "::before").content,
      };
    });
    expect(look.titleSize).toBe("34px"); // 2rem of the 17px root the stylesheet sets
    expect(look.contentShown).toBe("none");
    expect(look.banner).toContain("This is a news feed");
    await page.screenshot({ path: artifact("feed-in-browser.png"), timeout: 10_000 });
    await context.close();
  });

  it("the index lists the feeds and its copy button copies a feed URL", async () => {
    const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(appOrigin + "/");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Test News");
    await page.getByRole("button", { name: "Copy the News (section) feed URL" }).click();
    await page.waitForFunction(() => document.getElementById("copy-status")!.textContent !== ""); // the clipboard is async
    await expect(page.locator("#copy-status").textContent()).resolves.toBe(`Copied ${appOrigin}/sections/news/rss.xml`);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${appOrigin}/sections/news/rss.xml`);
    expect(errors).toEqual([]); // the CSP hash lets the copy script run, and 'self' the stylesheet load
    // The stylesheet is a static asset (src/assets/page.css), linked at its fingerprinted path, and applied.
    await expect(page.locator('link[rel="stylesheet"]').getAttribute("href")).resolves.toBe(appOrigin + ASSET_PATHS.pageCss);
    expect(await page.evaluate(() => getComputedStyle(document.body).maxWidth)).toBe("736px"); // 46rem
    await page.screenshot({ path: artifact("index.png"), fullPage: true });
    await context.close();
  });

  it("the 404 page is laid out in the site's style, like the index (its CSP lets the stylesheet apply)", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const look = () =>
      page.evaluate(() => {
        const body = getComputedStyle(document.body);
        return {
          maxWidth: body.maxWidth,
          font: body.fontFamily,
          size: body.fontSize,
          link: getComputedStyle(document.querySelector("a")!).color,
        };
      });
    await page.goto(appOrigin + "/");
    const index = await look();
    const response = await page.goto(appOrigin + "/no/such/page");
    expect(response!.status()).toBe(404);
    await expect(page.locator("h1").textContent()).resolves.toBe("Not Found");
    expect(await look()).toEqual(index);
    expect(index.maxWidth).not.toBe("none");
    await page.screenshot({ path: artifact("not-found.png"), fullPage: true });
    await context.close();
  });

  it("an article page and a preview page render, with hostile text inert", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(appOrigin + "/articles/hostile");
    await expect(page.locator("h1").textContent()).resolves.toBe(HOSTILE_TITLE);
    await expect(page.locator("article time").first().getAttribute("datetime")).resolves.toBe("2025-05-05T09:00:00.000Z");
    await expect(page.locator("figure figcaption").textContent()).resolves.toBe("The port at dusk. Photo: Jane Doe");
    expect(await page.locator("figure img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await page.screenshot({ path: artifact("article.png"), fullPage: true });
    await page.goto(appOrigin + "/preview/hostile");
    await expect(page.locator("h3").allTextContents()).resolves.toEqual(["RSS 2.0", "Atom 1.0", "JSON Feed 1.1"]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await context.close();
  });
});
