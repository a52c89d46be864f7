// What a publish run prints, table-driven: the dry run's words (unpublishing is not publishing; an embargo shows its
// release time in the site's zone; a public URL that moves), each change's line, the lists capped per kind unless
// --verbose, and the progress line, drawn only on a terminal.
import { describe, expect, it } from "vitest";
import {
  describeDone,
  describePlanned,
  formatDuration,
  formatLocalTime,
  LISTED_PER_KIND,
  RunOutput,
} from "../../src/node/publish-output.ts";
import type { ArticleUpload } from "../../src/node/publish-plan.ts";

const NOW = new Date("2026-01-01T00:00:00Z");
const article = (over: Partial<ArticleUpload>): ArticleUpload => ({
  kind: "article",
  path: "2025/a.md",
  size: 10,
  change: "new",
  draft: false,
  wasDraft: false,
  published: new Date("2025-05-01T10:00:00Z"),
  needs: [],
  ...over,
});

describe("formatLocalTime", () => {
  it.each([
    ["2026-05-30T08:00:00Z", "Europe/London", "2026-05-30 09:00 Europe/London"],
    ["2026-01-15T23:30:00Z", "Asia/Baku", "2026-01-16 03:30 Asia/Baku"],
    ["2026-03-01T00:00:00Z", "UTC", "2026-03-01 00:00 UTC"],
  ])("%s in %s → %s", (iso, zone, expected) => {
    expect(formatLocalTime(new Date(iso), zone)).toBe(expected);
  });
});

describe("describePlanned (the dry run)", () => {
  it.each([
    { item: article({}), expected: "would publish 2025/a.md" },
    { item: article({ change: "changed" }), expected: "would update 2025/a.md" },
    {
      item: article({ published: new Date("2026-05-30T08:00:00Z") }),
      expected: "would publish 2025/a.md (embargoed until 2026-05-30 09:00 Europe/London)",
    },
    {
      item: article({ change: "changed", draft: true }),
      expected: "would unpublish 2025/a.md (now a draft: it leaves every feed and page)",
    },
    { item: article({ draft: true }), expected: "would store the draft 2025/a.md (not published)" },
    { item: article({ change: "changed", draft: true, wasDraft: true }), expected: "would store the draft 2025/a.md (not published)" },
    { item: article({ change: "changed", wasDraft: true }), expected: "would publish 2025/a.md (was a draft)" },
    { item: article({ path: "2026/a.md", replaces: "2025/a.md" }), expected: "would rename 2025/a.md → 2026/a.md" },
    {
      item: article({ change: "changed", slugMove: { from: "my story", to: "my-story" } }),
      expected: "would update 2025/a.md (its URL moves: /articles/my story → /articles/my-story)",
    },
    { item: { kind: "image" as const, path: "images/a.png", size: 1, change: "new" as const }, expected: "would store images/a.png" },
    { item: { kind: "image" as const, path: "images/a.png" }, expected: "would delete images/a.png" },
    { item: { kind: "article" as const, path: "2025/gone.md" }, expected: "would delete 2025/gone.md" },
    { item: { kind: "draft" as const, path: "2025/gone.md" }, expected: "would delete 2025/gone.md" },
    {
      item: { kind: "registry" as const, path: "authors.yaml" as const, size: 0, change: "emptied" as const, needs: [] },
      expected: "would empty authors.yaml (removed from the folder: every entry goes)",
    },
  ])("$expected", ({ item, expected }) => {
    expect(describePlanned(item, NOW, "Europe/London")).toBe(expected);
  });
});

describe("describeDone", () => {
  it.each([
    { item: article({}), result: "created", expected: ["created", "created  2025/a.md"] },
    { item: article({ draft: true }), result: "created", expected: ["created", "created (draft) 2025/a.md"] },
    {
      item: article({ change: "changed", draft: true }),
      result: "updated",
      expected: ["unpublished", "unpublished 2025/a.md (now a draft)"],
    },
    { item: article({ path: "b.md", replaces: "a.md" }), result: "created", expected: ["renamed", "renamed  a.md → b.md"] },
    {
      item: article({ published: new Date("2027-01-01T00:00:00Z") }),
      result: "created",
      expected: ["created", "created  2025/a.md (embargoed until 2027-01-01 00:00 Europe/London)"],
    },
  ])("$expected.1", ({ item, result, expected }) => {
    const { kind, line } = describeDone(item, result, NOW, "Europe/London");
    expect([kind, line]).toEqual(expected);
  });
});

describe("RunOutput", () => {
  function make(tty: boolean, verbose = false) {
    const out: string[] = [];
    const err: string[] = [];
    let clock = 0;
    const output = new RunOutput({ out: (t) => void out.push(t), err: (t) => void err.push(t), tty, verbose, clock: () => clock });
    const tick = (ms: number): void => {
      clock += ms;
    };
    return { output, out, err, tick };
  }

  it("lists a few changes of each kind, then only counts them", () => {
    const { output, out } = make(false);
    for (let i = 0; i < 30; i++) output.change("created", `created  ${i}.md`);
    for (let i = 0; i < 3; i++) output.change("deleted", `deleted  old-${i}.md`);
    expect(out).toHaveLength(LISTED_PER_KIND + 3);
    expect(out.at(-1)).toBe("deleted  old-2.md\n");
    expect(output.unlisted()).toBe(30 - LISTED_PER_KIND);
  });

  it("--verbose lists every change", () => {
    const { output, out } = make(false, true);
    for (let i = 0; i < 30; i++) output.change("created", `created  ${i}.md`);
    expect(out).toHaveLength(30);
    expect(output.unlisted()).toBe(0);
  });

  it("draws a progress line with rate and time left on a terminal, keeping other lines above it", () => {
    const { output, out, err, tick } = make(true);
    output.begin(100);
    tick(2000);
    output.advance(40);
    expect(err.at(-1)).toBe("\r\x1b[Kpublishing 40/100 files · 20 files/s · about 3.0 s left");
    output.change("created", "created  x.md");
    expect(out).toEqual(["created  x.md\n"]);
    // The line above the progress: cleared, written, and the progress drawn again.
    expect(err.slice(-2)).toEqual(["\r\x1b[K", "publishing 40/100 files · 20 files/s · about 3.0 s left"]);
    output.end();
    expect(err.at(-1)).toBe("\r\x1b[K");
  });

  it("without a terminal draws nothing, and only says how far it got once a minute", () => {
    const { output, err, tick } = make(false);
    output.begin(1000);
    for (let i = 0; i < 10; i++) {
      tick(10_000);
      output.advance(50);
    }
    output.end();
    expect(err).toEqual(["publishing 300/1,000 files · 5.0 files/s · about 2 min 20 s left\n"]);
  });
});

describe("formatDuration", () => {
  it.each([
    [0.4, "0.4 s"],
    [9.96, "10 s"],
    [42, "42 s"],
    [185, "3 min 5 s"],
    [3725, "1 h 2 min"],
  ])("%s s → %s", (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});
