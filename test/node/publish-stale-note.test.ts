// After a change of the settings that shape stored items, the manifest marks what is stored under the old ones
// (`stale`), and `npm run publish` says how many of them it leaves to the worker's catch-up and how to send them now.
import { describe, expect, it } from "vitest";
import type { ManifestEntry } from "../../src/core/publishing.ts";
import { describeFile } from "../../src/node/folder-snapshot.ts";
import { folder, run } from "../support/fake-publish-worker.ts";

const article = (title: string) => `---\ntitle: ${title}\ndate: 2025-05-01 10:00\n---\nBody.\n`;
const hashOf = (text: string) => describeFile("x.md", new TextEncoder().encode(text))!.hash!;

const FILES = { "2025/a.md": article("A"), "2025/b.md": article("B"), "2025/c.md": article("C, edited") };
/** A, B and C stored under other settings; C since edited in the folder; D gone from it; E current. */
const MANIFEST: ManifestEntry[] = [
  { path: "2025/a.md", kind: "article", hash: hashOf(FILES["2025/a.md"]), slug: "a", stale: true },
  { path: "2025/b.md", kind: "article", hash: hashOf(FILES["2025/b.md"]), slug: "b", stale: true },
  { path: "2025/c.md", kind: "article", hash: hashOf(article("C")), slug: "c", stale: true },
  { path: "2025/d.md", kind: "article", hash: hashOf(article("D")), slug: "d", stale: true },
];
const NOTE =
  "note: 2 stored file(s) were rendered under other settings (SITE_URL, SITE_TITLE, SITE_LANGUAGE or SITE_TIMEZONE " +
  "changed since); the worker brings them up to date by itself, newest first, 200 articles a minute; --all sends them now\n";

describe("stored files rendered under other settings", () => {
  it.each([
    { name: "a run counts the unchanged ones it leaves to the worker", extra: {}, stale: 2 },
    { name: "a dry run says the same", extra: { dryRun: true }, stale: 2 },
    { name: "--all sends them, and says nothing", extra: { all: true }, stale: undefined },
  ])("$name", async ({ extra, stale }) => {
    const dir = await folder({ ...FILES, "2025/e.md": article("E") });
    const manifest = [...MANIFEST, { path: "2025/e.md", kind: "article" as const, hash: hashOf(article("E")), slug: "e" }];
    const { outcome, batches, output } = await run(dir, manifest, extra);
    const report = await outcome;
    expect(report.stale).toBe(stale);
    if (stale) expect(output()).toContain(NOTE);
    else expect(output()).not.toContain("note:");
    if (!extra.dryRun) expect(batches.flat()).toContain("2025/c.md");
  });

  it("says it after an up-to-date run too", async () => {
    const dir = await folder({ "2025/a.md": FILES["2025/a.md"] });
    const { outcome, output } = await run(dir, [MANIFEST[0]!]);
    expect((await outcome).stale).toBe(1);
    expect(output()).toMatch(/^up to date: 1 file\(s\) stored at .*\nnote: 1 stored file\(s\) were rendered under other settings/m);
  });
});
