// The publish client checks each article's body as it goes (test/node/deferred-body.test.ts holds that verdict to the
// whole check's). The lines printed before anything is sent must not name a change the body check later undoes: a file
// whose URL moves is checked whole before the run warns of the move.
import { describe, expect, it } from "vitest";
import type { ManifestEntry } from "../../src/core/publishing.ts";
import { folder, run } from "../support/fake-publish-worker.ts";

/** A body that renders far past the budget from little markdown (the repeated footnote reference). */
const OVER = `Text${"[^1]".repeat(50_000)}\n\n[^1]: The note.\n`;
const renamed = (body: string) => `---\ntitle: Moved\ndate: 2025-05-01 10:00\nid: urn:story:1\n---\n\n${body}`;
const STORED: ManifestEntry[] = [
  { path: "2025/old.md", kind: "article", hash: "old-hash", slug: "old", id: "urn:story:1", published: "2025-05-01T10:00:00.000Z" },
];

describe("the publish client's body checks", () => {
  it("warns of a rename that moves a URL when the renamed file passes, and sends it", async () => {
    const dir = await folder({ "2025/new.md": renamed("Fine.\n") });
    const { outcome, batches, output } = await run(dir, STORED);
    const report = await outcome;
    expect(report.refused).toEqual([]);
    expect(output()).toContain("warning: 2025/new.md: its public URL moves from /articles/old to /articles/new (renamed from 2025/old.md)");
    expect(batches.flat()).toEqual(["2025/new.md"]);
  });

  it("does not warn of it when the renamed file's body is refused: the stored article stays, nothing is sent", async () => {
    const dir = await folder({ "2025/new.md": renamed(OVER) });
    const { outcome, batches, output } = await run(dir, STORED);
    const report = await outcome;
    expect(output()).not.toContain("its public URL moves");
    expect(output()).toMatch(/^error: 2025\/new\.md:\d+ \[body\]: markdown that renders to more than 1 MiB/m);
    expect(output()).toContain(
      "not published: 2025/new.md: refused by the check (its problems are listed above); kept the published version of 2025/old.md, which it renames",
    );
    expect(report).toMatchObject({ refused: ["2025/new.md"], kept: ["2025/old.md"] });
    expect(batches).toEqual([]);
  });

  it("refuses a new file's body as it goes and sends the rest", async () => {
    const dir = await folder({
      "2025/a.md": "---\ntitle: A\ndate: 2025-05-02 10:00\n---\nFine.\n",
      "2025/b.md": `---\ntitle: B\ndate: 2025-05-03 10:00\n---\n\n${OVER}`,
    });
    const { outcome, batches, output } = await run(dir, []);
    const report = await outcome;
    expect(report.refused).toEqual(["2025/b.md"]);
    expect(output()).toContain("not published: 2025/b.md: refused by the check (its problems are listed above)\n");
    expect(batches.flat()).toEqual(["2025/a.md"]);
  });
});
