// The static assets build (npm run build, src/node/build-assets.ts): the committed src/assets/paths.ts names exactly
// the fingerprinted files the build writes, each file is its source's bytes under a name that changes with them, and
// _headers caches the fingerprinted files for a year and the stable addresses (/feed.css, /embed.js) for an hour.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSET_PATHS } from "../../src/assets/paths.ts";
import { EMBED_SCRIPT } from "../../src/embed/widget.ts";
import {
  buildAssets,
  fingerprintedPath,
  IMMUTABLE,
  PATHS_MODULE,
  readAssets,
  renderHeaders,
  renderPathsModule,
  STABLE,
} from "../../src/node/build-assets.ts";

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "edge-feeds-assets-"));
});
afterAll(async () => rm(out, { recursive: true, force: true }));

describe("the asset build", () => {
  it("src/assets/paths.ts is current (if not: run npm run build and commit it)", async () => {
    expect(await readFile(PATHS_MODULE, "utf8")).toBe(renderPathsModule(await readAssets()));
  });

  it("writes each source's bytes at its fingerprinted path, and the two old addresses, and nothing else", async () => {
    await writeFile(join(out, "left-over.css"), "from an older build");
    await buildAssets({ out, paths: false });
    const files = (await readdir(out, { recursive: true })).filter((f) => f.includes(".") || f === "_headers").sort();
    const fingerprinted = Object.values(ASSET_PATHS).map((p) => p.slice(1));
    expect(files).toEqual(["_headers", ...fingerprinted, "embed.js", "feed.css"].sort());
    const source = (name: string) => readFile(new URL(`../../src/assets/${name}`, import.meta.url), "utf8");
    expect(await readFile(join(out, "feed.css"), "utf8")).toBe(await source("feed.css"));
    expect(await readFile(join(out, ASSET_PATHS.pageCss), "utf8")).toBe(await source("page.css"));
    expect(await readFile(join(out, ASSET_PATHS.embedJs), "utf8")).toBe(EMBED_SCRIPT);
    expect(await readFile(join(out, "embed.js"), "utf8")).toBe(EMBED_SCRIPT);
  });

  it("names a file by a hash of its bytes: one changed byte, another name; the same bytes, the same name", async () => {
    const [feed] = await readAssets();
    const changed = { ...feed!, bytes: new Uint8Array([...feed!.bytes, 0x20]) };
    expect(fingerprintedPath(feed!)).toMatch(/^\/assets\/feed\.[0-9a-f]{12}\.css$/);
    expect(fingerprintedPath(changed)).not.toBe(fingerprintedPath(feed!));
    expect(fingerprintedPath({ ...feed!, bytes: new Uint8Array(feed!.bytes) })).toBe(fingerprintedPath(feed!));
  });

  it("caches the fingerprinted files for a year and the old addresses for an hour, each header from one rule", async () => {
    const headers = renderHeaders(await readAssets());
    expect(headers).toBe(await readFile(join(out, "_headers"), "utf8"));
    expect(headers).toContain(`/assets/*\n  Cache-Control: ${IMMUTABLE}\n`);
    expect(headers).toContain(`/embed.js\n  Cache-Control: ${STABLE}\n`);
    expect(headers).toContain(`/feed.css\n  Cache-Control: ${STABLE}\n`);
    // Every matching rule applies (the header values would be joined): no path matched by two rules setting one header.
    const rules = headers.split(/\n(?=\/)/).map((block) =>
      block
        .split("\n")
        .filter((l) => l.startsWith("  "))
        .map((l) => l.trim().split(":")[0]),
    );
    const cacheRules = rules.filter((names) => names.includes("Cache-Control"));
    expect(cacheRules).toHaveLength(3); // /assets/*, /feed.css, /embed.js: disjoint paths
    expect(rules[0]).not.toContain("Cache-Control"); // /*, which matches everything
  });
});
