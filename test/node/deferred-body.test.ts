// The publish client checks each article's body (what it renders to) as the article goes, not before the run: a check
// that defers the body checks, then runs them all, must come to the very verdict of a whole check: the same files
// refused with the same problems, the same articles kept, the same owner for a contested slug, id or alias.
import { describe, expect, it } from "vitest";
import { type LoadedContent, loadContent } from "../../src/core/content.ts";
import type { ContentIssue } from "../../src/core/errors.ts";
import { createMemorySource, type MemoryFiles } from "../../src/sources/memory.ts";
import { site } from "../support/site.ts";

/** A body that renders far past the budget from little markdown (the issue's repeated footnote reference). */
const OVER = `Text${"[^1]".repeat(50_000)}\n\n[^1]: The note.\n`;
const article = (front: string, body = "Fine.\n") => `---\n${front}\n---\n\n${body}`;

/** What a check decided: the files kept (records and drafts) and every problem, in a stable order. */
function verdict(content: LoadedContent, extra: readonly ContentIssue[] = []) {
  const refused = new Set(extra.map((i) => i.file));
  const key = (i: ContentIssue) => `${i.file} [${i.field ?? ""}] ${i.line ?? ""} ${i.found}`;
  return {
    records: content.records.filter((r) => !refused.has(r.file)).map((r) => `${r.file} ${r.slug} ${r.id}`),
    drafts: content.drafts.filter((r) => !refused.has(r.file)).map((r) => r.file),
    issues: [...content.issues, ...extra].map(key).sort(),
  };
}

/** The deferred check, with every body check it left run afterwards (as the client runs them while sending). */
async function deferredVerdict(files: MemoryFiles) {
  const content = await loadContent(createMemorySource(files), site, { deferBodies: true });
  const later = [...(content.bodyChecks ?? new Map()).values()].flatMap((check) => check());
  return { content, verdict: verdict(content, later) };
}

const cases: { name: string; files: MemoryFiles; deferred: number }[] = [
  {
    name: "good files only: every body check is left for later",
    files: {
      "2025/05/a.md": article("title: A\ndate: 2025-05-01"),
      "2025/05/b.md": article("title: B\ndate: 2025-05-02"),
      "2025/05/c.md": article("title: C\ndate: 2025-05-03\ndraft: true"),
    },
    deferred: 3,
  },
  {
    name: "a body over the budget is refused later with the whole check's problem",
    files: {
      "2025/05/a.md": article("title: A\ndate: 2025-05-01", OVER),
      "2025/05/b.md": article("title: B\ndate: 2025-05-02"),
    },
    deferred: 2,
  },
  {
    name: "a file refused for its front matter is refused at once, body problems included",
    files: {
      "2025/05/a.md": article("date: 2025-05-01", OVER),
      "2025/05/b.md": article("title: B\ndate: 2025-05-02"),
    },
    deferred: 1,
  },
  {
    name: "a contested slug whose first claimant's body is over the budget: the other keeps it, so every body is checked first",
    files: {
      "2025/05/first.md": article("title: First\ndate: 2025-05-01\nslug: wanted", OVER),
      "2025/05/second.md": article("title: Second\ndate: 2025-05-02\nslug: wanted"),
    },
    deferred: 0,
  },
  {
    name: "a contested alias, likewise",
    files: {
      "2025/05/first.md": article("title: First\ndate: 2025-05-01\naliases: /old/story", OVER),
      "2025/05/second.md": article("title: Second\ndate: 2025-05-02\naliases: /old/story"),
    },
    deferred: 0,
  },
  {
    name: "a draft on a published article's slug (a warning), likewise",
    files: {
      "2025/05/first.md": article("title: First\ndate: 2025-05-01\nslug: wanted", OVER),
      "2025/05/draft.md": article("title: Draft\ndate: 2025-05-02\nslug: wanted\ndraft: true"),
    },
    deferred: 0,
  },
];

describe("a check that leaves the body checks for later", () => {
  it.each(cases)("$name", async ({ files, deferred }) => {
    const whole = await loadContent(createMemorySource(files), site);
    expect(whole.bodyChecks).toBeUndefined();
    const { content, verdict: later } = await deferredVerdict(files);
    expect(content.bodyChecks?.size ?? 0).toBe(deferred);
    expect(later).toEqual(verdict(whole));
    expect(later.issues.length + later.records.length).toBeGreaterThan(0);
  });

  it("names the body's line and the budget, as the whole check does", async () => {
    const files = { "2025/05/a.md": article("title: A\ndate: 2025-05-01", OVER) };
    const { content } = await deferredVerdict(files);
    expect(content.issues).toEqual([]);
    expect(content.records.map((r) => r.file)).toEqual(["2025/05/a.md"]);
    const found = content.bodyChecks!.get("2025/05/a.md")!();
    expect(found).toEqual([
      expect.objectContaining({ file: "2025/05/a.md", field: "body", line: 6, found: expect.stringMatching(/renders to more than 1 MiB/) }),
    ]);
    expect(found).toEqual((await loadContent(createMemorySource(files), site)).issues);
  });
});
