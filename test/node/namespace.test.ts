// Who owns a slug and an id, as tables: drafts claim nothing, the article published first keeps a contested one, and
// the loser's issue names both files; the catalog applies the same rule.
import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/core/content.ts";
import { type Claim, findConflicts, resolveNamespace } from "../../src/core/namespace.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { site } from "../support/site.ts";

const claim = (file: string, slug: string, date: string, extra: Partial<Claim> = {}): Claim => ({
  file,
  slug,
  id: `https://news.example.com/articles/${slug}`,
  published: new Date(date),
  draft: false,
  ...extra,
});

describe("resolveNamespace", () => {
  it.each([
    {
      name: "a draft that sorts first does not take the published article's slug",
      articles: [claim("aaa-draft.md", "instc", "2025-05-10", { draft: true }), claim("instc.md", "instc", "2025-05-02")],
      kept: ["instc.md"],
      lost: [],
      warned: [["aaa-draft.md", "slug"]],
    },
    {
      name: "an earlier draft does not either",
      articles: [claim("zzz.md", "x", "2025-05-02"), claim("aaa-draft.md", "x", "2025-01-01", { draft: true })],
      kept: ["zzz.md"],
      lost: [],
      warned: [["aaa-draft.md", "slug"]],
    },
    {
      name: "the article published first keeps the slug, whatever the path order",
      articles: [claim("aaa.md", "x", "2025-05-02"), claim("zzz.md", "x", "2025-05-01")],
      kept: ["zzz.md"],
      lost: [["aaa.md", "slug", "zzz.md"]],
      warned: [],
    },
    {
      name: "same date: the path that sorts first",
      articles: [claim("b/x.md", "x", "2025-05-01"), claim("a/x.md", "x", "2025-05-01")],
      kept: ["a/x.md"],
      lost: [["b/x.md", "slug", "a/x.md"]],
      warned: [],
    },
    {
      name: "one front-matter id in two files",
      articles: [
        claim("one.md", "one", "2025-05-01", { id: "tag:x,2025:a" }),
        claim("two.md", "two", "2025-05-02", { id: "tag:x,2025:a" }),
      ],
      kept: ["one.md"],
      lost: [["two.md", "id", "one.md"]],
      warned: [],
    },
    {
      name: "an id equal to another article's default id (its URL)",
      articles: [
        claim("one.md", "one", "2025-05-01"),
        claim("two.md", "two", "2025-05-02", { id: "https://news.example.com/articles/one" }),
      ],
      kept: ["one.md"],
      lost: [["two.md", "id", "one.md"]],
      warned: [],
    },
    {
      name: "three claimants: the first keeps it, each other is named once",
      articles: [claim("c.md", "x", "2025-05-03"), claim("b.md", "x", "2025-05-02"), claim("a.md", "x", "2025-05-01")],
      kept: ["a.md"],
      lost: [
        ["b.md", "slug", "a.md"],
        ["c.md", "slug", "a.md"],
      ],
      warned: [],
    },
    {
      name: "two drafts with one slug: no conflict",
      articles: [claim("a.md", "x", "2025-05-01", { draft: true }), claim("b.md", "x", "2025-05-02", { draft: true })],
      kept: [],
      lost: [],
      warned: [],
    },
  ])("$name", ({ articles, kept, lost, warned }) => {
    const result = resolveNamespace(articles);
    expect(result.kept.map((a) => a.file).sort()).toEqual(kept);
    expect(result.issues.map((i) => [i.file, i.field, /also claimed by (\S+),/.exec(i.found)?.[1]])).toEqual(lost);
    expect(result.warnings.map((w) => [w.file, w.field])).toEqual(warned);
  });
});

describe("findConflicts (one incoming article against stored ones)", () => {
  const stored = claim("stored.md", "x", "2025-05-02");
  const owners = { slugs: new Map([["x", stored]]), ids: new Map([[stored.id, stored]]) };
  it.each([
    {
      name: "a later article loses",
      incoming: claim("new.md", "x", "2025-05-03"),
      expected: [
        ["slug", "stored.md", "new.md"],
        ["id", "stored.md", "new.md"],
      ],
    },
    {
      name: "an earlier one wins",
      incoming: claim("new.md", "x", "2025-05-01"),
      expected: [
        ["slug", "new.md", "stored.md"],
        ["id", "new.md", "stored.md"],
      ],
    },
    { name: "a draft claims nothing", incoming: claim("new.md", "x", "2025-05-01", { draft: true }), expected: [] },
    { name: "another slug is free", incoming: claim("new.md", "y", "2025-05-01"), expected: [] },
  ])("$name", ({ incoming, expected }) => {
    expect(findConflicts(incoming, owners).map((c) => [c.field, c.kept.file, c.lost.file])).toEqual(expected);
  });
});

describe("the catalog applies the rule", () => {
  const article = (title: string, date: string, extra = ""): string =>
    `---\ntitle: ${title}\ndate: ${date}\n${extra}---\nBody of ${title}.\n`;
  it("keeps the published article when a draft that sorts first claims its slug", async () => {
    const catalog = await loadContent(
      createMemorySource({
        "aaa-draft-shadow.md": article("Draft", "2025-05-10", "slug: instc-explained\ndraft: true\n"),
        "instc-explained.md": article("Published", "2025-05-02"),
      }),
      site,
    );
    expect(catalog.records.map((a) => a.file)).toEqual(["instc-explained.md"]);
    expect(catalog.issues).toEqual([]);
    expect(catalog.warnings).toEqual([expect.objectContaining({ file: "aaa-draft-shadow.md", field: "slug" })]);
  });

  it("keeps the article published first when two publishable files claim a slug, and names both", async () => {
    const catalog = await loadContent(
      createMemorySource({
        "a-later.md": article("Later", "2025-05-03", "slug: shared\n"),
        "z-earlier.md": article("Earlier", "2025-05-01", "slug: shared\n"),
      }),
      site,
    );
    expect(catalog.records.map((a) => a.title)).toEqual(["Earlier"]);
    expect(catalog.issues).toEqual([
      expect.objectContaining({ file: "a-later.md", field: "slug", found: expect.stringContaining("also claimed by z-earlier.md") }),
    ]);
  });
});
