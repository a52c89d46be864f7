// Contract suite: every ContentSource behaves the same, and the same files give the same feeds whatever the source.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HOME } from "../../src/core/catalog.ts";
import { planFeed } from "../../src/core/feed-plan.ts";
import { catalogFromSource } from "../../src/core/memory-catalog.ts";
import { FORMATS, renderPlan } from "../../src/formats/index.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import type { ContentSource } from "../../src/sources/source.ts";
import { FIXTURE_DIR, NOW, site } from "../support/site.ts";

async function memoryFromDisk(): Promise<ContentSource> {
  const disk = createDirectorySource(FIXTURE_DIR);
  const files: Record<string, Uint8Array> = {};
  for (const path of await disk.list()) files[path] = (await disk.read(path))!;
  return createMemorySource(files);
}

const sources: [string, () => Promise<ContentSource>][] = [
  ["directory", async () => createDirectorySource(FIXTURE_DIR)],
  ["memory", memoryFromDisk],
];

describe.each(sources)("ContentSource contract: %s", (_name, make) => {
  it("lists every file once, relative, with / separators, sorted", async () => {
    const paths = await (await make()).list();
    expect(paths).toEqual([...new Set(paths)].sort());
    expect(paths).toContain("authors.yaml");
    expect(paths).toContain("2025/04/iran-azerbaijan-de-escalation.md");
    expect(paths).toContain("images/caspian-port.jpg");
    expect(paths.every((p) => !p.startsWith("/") && !p.includes("\\"))).toBe(true);
  });

  it("reads the exact bytes of text and binary files", async () => {
    const source = await make();
    for (const path of ["images/pezeshkian-aliyev-baku.jpg", "2025/04/tehran-metro-fa.md", "edge/q-and-a-instc.md"]) {
      expect(Buffer.from((await source.read(path))!)).toEqual(await readFile(join(FIXTURE_DIR, path)));
    }
  });

  it("answers null for files that do not exist, including paths outside the root", async () => {
    const source = await make();
    expect(await source.read("nope.md")).toBeNull();
    expect(await source.read("../package.json")).toBeNull();
  });

  it("gives the same feed bytes as the directory source", async () => {
    const render = async (source: ContentSource) => {
      const catalog = catalogFromSource(source, site);
      const plan = (await planFeed(catalog, site, NOW, { scope: HOME }))!;
      return Promise.all(FORMATS.map((f) => renderPlan(catalog, plan, f)));
    };
    expect(await render(await make())).toEqual(await render(createDirectorySource(FIXTURE_DIR)));
  });
});
