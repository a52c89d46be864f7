// Pages people read: one date style per language (an en-GB article's date beside an en one's looks alike), an article
// dated without a time shown as a date (never "12:00 AM"), and the 404 page in the site's own style.

import { describe, expect, it } from "vitest";
import { ASSET_PATHS } from "../../src/assets/paths.ts";
import { parseSettings } from "../../src/core/settings.ts";
import { dateLocale, formatSiteTime } from "../../src/http/article-pages.ts";
import { fixtureApp } from "../support/feeds.ts";
import { SITE_INPUT, site } from "../support/site.ts";

const at = (iso: string) => new Date(iso);

describe("formatSiteTime", () => {
  it.each([
    { name: "an en article on an en site", date: "2025-05-02T04:00:00Z", lang: "en", expected: "May 2, 2025 at 05:00 AM GMT+1" },
    {
      name: "an en-GB article on an en site: the site's style",
      date: "2025-05-02T04:00:00Z",
      lang: "en-GB",
      expected: "May 2, 2025 at 05:00 AM GMT+1",
    },
    {
      name: "an article dated 2025-05-03: a date, no midnight",
      date: "2025-05-02T23:00:00Z",
      lang: "en",
      day: "2025-05-03",
      expected: "May 3, 2025",
    },
    { name: "a Persian article: Solar Hijri, Persian digits", date: "2025-04-22T09:00:00Z", lang: "fa", expected: /^۲ اردیبهشت ۱۴۰۴/ },
    { name: "a Persian article dated alone", date: "2025-04-21T23:00:00Z", lang: "fa-IR", day: "2025-04-22", expected: "۲ اردیبهشت ۱۴۰۴" },
  ])("$name", ({ date, lang, day, expected }) => {
    const shown = formatSiteTime(at(date), site, lang, day);
    if (typeof expected === "string") expect(shown).toBe(expected);
    else expect(shown).toMatch(expected);
    expect(shown).not.toMatch(/12:00|00:00/);
  });

  it.each([
    ["en", "en", "en"],
    ["en-GB", "en", "en"],
    ["en-US", "en-GB", "en-GB"],
    ["fa", "en", "fa"],
    ["fa-IR", "en", "fa"],
    ["az-Arab", "en-GB", "az-Arab"],
    ["zh-Hant-TW", "en", "zh-Hant"],
  ])("text in %s on a %s site is dated in %s", (lang, siteLanguage, expected) => {
    expect(dateLocale(lang, parseSettings({ ...SITE_INPUT, SITE_LANGUAGE: siteLanguage }))).toBe(expected);
  });
});

describe("pages show one date style per language and date-only articles as dates", () => {
  const timesOf = (html: string) => [...html.matchAll(/<time[^>]*datetime="([^"]+)"[^>]*>([^<]*)<\/time>/g)].map((m) => [m[1], m[2]]);

  it("the index: an en-GB and an en article's times in one style, the date-only one as a date", async () => {
    const html = await (await fixtureApp().request(`${site.url}/`)).text();
    const times = new Map(timesOf(html).map(([datetime, text]) => [datetime, text]));
    // caspian-corridor-analysis (en-GB, 08:00 in Baku) and q-and-a-instc (en) are timed; baku-energy-week is dated 2025-05-03.
    expect(times.get("2025-05-02T04:00:00.000Z")).toBe("May 2, 2025 at 05:00 AM GMT+1");
    expect(times.get("2025-05-05T07:45:00.000Z")).toBe("May 5, 2025 at 08:45 AM GMT+1");
    expect(times.get("2025-05-03")).toBe("May 3, 2025");
    expect(html).not.toContain("12:00 AM");
  });

  it("the article page of a date-only article: its date, no time", async () => {
    const html = await (await fixtureApp().request(`${site.url}/articles/oil-gas-baku-energy-week`)).text();
    expect(html).toMatch(/ · <time datetime="2025-05-03">May 3, 2025<\/time><\/p>/);
  });

  it("the article page of an en-GB article corrected later: both times in the site's English style", async () => {
    const html = await (await fixtureApp().request(`${site.url}/articles/caspian-corridor-analysis`)).text();
    expect(timesOf(html)).toEqual([
      ["2025-05-02T04:00:00.000Z", "May 2, 2025 at 05:00 AM GMT+1"],
      ["2025-05-04T12:30:00.000Z", "May 4, 2025 at 01:30 PM GMT+1"],
    ]);
  });
});

describe("the 404 page", () => {
  it("is in the site's style: the page shell and stylesheet of the other pages, which its CSP lets apply", async () => {
    const app = fixtureApp();
    const accept = { Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };
    const missing = await app.request(`${site.url}/no/such/page`, { headers: accept });
    expect(missing.status).toBe(404);
    const html = await missing.text();
    const index = await (await app.request(`${site.url}/`)).text();
    // The stylesheet is a static asset (src/assets/page.css), linked by every page at its fingerprinted path.
    const style = (page: string) => /<link rel="stylesheet" href="[^"]+">/.exec(page)?.[0];
    expect(style(html)).toBe(`<link rel="stylesheet" href="${site.url}${ASSET_PATHS.pageCss}">`);
    expect(style(html)).toBe(style(index));
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toMatch(/<title>404 Not Found – The New Region<\/title>/);
    expect(missing.headers.get("content-security-policy")).toContain("style-src 'self'");
    expect(missing.headers.get("content-security-policy")).not.toContain("script-src");
  });
});
