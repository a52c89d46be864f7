// Contract suite: every ContentSource behaves the same, and the same files give the same feeds whatever the source.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HOME } from "../../src/core/catalog.ts";
import { planFeed } from "../../src/core/feed-plan.ts";
import { catalogFromSource } from "../../src/core/memory-catalog.ts";
import { FORMATS, renderPlan } from "../../src/formats/index.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { type ContentModule, renderContentModule, sourceFromModule } from "../../src/sources/bundle.ts";
import { createFetcherSource, LIST_FILE } from "../../src/sources/fetcher.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import type { ContentSource } from "../../src/sources/source.ts";
import { FIXTURE_DIR, NOW, site } from "../support/site.ts";

async function memoryFromDisk(): Promise<ContentSource> {
  const disk = createDirectorySource(FIXTURE_DIR);
  const files: Record<string, Uint8Array> = {};
  for (const path of await disk.list()) files[path] = (await disk.read(path))!;
  return createMemorySource(files);
}

async function bundledFromDisk(): Promise<ContentSource> {
  const dir = await mkdtemp(join(tmpdir(), "edge-feeds-bundle-"));
  const file = join(dir, "content.ts");
  await writeFile(file, await renderContentModule(createDirectorySource(FIXTURE_DIR)));
  return sourceFromModule((await import(/* @vite-ignore */ file)) as ContentModule);
}

/** A fetch binding as Workers Static Assets or a workerd disk service behave: files by URL path, 404 otherwise. */
async function fetcherFromDisk(): Promise<ContentSource> {
  const disk = createDirectorySource(FIXTURE_DIR);
  const paths = await disk.list();
  const files = new Map<string, Uint8Array>();
  for (const path of paths) files.set(path, (await disk.read(path))!);
  files.set(LIST_FILE, new TextEncoder().encode(JSON.stringify(paths)));
  return createFetcherSource({
    fetch: async (url) => {
      const bytes = files.get(decodeURIComponent(new URL(url).pathname.slice(1)));
      return bytes ? new Response(bytes as Uint8Array<ArrayBuffer>) : new Response("Not found", { status: 404 });
    },
  });
}

const sources: [string, () => Promise<ContentSource>][] = [
  ["directory", async () => createDirectorySource(FIXTURE_DIR)],
  ["memory", memoryFromDisk],
  ["bundled module", bundledFromDisk],
  ["fetch binding", fetcherFromDisk],
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
