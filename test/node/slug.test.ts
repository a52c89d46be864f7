// One rule for names: a slug from `slug:` and a slug from a file name are both Unicode NFC and a clean URL segment;
// a file name is slugified (spaces and URL-reserved characters become hyphens), what cannot be is refused, and two
// files whose names give one slug (café.md in NFC and in NFD) are a conflict that names both.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "../../src/core/content.ts";
import { formatIssue } from "../../src/core/errors.ts";
import { fileNameSlug, normaliseSlug } from "../../src/core/slug.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { site } from "../support/site.ts";

const NFC = "caf\u00e9";
const NFD = "cafe\u0301";

describe("fileNameSlug", () => {
  it.each([
    ["2025/05/baku-visit.md", "baku-visit"],
    ["Baku-Visit.MD", "Baku-Visit"],
    ["2025/05/Baku visit.md", "Baku-visit"],
    ["  lead  and   trail .md", "lead-and-trail"],
    ["What's next?.md", "What's-next"],
    ["100% sure.md", "100-sure"],
    ["tab\there.md", "tab-here"],
    ["no\u00a0break.md", "no-break"],
    ["ideographic\u3000space.md", "ideographic-space"],
    [`${NFD}.md`, NFC],
    [`${NFC}.md`, NFC],
    ["تهران-مترو.md", "تهران-مترو"],
    ["بهره\u200cبرداری.md", "بهره\u200cبرداری"],
    ["a#b.md", "a-b"],
    // JavaScript's \s counts the byte order mark as a space.
    ["bom\ufeffmid.md", "bom-mid"],
  ])("%j gives %j", (file, slug) => {
    expect(fileNameSlug(file)).toEqual({ ok: true, slug });
  });

  it.each([
    ["zero\u200bwidth.md", /holding a zero-width space \(U\+200B\)$/],
    ["bidi\u202egpj.md", /"bidi<U\+202E>gpj", which gives a slug holding a right-to-left override \(U\+202E\)$/],
    ["lrm\u200e.md", /a left-to-right mark \(U\+200E\)$/],
    ["soft\u00adhyphen.md", /a soft hyphen \(U\+00AD\)$/],
    ["\u200cleading-joiner.md", /a zero-width non-joiner \(U\+200C\) outside a word$/],
    ["bell\u0007.md", /a control character \(U\+0007\)$/],
    ["?.md", /holding nothing$/],
    ["..md", /holding "\.", which a URL reads as a folder$/],
  ])("refuses %j", (file, found) => {
    const result = fileNameSlug(file);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.found).toMatch(found);
  });
});

describe("normaliseSlug (the slug: field)", () => {
  it.each([
    ["baku-visit", "baku-visit"],
    ["  padded  ", "padded"],
    [NFD, NFC],
    ["Baku-Visit", "Baku-Visit"],
    ["بهره\u200cبرداری", "بهره\u200cبرداری"],
  ])("%j → %j", (value, slug) => {
    expect(normaliseSlug(value)).toEqual({ ok: true, slug });
  });

  it.each([
    ["a b", /"a b", which holds a space$/],
    ["a/b", /holds '\/'$/],
    ["a?b", /holds '\?'$/],
    ["a#b", /holds '#'$/],
    ["a%20b", /holds '%'$/],
    ["a\\b", /holds '\\'$/],
    ["a\u200bb", /"a<U\+200B>b", which holds a zero-width space \(U\+200B\)$/],
    ["a\u2066b", /a left-to-right isolate \(U\+2066\)$/],
    ["a\ufeffb", /a byte order mark \(U\+FEFF\)$/],
    ["..", /"\.\.", which a URL reads as a folder$/],
  ])("refuses %j", (value, found) => {
    const result = normaliseSlug(value);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.found).toMatch(found);
  });
});

describe("npm run check's rules for names", () => {
  let dir: string;
  const article = (title: string, date: string, extra = "") => `---\ntitle: ${title}\ndate: ${date}\n${extra}---\nBody.\n`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edge-feeds-slugs-"));
    await writeFile(join(dir, `${NFC}.md`), article("NFC", "2025-05-01 10:00"));
    await writeFile(join(dir, `${NFD}.md`), article("NFD", "2025-05-02 10:00"));
    await writeFile(join(dir, "My story.md"), article("Spaces", "2025-05-03 10:00"));
    await writeFile(join(dir, "zero\u200bwidth.md"), article("Zero width", "2025-05-04 10:00"));
    await writeFile(join(dir, "set-by-field.md"), article("Field", "2025-05-05 10:00", 'slug: "bad\u202eslug"\n'));
    await writeFile(join(dir, "bidi\u202ename.md"), article("Rescued by its slug field", "2025-05-06 10:00", "slug: rescued\n"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("slugifies what it can, refuses what it cannot, and names two files that give one slug", async () => {
    const content = await loadContent(createDirectorySource(dir), site);
    expect(content.records.map((r) => [r.file, r.slug]).sort()).toEqual(
      [
        [`${NFC}.md`, NFC],
        ["My story.md", "My-story"],
        ["bidi\u202ename.md", "rescued"],
      ].sort(),
    );
    expect(content.records.find((r) => r.slug === "My-story")!.pageUrl).toBe(`${site.url}/articles/My-story`);
    const issues = content.issues.map(formatIssue).sort();
    expect(issues).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${NFD}\\.md \\[slug\\]: slug "${NFC}", also claimed by ${NFC}\\.md, which was published first and is served; this file is left out \\(the two file names look the same but spell their accented letters differently, as Unicode NFC and NFD: delete one\\)`,
        ),
      ),
      expect.stringMatching(
        /^set-by-field\.md:4 \[slug\]: "bad<U\+202E>slug", which holds a right-to-left override \(U\+202E\); expected a URL segment/,
      ),
      expect.stringMatching(
        /^zero<U\+200B>width\.md \[slug\]: the file name "zero<U\+200B>width", which gives a slug holding a zero-width space \(U\+200B\); expected a file name that is .*, or `slug:` set to one$/,
      ),
    ]);
  });
});
