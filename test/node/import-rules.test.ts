// The importer's rules, table by table: what an input is, times and their offsets, slugs, image names, body conversion.
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/core/markdown.ts";
import { detectInput } from "../../src/import/detect.ts";
import { parseIsoTime, parseRfc822, slugFromLink } from "../../src/import/feeds.ts";
import { convertToMarkdown, expandWordPress, htmlToText, sanitizeBody } from "../../src/import/html-to-markdown.ts";
import { chooseSlug, formatSourceTime, imageFileFor } from "../../src/import/write.ts";
import { wordpressTime } from "../../src/import/wxr.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("detectInput: from the content, never the name", () => {
  it.each([
    { head: '<?xml version="1.0"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">', kind: "wxr" },
    { head: '<?xml version="1.0"?><!-- generator --><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.0/">', kind: "wxr" },
    { head: '\uFEFF<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">', kind: "rss" },
    { head: '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x.dtd"><rss version="0.91">', kind: "rss" },
    { head: '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fa">', kind: "atom" },
    { head: '<a:feed xmlns:a="http://www.w3.org/2005/Atom">', kind: "atom" },
    { head: '  {"version": "https://jsonfeed.org/version/1.1", "items": []}', kind: "json-feed" },
    { head: '{"version": "https://jsonfeed.org/version/1", "title": "x"}', kind: "json-feed" },
    { head: '{"name": "package"}', kind: "other" },
    { head: "<!doctype html><html><body>", kind: "other" },
    { head: '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', kind: "other" },
    { head: "\x89PNG\r\n", kind: "other" },
  ])("$kind: $head", ({ head, kind }) => {
    expect(detectInput(bytes(head)).kind).toBe(kind);
  });

  it("reads the declared encoding", () => {
    const latin1 = new Uint8Array([...bytes('<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Caf'), 0xe9]);
    expect(detectInput(latin1)).toEqual({ kind: "rss", encoding: "windows-1252" });
  });
});

describe("times keep the offset they were published with", () => {
  it.each([
    // WordPress: post_date is the site's wall clock, post_date_gmt UTC; the difference is the offset.
    { time: wordpressTime("2024-05-03 09:15:00", "2024-05-03 05:45:00"), zone: "UTC", expected: "2024-05-03T09:15:00+03:30" },
    { time: wordpressTime("2024-01-10 08:00:00", "2024-01-10 13:00:00"), zone: "UTC", expected: "2024-01-10T08:00:00-05:00" },
    { time: wordpressTime("2024-07-01 12:00:00", "2024-07-01 12:00:00"), zone: "UTC", expected: "2024-07-01T12:00:00Z" },
    // Drafts have no GMT time: the wall clock is read in the zone given (with its offset then: BST in July).
    { time: wordpressTime("2024-07-01 12:00:00", "0000-00-00 00:00:00"), zone: "Europe/London", expected: "2024-07-01T12:00:00+01:00" },
    { time: wordpressTime("2024-01-01 12:00:00", "0000-00-00 00:00:00"), zone: "Europe/London", expected: "2024-01-01T12:00:00Z" },
    // A spring-forward gap moves forward, as the check reads naive times.
    { time: wordpressTime("2024-03-31 01:30:00", "0000-00-00 00:00:00"), zone: "Europe/London", expected: "2024-03-31T02:30:00+01:00" },
    { time: parseRfc822("Fri, 01 Mar 2024 09:30:00 +0330"), zone: "UTC", expected: "2024-03-01T09:30:00+03:30" },
    { time: parseRfc822("Thu, 01 Feb 2024 12:00:00 GMT"), zone: "UTC", expected: "2024-02-01T12:00:00Z" },
    { time: parseRfc822("1 Feb 24 07:00 EST"), zone: "UTC", expected: "2024-02-01T07:00:00-05:00" },
    { time: parseIsoTime("2024-04-01T08:00:00+03:30"), zone: "UTC", expected: "2024-04-01T08:00:00+03:30" },
    { time: parseIsoTime("2024-04-01T08:00:00.250Z"), zone: "UTC", expected: "2024-04-01T08:00:00Z" },
  ])("$expected", ({ time, zone, expected }) => {
    expect(time).toBeDefined();
    expect(formatSourceTime(time!, zone)).toBe(expected);
  });

  it.each([
    ["0000-00-00 00:00:00", "0000-00-00 00:00:00"],
    ["2024-02-30 10:00:00", ""],
  ])("no time from %s / %s", (local, gmt) => {
    expect(wordpressTime(local, gmt)).toBeUndefined();
  });

  it.each(["Fri, 31 Feb 2024 09:30:00 +0000", "yesterday", "Fri, 01 Mar 2024 09:30:00 XYZ"])("no time from %s", (value) => {
    expect(parseRfc822(value)).toBeUndefined();
  });
});

describe("slugs", () => {
  it.each([
    { hint: "baku-tehran-rail-link", title: "x", expected: "baku-tehran-rail-link" },
    { hint: undefined, title: "Bakı Enerji Həftəsi başlayır", expected: "bakı-enerji-həftəsi-başlayır" },
    { hint: undefined, title: "مترو تهران گسترش می‌یابد", expected: "مترو-تهران-گسترش-می-یابد" },
    { hint: "a b/c?d#e%f", title: "x", expected: "a-b-c-d-e-f" },
    { hint: "..hidden", title: "x", expected: "hidden" },
    { hint: undefined, title: "!!!", expected: "post-" },
    { hint: "e\u0301te\u0301", title: "x", expected: "été" },
  ])("$hint / $title → $expected", ({ hint, title, expected }) => {
    const slug = chooseSlug(hint, title, "urn:x:1");
    if (expected.endsWith("-")) expect(slug).toMatch(/^post-[0-9a-f]{8}$/);
    else expect(slug).toBe(expected);
  });

  it("is at most 150 bytes, whole characters", () => {
    const slug = chooseSlug("ا".repeat(200), "x", "id");
    expect(new TextEncoder().encode(slug).length).toBeLessThanOrEqual(150);
    expect(slug).toBe("ا".repeat(75));
  });

  it.each([
    { link: "https://old.example/2024/05/baku-visit/", expected: "baku-visit" },
    { link: "https://old.example/2024/05/odd-guid.html", expected: "odd-guid" },
    { link: "https://old.example/fa/%D9%82%D8%B7%D8%A7%D8%B1/", expected: "قطار" },
    { link: "https://old.example/?p=12", expected: undefined },
    { link: "https://old.example/archives/123", expected: undefined },
    { link: "https://old.example/", expected: undefined },
  ])("from the link $link", ({ link, expected }) => {
    expect(slugFromLink(link)).toBe(expected);
  });
});

describe("image file names", () => {
  it.each([
    { url: "https://old.example/wp-content/uploads/2024/05/port-300x200.jpg", expected: "images/2024/05/port-300x200.jpg" },
    { url: "https://cdn.example/wp-content/uploads/sites/3/2024/05/a b.png?w=300", expected: "images/sites/3/2024/05/a-b.png" },
    { url: "https://images.example.org/x/%D8%B9%DA%A9%D8%B3.webp", expected: "images/images.example.org/x/عکس.webp" },
    { url: "https://e.example/../../etc/passwd", expected: "images/e.example/etc/passwd" },
    { url: "https://e.example/.hidden/,(odd).gif", expected: "images/e.example/hidden/odd-.gif" },
  ])("$url → $expected", ({ url, expected }) => {
    expect(imageFileFor(url)).toBe(expected);
  });
});

describe("bodies render to what the sanitiser keeps", () => {
  const base = { siteUrl: "https://news.example.com", pageUrl: "https://news.example.com/articles/x" };
  const text = (html: string) => htmlToText(html).replace(/\s+/g, " ").trim();
  it.each([
    { name: "paragraphs and emphasis", html: "<p>One <em>two</em> <strong>three</strong>.</p><p>Four &amp; five.</p>" },
    { name: "lists", html: '<ul><li>a</li><li>b <code>c</c></li></ul><ol start="3"><li>d</li></ol>' },
    { name: "headings and quotes", html: "<h2>Head</h2><blockquote><p>Quoted *not emphasis*</p></blockquote>" },
    { name: "a table with merged cells", html: '<table><tr><th>A</th><th>B</th></tr><tr><td colspan="2">x</td></tr></table>' },
    { name: "a figure", html: '<figure><img src="https://e.example/a.png" alt="A"><figcaption>Cap <em>tion</em></figcaption></figure>' },
    { name: "inline HTML markdown lacks", html: "<p>H<sub>2</sub>O, x<sup>2</sup>, <del>old</del> <ins>new</ins></p>" },
    { name: "markdown characters in text", html: "<p>1. not a list, # not a heading, [not](a link), *stars*, _under_</p>" },
    { name: "Persian text with a link", html: '<p>متن <a href="https://e.example/">پیوند</a> فارسی</p>' },
    { name: "code", html: "<pre><code>if (a &lt; b) {\n  return;\n}</code></pre>" },
  ])("$name", ({ html }) => {
    const sanitized = sanitizeBody(html, "https://e.example/", () => {}).html;
    const rendered = renderMarkdown(convertToMarkdown(sanitized), base).html;
    expect(text(rendered)).toBe(text(sanitized));
    // Everything kept survives rendering: the same elements, in the same order.
    const tags = (h: string) => [...h.matchAll(/<([a-z0-9]+)/g)].map((m) => m[1]).filter((t) => t !== "tbody");
    expect(tags(rendered)).toEqual(tags(sanitized));
  });

  it("keeps WordPress's line breaks and paragraphs", () => {
    const html = expandWordPress("First line\nsecond line\n\nNew paragraph", {}, () => {});
    expect(convertToMarkdown(sanitizeBody(html, undefined, () => {}).html)).toBe("First line  \nsecond line\n\nNew paragraph");
  });

  it("leaves escaped shortcodes as written", () => {
    const warnings: string[] = [];
    const html = expandWordPress("Use [[gallery]] to show images.", {}, (m) => warnings.push(m));
    expect(html).toContain("[[gallery]]");
    expect(warnings).toEqual([]);
  });
});
