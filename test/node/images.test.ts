// Only safe images, as tables: the five raster formats are recognised from their bytes; SVG and every other format are
// refused with a reason, whatever the file is called; remote images get a type only for the five.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/core/content.ts";
import { inspectImage, measureImage, mimeFromExtension } from "../../src/core/images.ts";
import { LIMITS } from "../../src/core/limits.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { bmp, gif, ico, isoImage, png, pngHeader, SVG_WITH_SCRIPT, tiff } from "../support/image-bytes.ts";
import { FIXTURE_DIR, site } from "../support/site.ts";

const jpeg = new Uint8Array(readFileSync(join(FIXTURE_DIR, "images/pezeshkian-aliyev-baku.jpg")));
const webp = new Uint8Array(readFileSync(join(FIXTURE_DIR, "images/caspian-port.jpg")));

describe("inspectImage: accepted", () => {
  it.each([
    { name: "JPEG", bytes: jpeg, type: "image/jpeg", width: 1200, height: 675 },
    { name: "PNG", bytes: png(3, 2), type: "image/png", width: 3, height: 2 },
    { name: "GIF", bytes: gif(5, 4), type: "image/gif", width: 5, height: 4 },
    { name: "WebP (named .jpg)", bytes: webp, type: "image/webp", width: 800, height: 450 },
    { name: "AVIF", bytes: isoImage("avif", ["avif", "mif1", "miaf"], 64, 32), type: "image/avif", width: 64, height: 32 },
    { name: "AVIF with brand mif1", bytes: isoImage("mif1", ["avif", "miaf"], 64, 32), type: "image/avif", width: 64, height: 32 },
  ])("$name → $type", ({ bytes, type, width, height }) => {
    expect(inspectImage(bytes)).toEqual({ ok: true, facts: { type, width, height, length: bytes.byteLength } });
  });
});

describe("inspectImage: the largest accepted", () => {
  it.each([
    { name: "16,384 pixels a side", bytes: pngHeader(16384, 6103), width: 16384, height: 6103 },
    { name: "exactly 100 megapixels", bytes: gif(10000, 10000), width: 10000, height: 10000 },
  ])("$name", ({ bytes, width, height }) => {
    expect(inspectImage(bytes)).toMatchObject({ ok: true, facts: { width, height } });
  });
});

describe("inspectImage: refused", () => {
  const tooLarge = new Uint8Array(LIMITS.imageBytes + 1);
  tooLarge.set(png(1, 1));
  const damagedJpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0]);
  it.each([
    { name: "SVG with a script", bytes: SVG_WITH_SCRIPT, reason: /SVG image/ },
    {
      name: "SVG without a prolog",
      bytes: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'),
      reason: /SVG/,
    },
    { name: "BMP", bytes: bmp(2, 2), reason: /BMP image/ },
    { name: "ICO", bytes: ico(16, 16), reason: /icon file/ },
    { name: "TIFF", bytes: tiff(4, 4), reason: /TIFF image/ },
    { name: "HEIC", bytes: isoImage("heic", ["mif1", "heic"], 64, 32), reason: /HEIF\/HEIC/ },
    { name: "JPEG XL codestream", bytes: new Uint8Array([0xff, 0x0a, 0xfa, 0x7f, 0x01, 0x90, 0x08]), reason: /JPEG XL|no known image/ },
    { name: "HTML", bytes: new TextEncoder().encode("<!doctype html><script>alert(1)</script>"), reason: /no known image format/ },
    { name: "a damaged JPEG", bytes: damagedJpeg, reason: /damaged JPG/ },
    { name: "a PNG over the size limit", bytes: tooLarge, reason: /over the 10 MiB limit/ },
    {
      name: "a 33-byte PNG claiming 2147483647 × 2147483647 pixels",
      bytes: pngHeader(2147483647, 2147483647),
      reason: /^a PNG file of 2,147,483,647 × 2,147,483,647 pixels, over the limit of 16,384 pixels a side and 100 megapixels in all$/,
    },
    { name: "a PNG one pixel too wide", bytes: pngHeader(16385, 1), reason: /16,385 × 1 pixels, over the limit/ },
    { name: "a GIF of 10,001 × 10,000 pixels (over 100 megapixels)", bytes: gif(10001, 10000), reason: /10,001 × 10,000 pixels/ },
  ])("$name: $reason", ({ bytes, reason }) => {
    const inspected = inspectImage(bytes);
    expect(inspected.ok).toBe(false);
    if (!inspected.ok) expect(inspected.reason).toMatch(reason);
    expect(measureImage(bytes)).toBeNull();
  });
});

describe("mimeFromExtension (remote images)", () => {
  it.each([
    ["https://cdn.example.com/a.jpg", "image/jpeg"],
    ["https://cdn.example.com/a.JPEG?w=800", "image/jpeg"],
    ["https://cdn.example.com/a.png#x", "image/png"],
    ["https://cdn.example.com/a.gif", "image/gif"],
    ["https://cdn.example.com/a.webp", "image/webp"],
    ["https://cdn.example.com/a.avif", "image/avif"],
    ["https://cdn.example.com/a.svg", undefined],
    ["https://cdn.example.com/a.bmp", undefined],
    ["https://cdn.example.com/a.tif", undefined],
    ["https://cdn.example.com/a.ico", undefined],
    ["https://cdn.example.com/a.heic", undefined],
    ["https://cdn.example.com/a.jxl", undefined],
    ["https://cdn.example.com/photo", undefined],
  ])("%s → %s", (url, type) => {
    expect(mimeFromExtension(url)).toBe(type);
  });
});

describe("the catalog never makes a refused image servable", () => {
  const article = (image: string, body = "Text."): string => `---\ntitle: T\ndate: 2025-05-01\nimage: ${image}\n---\n${body}\n`;
  it.each([
    { name: "an SVG lead image", file: "images/evil.svg", bytes: SVG_WITH_SCRIPT, md: article("/images/evil.svg"), field: "image" },
    { name: "SVG bytes named .jpg", file: "images/evil.jpg", bytes: SVG_WITH_SCRIPT, md: article("/images/evil.jpg"), field: "image" },
    {
      name: "a BMP in the body",
      file: "images/a.bmp",
      bytes: bmp(1, 1),
      md: article("/images/ok.png", "![x](/images/a.bmp)"),
      field: "body",
    },
  ])("$name is reported by check and not among the served images", async ({ file, bytes, md, field }) => {
    const catalog = await loadContent(createMemorySource({ "a.md": md, [file]: bytes, "images/ok.png": png(1, 1) }), site);
    expect(catalog.issues).toEqual([expect.objectContaining({ file: "a.md", field, found: expect.stringMatching(/SVG image|BMP image/) })]);
    expect(catalog.records).toEqual([]);
    expect(catalog.images.has(file)).toBe(false);
  });

  it.each([
    ["image/svg+xml", false],
    ["image/bmp", false],
    ["image/jpeg", true],
    ["IMAGE/WEBP", true],
  ])("a remote image's explicit type %s is accepted: %s (the five formats only, as for local images)", async (type, ok) => {
    const text = `---\ntitle: A\ndate: 2026-01-02T09:00:00Z\nimage:\n  src: https://cdn.example.com/x\n  type: ${type}\n---\n\nBody.\n`;
    const catalog = await loadContent(createMemorySource({ "a.md": text }), site);
    if (ok) {
      expect(catalog.issues).toEqual([]);
      expect(catalog.records[0]!.image).toMatchObject({ type });
    } else {
      expect(catalog.issues).toEqual([
        expect.objectContaining({ file: "a.md", field: "image.type", expected: expect.stringContaining("image/jpeg, image/png") }),
      ]);
      expect(catalog.records).toEqual([]);
    }
  });

  it("a remote .svg lead image gets no type (so no enclosure claims image/svg+xml)", async () => {
    const catalog = await loadContent(createMemorySource({ "a.md": article("https://cdn.example.com/chart.svg") }), site);
    expect(catalog.records[0]!.image).toMatchObject({ url: "https://cdn.example.com/chart.svg", type: undefined });
  });
});

describe("pixel dimensions are capped wherever they come from", () => {
  it("the check refuses an article whose local lead image claims too many pixels, and announces nothing", async () => {
    const files = {
      "images/claim.png": pngHeader(2147483647, 2147483647),
      "a.md": "---\ntitle: A\ndate: 2026-01-02T09:00:00Z\nimage: /images/claim.png\n---\n\nBody.\n",
    };
    const content = await loadContent(createMemorySource(files), site);
    expect(content.records).toEqual([]);
    expect(content.issues).toEqual([
      expect.objectContaining({
        file: "a.md",
        field: "image",
        found: expect.stringContaining("is not an accepted image: a PNG file of 2,147,483,647 × 2,147,483,647 pixels, over the limit"),
      }),
    ]);
  });

  it.each([
    { name: "a side over 16,384", width: 16385, height: 100, field: "image.width" },
    { name: "over 100 megapixels", width: 12000, height: 9000, field: "image.width" },
  ])("a remote image's declared size: $name is refused, naming the field", async ({ width, height, field }) => {
    const text = `---\ntitle: A\ndate: 2026-01-02T09:00:00Z\nimage:\n  src: https://cdn.example.com/a.jpg\n  width: ${width}\n  height: ${height}\n---\n\nBody.\n`;
    const content = await loadContent(createMemorySource({ "a.md": text }), site);
    expect(content.records).toEqual([]);
    expect(content.issues).toEqual([expect.objectContaining({ file: "a.md", field, expected: expect.stringContaining("16,384") })]);
  });
});

describe("a folder's files over their limits", () => {
  it("are refused from their size alone, never read into memory (a sparse 11 MiB image, a sparse 5 MiB article)", async () => {
    const { mkdtempSync, mkdirSync, truncateSync, writeFileSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { createDirectorySource } = await import("../../src/node/directory-source.ts");
    const dir = mkdtempSync(join(tmpdir(), "edge-feeds-sizes-"));
    try {
      mkdirSync(join(dir, "images"));
      writeFileSync(join(dir, "images", "huge.jpg"), "");
      truncateSync(join(dir, "images", "huge.jpg"), LIMITS.imageBytes + 1024 * 1024);
      writeFileSync(join(dir, "huge.md"), "");
      truncateSync(join(dir, "huge.md"), 5 * 1024 * 1024);
      writeFileSync(join(dir, "story.md"), "---\ntitle: A story\ndate: 2026-01-02T09:00:00Z\nimage: /images/huge.jpg\n---\n\nThe body.\n");
      const folder = createDirectorySource(dir);
      const read: string[] = [];
      const source = {
        ...folder,
        read: (path: string) => {
          read.push(path);
          return folder.read(path);
        },
      };
      const content = await loadContent(source, site);
      expect(read).not.toContain("images/huge.jpg");
      expect(read).not.toContain("huge.md");
      expect(read).toContain("story.md");
      const text = JSON.stringify(content.issues);
      expect(text).toMatch(/huge\.md.*a file of 5 MiB \(5,242,880 bytes\)/);
      expect(text).toMatch(/story\.md.*a file of 11 MiB \(11,534,336 bytes\), over the 10 MiB limit for images/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
