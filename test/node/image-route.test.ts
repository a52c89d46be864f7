// /images/…: only inert raster types are ever served, with a sandboxing CSP and nosniff, whatever the catalog holds.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/core/content.ts";
import type { ImageFacts } from "../../src/core/images.ts";
import { createMemoryCatalog, deferCatalog } from "../../src/core/memory-catalog.ts";
import { createApp } from "../../src/http/app.ts";
import { isServableImageType } from "../../src/http/images.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { FIXTURE_DIR, NOW, site } from "../support/site.ts";

const SVG = new Uint8Array(readFileSync(new URL("../fixtures/http/svg-with-script.svg", import.meta.url)));
const JPEG = new Uint8Array(readFileSync(`${FIXTURE_DIR}images/caspian-port.jpg`));
const PUBLISHED = new Date("2025-01-01T00:00:00Z");

/**
 * An app whose catalog claims these images, as if they had got past the content check: the route's own rule is what
 * is tested, independently of measureImage (which may refuse some of these types first).
 */
function appWith(images: Record<string, { bytes: Uint8Array; type: string }>) {
  const files = Object.fromEntries(Object.entries(images).map(([path, image]) => [path, image.bytes]));
  const source = createMemorySource({
    ...files,
    "post.md": "---\ntitle: Post\ndate: 2025-01-01T00:00:00Z\n---\nBody.\n",
  });
  const catalog = deferCatalog(async () => {
    const loaded = await loadContent(source, site);
    const injected = new Map(loaded.images);
    for (const [path, image] of Object.entries(images)) {
      const facts: ImageFacts = { type: image.type, width: 64, height: 48, length: image.bytes.byteLength };
      injected.set(path, { facts, release: PUBLISHED });
    }
    return createMemoryCatalog({ ...loaded, images: injected }, source);
  });
  return createApp({ catalog, site, now: () => NOW, log: () => {} });
}

describe("image route", () => {
  it.each([
    { path: "images/evil.svg", type: "image/svg+xml" },
    { path: "images/evil-upper.svg", type: "IMAGE/SVG+XML" },
    { path: "images/evil.jpg", type: "image/svg+xml" }, // the extension lies; the catalogued type decides
    { path: "images/page.html", type: "text/html" },
    { path: "images/old.bmp", type: "image/bmp" },
    { path: "images/scan.tiff", type: "image/tiff" },
    { path: "images/favicon.ico", type: "image/vnd.microsoft.icon" },
    { path: "images/photo.heic", type: "image/heif" },
    { path: "images/photo.jxl", type: "image/jxl" },
    { path: "images/param.jpg", type: "image/jpeg; charset=utf-8" },
  ])("refuses $path catalogued as $type (404, no bytes)", async ({ path, type }) => {
    const res = await appWith({ [path]: { bytes: SVG, type } }).request(`/${path}`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).not.toMatch(/svg|html|image\//);
    expect(await res.text()).not.toContain("<script");
  });

  it.each(["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"])("serves %s inert", async (type) => {
    const res = await appWith({ "images/photo.bin": { bytes: JPEG, type } }).request("/images/photo.bin");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(JPEG);
  });

  it.each([
    { type: "image/jpeg", expected: true },
    { type: " Image/PNG ", expected: true },
    { type: "image/svg+xml", expected: false },
    { type: "image/svg", expected: false },
    { type: "image/jpeg;x=1", expected: false },
    { type: "", expected: false },
  ])("isServableImageType($type) is $expected", ({ type, expected }) => {
    expect(isServableImageType(type)).toBe(expected);
  });
});
