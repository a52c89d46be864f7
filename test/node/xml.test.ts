// Table-driven escaping rules of the one XML module.
import { describe, expect, it } from "vitest";
import { cdata, cleanXmlChars, escapeAttr, escapeText, escapeTextAsHtml } from "../../src/formats/xml.ts";

describe("escapeText", () => {
  it.each([
    { input: "Q&A", expected: "Q&amp;A" },
    { input: "<INSTC>", expected: "&lt;INSTC&gt;" },
    { input: "a ]]> b", expected: "a ]]&gt; b" },
    { input: "quotes \" and ' stay", expected: "quotes \" and ' stay" },
    { input: "tab\tnew\nline\r", expected: "tab\tnew\nline&#13;" },
    { input: "bell\u0007 nul\u0000 esc\u001b", expected: "bell nul esc" },
    { input: "noncharacters \uFFFE\uFFFF gone", expected: "noncharacters  gone" },
    { input: "lone \uD800 surrogate", expected: "lone  surrogate" },
    { input: "emoji 😀 and 𝄞 stay", expected: "emoji 😀 and 𝄞 stay" },
    { input: "فارسی", expected: "فارسی" },
  ])("$input", ({ input, expected }) => {
    expect(escapeText(input)).toBe(expected);
  });
});

describe("escapeAttr", () => {
  it.each([
    { input: 'a "quoted" <value> & more', expected: "a &#34;quoted&#34; &#60;value&#62; &#38; more" },
    { input: "line\nbreak\ttab", expected: "line&#10;break&#9;tab" },
    { input: "https://x.test/?a=1&b=2", expected: "https://x.test/?a=1&#38;b=2" },
  ])("$input", ({ input, expected }) => {
    expect(escapeAttr(input)).toBe(expected);
  });
});

describe("cdata", () => {
  it.each([
    { input: "<p>x</p>", expected: "<![CDATA[<p>x</p>]]>" },
    { input: "a]]>b]]>c", expected: "<![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>c]]>" },
    { input: "]]>", expected: "<![CDATA[]]]]><![CDATA[>]]>" },
    { input: "ctl\u0001", expected: "<![CDATA[ctl]]>" },
    { input: "a\r\nb\rc", expected: "<![CDATA[a\nb\nc]]>" },
  ])("$input", ({ input, expected }) => {
    expect(cdata(input)).toBe(expected);
  });
});

describe("escapeTextAsHtml (plain text where readers expect HTML)", () => {
  it.each([
    { input: "Q&A <b>", expected: "Q&amp;amp;A &amp;lt;b&amp;gt;" },
    { input: "plain", expected: "plain" },
  ])("$input", ({ input, expected }) => {
    expect(escapeTextAsHtml(input)).toBe(expected);
  });
});

describe("cleanXmlChars", () => {
  it("keeps every allowed character in one pass and removes only forbidden ones", () => {
    expect(cleanXmlChars("ok\u0009\u000A\u000D\u0020\uD7FF\uE000\uFFFD\u{10000}\u{10FFFF}")).toBe(
      "ok\u0009\u000A\u000D\u0020\uD7FF\uE000\uFFFD\u{10000}\u{10FFFF}",
    );
    expect(cleanXmlChars("\u0000\u0008\u000B\u000C\u001F\uFFFE\uFFFF\uDC00")).toBe("");
  });
});
