// encodeParts: the UTF-8 bytes of pieces written one after another are the bytes of their concatenation.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cleanText } from "../../src/core/text.ts";
import { encodeParts, WORKSPACE_MAX_BYTES } from "../../src/core/utf8.ts";

const whole = (parts: readonly string[]) => Buffer.from(parts.join(""), "utf8");

describe("encodeParts", () => {
  it.each([
    ["nothing", [], 0],
    ["an empty piece", [""], 0],
    ["ASCII", ["<rss>", "</rss>\n"], 12],
    ["Latin-1 (two bytes each)", ["caf", "é"], 5],
    ["the BMP beyond Latin-1 (three bytes)", ["“quoted”", " — €"], 20],
    ["astral characters (four bytes, a surrogate pair in one piece)", ["🗞️", "𝒜"], 11],
    ["one-byte pieces beside a two-byte one", ["plain ", "naïve “text”", " plain"], 29],
  ])("%s", (_name, parts, bytes) => {
    const out = encodeParts(parts);
    expect(out.byteLength).toBe(bytes);
    expect(Buffer.from(out).equals(whole(parts))).toBe(true);
  });

  it("keeps exactly the bytes written, not the worst-case buffer", () => {
    const out = encodeParts(["a".repeat(1000)]);
    expect(out.byteLength).toBe(1000);
    expect(out.buffer.byteLength).toBe(1000);
  });

  it("returns bytes of their own: a later call, into the reused workspace, changes no earlier result", () => {
    const long = ["“long” ".repeat(5000), "é".repeat(3000)];
    const first = encodeParts(long);
    const second = encodeParts(["short"]);
    const third = encodeParts(["x".repeat(20_000)]);
    expect(Buffer.from(first).equals(whole(long))).toBe(true);
    expect(Buffer.from(second).toString()).toBe("short");
    expect(third.byteLength).toBe(20_000);
    expect(first.buffer).not.toBe(second.buffer);
    expect(second.buffer.byteLength).toBe(5);
  });

  it("encodes a document beyond the kept workspace in a buffer of its own, and still exactly", () => {
    const units = WORKSPACE_MAX_BYTES / 3 + 1000;
    const parts = ["<a>", "€".repeat(units / 2), "b".repeat(units / 2)];
    const out = encodeParts(parts);
    expect(Buffer.from(out).equals(whole(parts))).toBe(true);
    expect(Buffer.from(encodeParts(["after"])).toString()).toBe("after");
  });

  it("equals encoding the joined text for any pieces of cleaned text", () => {
    const piece = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary-ascii" }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (raw) => {
        const parts = raw.map(cleanText);
        expect(Buffer.from(encodeParts(parts)).equals(whole(parts))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
