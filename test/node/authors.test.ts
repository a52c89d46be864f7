// authors.yaml and author resolution, as tables: root-relative URLs under SITE_URL, a bad optional field dropped and
// reported with the rest kept, no key ever shown as a name, and a typed-in name that is a registered author's.
import { describe, expect, it } from "vitest";
import { parseAuthors, resolveAuthor, resolveAuthors } from "../../src/core/authors.ts";
import { loadContent } from "../../src/core/content.ts";
import { parseSettings } from "../../src/core/settings.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { png, SVG_WITH_SCRIPT } from "../support/image-bytes.ts";
import { SITE_INPUT, site } from "../support/site.ts";

const publisher = { key: "publisher", name: "The New Region", url: "https://news.example.com/" };

describe("parseAuthors", () => {
  it.each([
    {
      name: "root-relative avatar and url resolve under SITE_URL",
      yaml: "leyla:\n  name: Leyla Aliyeva\n  avatar: /images/leyla.png\n  url: /people/leyla",
      author: {
        key: "leyla",
        name: "Leyla Aliyeva",
        avatar: "https://news.example.com/images/leyla.png",
        url: "https://news.example.com/people/leyla",
      },
      issues: [],
    },
    {
      name: "a bad e-mail is dropped and reported; the rest is kept",
      yaml: "bad:\n  name: Bad Email\n  email: not-an-email\n  url: https://bad.example/",
      author: { key: "bad", name: "Bad Email", url: "https://bad.example/" },
      issues: [["bad.email", /"not-an-email" \(left out/]],
    },
    {
      name: "a protocol-relative avatar is not a path on this site",
      yaml: "p:\n  name: P\n  avatar: //evil.example/a.png",
      author: { key: "p", name: "P" },
      issues: [["p.avatar", /"\/\/evil\.example\/a\.png"/]],
    },
    {
      name: "a javascript: url is refused",
      yaml: "j:\n  name: J\n  url: javascript:alert(1)",
      author: { key: "j", name: "J" },
      issues: [["j.url", /javascript/]],
    },
    {
      name: "a list where a URL belongs is described, not dumped",
      yaml: `l:\n  name: L\n  url: [${Array.from({ length: 50 }, () => "x").join(", ")}]`,
      author: { key: "l", name: "L" },
      issues: [["l.url", /^a list of 50 strings/]],
    },
    {
      name: "an entry without a name is an error naming the key, and maps to the publisher",
      yaml: "no-name:\n  email: someone@example.com",
      author: publisher,
      issues: [["no-name.name", /^no name$/]],
    },
    {
      name: "an empty name likewise",
      yaml: 'blank:\n  name: "  "',
      author: publisher,
      issues: [["blank.name", /" {2}"/]],
    },
    {
      name: "an entry that is a list likewise",
      yaml: "odd: [a, b]",
      author: publisher,
      issues: [["odd", /\["a", "b"\]/]],
    },
    { name: "a bare name", yaml: "reuters: Reuters", author: { key: "reuters", name: "Reuters" }, issues: [] },
    {
      name: "an e-mail alone stays private: it never reaches the model",
      yaml: "s:\n  name: S\n  email: s@example.com",
      author: { key: "s", name: "S" },
      issues: [],
    },
    {
      name: "email_public: false likewise",
      yaml: "s:\n  name: S\n  email: s@example.com\n  email_public: false",
      author: { key: "s", name: "S" },
      issues: [],
    },
    {
      name: "email_public: true makes the address public",
      yaml: "s:\n  name: S\n  email: s@example.com\n  email_public: true",
      author: { key: "s", name: "S", publicEmail: "s@example.com" },
      issues: [],
    },
    {
      name: "email_public that is not true or false is reported, and the address stays private",
      yaml: "s:\n  name: S\n  email: s@example.com\n  email_public: yes please",
      author: { key: "s", name: "S" },
      issues: [["s.email_public", /"yes please" \(left out: the address stays private\)/]],
    },
    {
      name: "email_public: true without a valid e-mail is reported",
      yaml: "s:\n  name: S\n  email: nope\n  email_public: true",
      author: { key: "s", name: "S" },
      issues: [
        ["s.email", /"nope" \(left out/],
        ["s.email_public", /^true, but no valid `email` to publish/],
      ],
    },
  ])("$name", ({ yaml, author, issues }) => {
    const parsed = parseAuthors(yaml, site);
    expect([...parsed.authors.values()]).toEqual([author]);
    expect(parsed.issues.map((i) => [i.field, i.found])).toEqual(
      issues.map(([field, found]) => [field, expect.stringMatching(found as RegExp)]),
    );
  });

  it("resolves root-relative paths under a SITE_URL with a base path", () => {
    const based = parseSettings({ ...SITE_INPUT, SITE_URL: "https://example.org/news" });
    const { authors } = parseAuthors("a:\n  name: A\n  avatar: /images/a.png", based);
    expect(authors.get("a")?.avatar).toBe("https://example.org/news/images/a.png");
  });

  it("with image lookups, a local avatar must be an accepted image", () => {
    const lookup = { image: () => null, exists: (f: string) => f === "images/evil.svg", imageProblem: () => "an SVG image" };
    const { authors, issues } = parseAuthors(
      "a:\n  name: A\n  avatar: /images/evil.svg\nb:\n  name: B\n  avatar: /images/none.png",
      site,
      lookup,
    );
    expect(authors.get("a")).toEqual({ key: "a", name: "A" });
    expect(authors.get("b")).toEqual({ key: "b", name: "B" });
    expect(issues.map((i) => [i.field, i.found])).toEqual([
      ["a.avatar", expect.stringContaining("is an SVG image")],
      ["b.avatar", expect.stringContaining("no file articles/images/none.png")],
    ]);
  });
});

describe("resolveAuthors", () => {
  const { authors: registry } = parseAuthors(
    "sara-ahmadi:\n  name: Sara Ahmadi\nno-name:\n  email: x@example.com\njohn-a:\n  name: John Smith\njohn-b:\n  name: John Smith",
    site,
  );
  it.each([
    { name: "a key", entries: ["sara-ahmadi"], keys: ["sara-ahmadi"], unnamed: [] },
    { name: "the registered name, case and spaces aside", entries: ["  sara   AHMADI "], keys: ["sara-ahmadi"], unnamed: [] },
    { name: "key and name of one person: one author", entries: ["sara-ahmadi", "Sara Ahmadi"], keys: ["sara-ahmadi"], unnamed: [] },
    { name: "a free-form name", entries: ["Reuters"], keys: ["reuters"], unnamed: [] },
    { name: "a name two entries share stays free-form", entries: ["John Smith"], keys: ["john-smith"], unnamed: [] },
    { name: "a key without a name alone: the publisher", entries: ["no-name"], keys: ["publisher"], unnamed: ["no-name"] },
    { name: "a key without a name beside others: left out", entries: ["no-name", "Reuters"], keys: ["reuters"], unnamed: ["no-name"] },
  ])("$name", ({ entries, keys, unnamed }) => {
    const resolved = resolveAuthors(entries, registry, site);
    expect(resolved.authors.map((a) => a.key)).toEqual(keys);
    expect(resolved.unnamed).toEqual(unnamed);
    expect(resolved.authors.map((a) => a.name)).not.toContain("no-name");
  });

  it("resolveAuthor alone never returns the key as a name either", () => {
    expect(resolveAuthor("no-name", registry).name).toBe("The New Region");
  });
});

describe("authors in the catalog", () => {
  const article = (author: string): string => `---\ntitle: T ${author}\ndate: 2025-05-01\nauthor: ${author}\n---\nText.\n`;
  it("serves a local avatar from the start and reports an unusable one", async () => {
    const catalog = await loadContent(
      createMemorySource({
        "authors.yaml": "leyla:\n  name: Leyla\n  avatar: /images/leyla.png\nevil:\n  name: Evil\n  avatar: /images/evil.png\n",
        "images/leyla.png": png(4, 4),
        "images/evil.png": SVG_WITH_SCRIPT,
        "a.md": article("leyla"),
        "b.md": article("evil"),
      }),
      site,
    );
    expect(catalog.images.get("images/leyla.png")).toMatchObject({ release: new Date(0), facts: { type: "image/png" } });
    expect(catalog.images.has("images/evil.png")).toBe(false);
    expect(catalog.issues).toEqual([expect.objectContaining({ file: "authors.yaml", field: "evil.avatar" })]);
    expect(catalog.records.map((a) => a.authors[0])).toEqual(
      expect.arrayContaining([
        { key: "leyla", name: "Leyla", avatar: "https://news.example.com/images/leyla.png" },
        { key: "evil", name: "Evil" },
      ]),
    );
  });

  it("warns about an article whose author has no name, and shows the publisher", async () => {
    const catalog = await loadContent(
      createMemorySource({ "authors.yaml": "no-name:\n  email: a@example.com\n", "a.md": article("no-name") }),
      site,
    );
    expect(catalog.records[0]!.authors).toEqual([publisher]);
    expect(catalog.warnings).toEqual([expect.objectContaining({ file: "a.md", field: "author", line: 4 })]);
    expect(catalog.records.some((r) => r.authors.some((a) => a.key === "no-name"))).toBe(false);
  });

  it("files a typed-in registered name under the registered author: one author feed per person", async () => {
    // The key is not the name's slug, so only the name can tie the two together.
    const catalog = await loadContent(
      createMemorySource({
        "authors.yaml": "ahmadi-s:\n  name: Sara Ahmadi\n",
        "a.md": article("ahmadi-s"),
        "b.md": article('"SARA  Ahmadi"'),
      }),
      site,
    );
    // One author feed: every article lists the same key.
    expect([...new Set(catalog.records.flatMap((r) => r.authors.map((a) => a.key)))]).toEqual(["ahmadi-s"]);
    expect(catalog.records.filter((r) => r.authors.some((a) => a.key === "ahmadi-s"))).toHaveLength(2);
    expect(catalog.records.map((a) => a.authors[0]!.name)).toEqual(["Sara Ahmadi", "Sara Ahmadi"]);
  });
});
