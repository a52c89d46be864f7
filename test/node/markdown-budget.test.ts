// The body budget: what the check refuses (size, deep raw HTML, HTML that renders too large), and that any body it accepts renders in bounded time,
// the pathological markdown constructs included. Footnotes move to the end as markdown-it-footnote's own rule does.
import fc from "fast-check";
import MarkdownIt from "markdown-it";
import footnote from "markdown-it-footnote";
import { describe, expect, it } from "vitest";
import { checkBodyBudget } from "../../src/core/body-budget.ts";
import { LIMITS } from "../../src/core/limits.ts";
import { createMarkdownParser, measureRenderedHtml, renderMarkdown } from "../../src/core/markdown.ts";

const base = { siteUrl: "https://news.example.com", pageUrl: "https://news.example.com/articles/a" };
const MAX = LIMITS.bodyBytes;
/** `unit` repeated to just under the body limit. */
const fill = (unit: string, reserve = 0): string => unit.repeat(Math.floor((MAX - reserve) / unit.length));
/** `head`, then `unit` repeated to just under the body limit. */
const fillAfter = (head: string, unit: string): string => head + fill(unit, head.length);

describe("checkBodyBudget", () => {
  it("names only what the renderer really drops, at the line where it starts dropping", () => {
    const base = { siteUrl: "https://x.example", pageUrl: "https://x.example/a" };
    const shown = (body: string) => renderMarkdown(body, base).html;
    expect(shown(`${">".repeat(99)} deep`)).toContain("deep");
    expect(checkBodyBudget(`${">".repeat(99)} deep`, base)).toEqual([]);
    expect(shown(`${">".repeat(100)} deep`)).not.toContain("deep");
    expect(checkBodyBudget(`${">".repeat(100)} deep`, base).map((p) => p.line)).toEqual([0]);
    const lists = Array.from({ length: 60 }, (_, i) => `${"  ".repeat(i)}- deep${i}\n`).join("");
    const [problem] = checkBodyBudget(lists, base);
    expect(problem).toBeDefined();
    expect(shown(lists)).toMatch(new RegExp(`deep${problem!.line - 1}\\b`));
    expect(shown(lists)).not.toMatch(new RegExp(`deep${problem!.line}\\b`));
  });

  it.each([
    { name: "a body at the limit", body: fill("word "), problems: [] },
    { name: "a body one byte over", body: "x".repeat(MAX + 1), problems: [[0, /^a body of 512 KiB \(524,289 bytes\)$/]] },
    { name: "multi-byte text counted in UTF-8 bytes", body: "ж".repeat(MAX / 2 + 1), problems: [[0, /a body of/]] },
    { name: "100 nested divs", body: "<div>".repeat(100), problems: [] },
    { name: "101 nested divs", body: "text\n\n" + "<div>".repeat(101), problems: [[2, /nested more than 100 deep/]] },
    { name: "unclosed <p> and <li> close themselves", body: "<p>a".repeat(5000) + "<ul>" + "<li>b".repeat(5000), problems: [] },
    { name: "closed elements any number of times", body: "<div><span>x</span></div>\n".repeat(20_000), problems: [] },
    { name: "an end tag closes everything inside it", body: "<div><b><i>x</div>\n".repeat(1000), problems: [] },
    { name: "<p> closed by a <div>, then a stray </p>", body: "<p><div>x</p>".repeat(101), problems: [[0, /nested more than 100/]] },
    { name: "void elements open nothing", body: "<br><img src=x><hr>".repeat(1000), problems: [] },
    // markdown-it stops at 100 levels and drops the rest of that block: the check says so instead.
    { name: "99 quotes inside each other (rendered whole)", body: `${">".repeat(99)} deep\n\nafter\n`, problems: [] },
    { name: "100 quotes inside each other", body: `intro\n\n${">".repeat(100)} deep\n`, problems: [[2, /nested 100 levels deep/]] },
    {
      name: "60 lists inside each other",
      body: Array.from({ length: 60 }, (_, i) => `${"  ".repeat(i)}- item ${i}\n`).join(""),
      problems: [[49, /nested 100 levels deep/]],
    },
    { name: "a long run of indentation that nests nothing", body: `${" ".repeat(40)}x\n${"-".repeat(40)}\n`, problems: [] },
  ])("$name", ({ body, problems }) => {
    const found = checkBodyBudget(body, base).map((p) => [p.line, p.found]);
    expect(found).toEqual(problems.map(([line, text]) => [line, expect.stringMatching(text as RegExp)]));
  });
});

// Budget: a body the check accepts (at most LIMITS.bodyBytes, HTML nested at most LIMITS.bodyHtmlDepth) renders in
// under RENDER_BUDGET_MS on the CI machine. The slowest case measured about 2.6 s on a loaded 2-core VM; the
// bound is generous so that only a super-linear regression (seconds become minutes) fails it.
const RENDER_BUDGET_MS = 15_000;

describe("rendering a body at the limit costs bounded time", () => {
  const notes = Array.from({ length: 3000 }, (_, i) => `x[^${i}]\n\n[^${i}]: note ${i}`).join("\n\n");
  it.each([
    { name: "many footnotes in a long body (quadratic in markdown-it-footnote's own tail)", body: fillAfter(notes + "\n\n", "a\n\n") },
    { name: "unclosed image brackets", body: fill("![") },
    { name: "unclosed link brackets", body: fill("[") },
    { name: "nested brackets", body: fill("[[") },
    { name: "emphasis runs", body: fill("*a") },
    { name: "mixed delimiters", body: fill("*_") },
    { name: "angle brackets", body: fill("<") },
    { name: "backticks", body: fill("`a``") },
    { name: "deep blockquotes", body: fill(">") },
    { name: "deep lists", body: fill("- ") },
    { name: "a wide table", body: fillAfter(`|${"a|".repeat(5000)}\n|${"-|".repeat(5000)}\n`, `|${"b|".repeat(5000)}\n`) },
    { name: "a long table", body: fillAfter("|a|b|\n|-|-|\n", "|x|y|\n") },
    { name: "reference links", body: fillAfter(Array.from({ length: 5000 }, (_, i) => `[r${i}]: /u${i}`).join("\n") + "\n\n", "[r1] ") },
    { name: "unclosed HTML whose end tags hide in code spans (the check's count misses it)", body: fill("<b>`</b>`") },
    { name: "HTML at the accepted depth, repeated", body: fillAfter("<div>".repeat(100), "<i></i>") },
    { name: "a huge srcset", body: `<img srcset="${fill("a 1x,", 20)}">` },
  ])("$name", ({ body }) => {
    expect(new TextEncoder().encode(body).byteLength).toBeLessThanOrEqual(MAX);
    const start = performance.now();
    const { html } = renderMarkdown(body, base);
    const elapsed = performance.now() - start;
    expect(html.length).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(RENDER_BUDGET_MS);
  });

  it("the check's count can be fooled, which is why the renderer has its own guard", () => {
    // 45 KB: at the full 512 KiB the same markup renders past the rendered-size budget, which refuses it.
    expect(checkBodyBudget("<b>`</b>`".repeat(5000), base)).toEqual([]);
  });

  it("shows the HTML of a body nested past the render guard as text, and keeps its markdown", () => {
    const { html } = renderMarkdown("**bold**\n\n" + "<!-- --><div>".repeat(LIMITS.renderHtmlDepth + 1) + "deep", base);
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("&lt;div&gt;");
    expect(html).not.toContain("<div>");
  });
});

describe("footnotes", () => {
  const plugin = new MarkdownIt({ html: true }).use(footnote);
  it.each([
    { name: "one reference", md: "Text[^1].\n\n[^1]: The note." },
    { name: "repeated references", md: "A[^a] b[^a] c[^b].\n\n[^a]: First.\n[^b]: Second." },
    { name: "inline footnotes", md: "A^[inline one] and ^[inline *two*]." },
    { name: "a multi-paragraph note", md: "A[^x].\n\n[^x]: Para one.\n\n    Para two.\n\n    > quote" },
    { name: "unused definitions", md: "No refs.\n\n[^u]: Unused." },
    { name: "a note that refers to another", md: "A[^1].\n\n[^1]: See[^2].\n[^2]: End." },
    { name: "a note ending in a list", md: "A[^l].\n\n[^l]: Items:\n\n    - one\n    - two" },
  ])("$name: the same HTML as markdown-it-footnote's own rule", ({ md }) => {
    expect(createMarkdownParser(true).render(md)).toBe(plugin.render(md));
  });
});

// The rendered-size budget (LIMITS.renderedHtmlBytes): what a body renders to is measured token by token, without
// building it, and a body whose HTML would pass the budget is refused at the line whose markup repeats.
describe("the rendered size", () => {
  const utf8 = (text: string) => new TextEncoder().encode(text).byteLength;
  const BUDGET = LIMITS.renderedHtmlBytes;
  const notes = Array.from({ length: 40 }, (_, i) => `Note ${i}[^${i}] and a [link](https://example.com/${i}).\n\n[^${i}]: Text ${i}.`);
  const corpus: Record<string, string> = {
    "plain prose": "A paragraph of words.\n\nAnother one, with *emphasis* and `code`.\n",
    "footnotes and links": notes.join("\n\n"),
    "a repeated footnote": `Text${"[^1]".repeat(300)}\n\n[^1]: The note.\n`,
    "inline footnotes": "A^[one] and ^[two *em*].\n",
    "relative links and images": "[a](#x) [b](x.html) [c](/y) ![d](/images/x.jpg) ![e](x.jpg)\n\nline  \nbreak\n\n---\n",
    "an aligned table": `|a|b|c|\n|:-|:-:|-:|\n${"|x|y|z|\n".repeat(200)}`,
    "reference links": `[r]: https://example.com/${"p".repeat(100)}\n\n${"[r] ".repeat(300)}\n`,
    "raw HTML": '<div class="x"><p>Hi <a href="/y">y</a> <img src="z.png"></p></div>\n\n<span title=\'"q"\'>a > b & c</span>\n',
    "HTML past the render guard (shown as text)": `${"<div>".repeat(LIMITS.renderHtmlDepth + 5)}x`,
    headings: "# one\n\n## two\n\n### three\n",
    "code blocks": "```js\nconst a = '<b>';\n```\n\n    indented <code>\n",
    "non-Latin text": "بهره‌برداری از سه ایستگاه جدید\n\nЖурнал «Каспий»\n",
  };

  it.each(Object.entries(corpus))("%s: the count is the rendered HTML's size, or a little above it", (_name, body) => {
    const real = utf8(renderMarkdown(body, base).html);
    const { bytes, over } = measureRenderedHtml(body, base, Number.POSITIVE_INFINITY);
    expect(over).toBe(false);
    expect(bytes).toBeGreaterThanOrEqual(real);
    // Relative paths resolve to shorter URLs than the page's own, so they are counted a little high; never much.
    expect(bytes).toBeLessThanOrEqual(real * 1.3 + 64);
  });

  it("never counts below the rendered size, whatever the markdown (property)", () => {
    const piece = fc.constantFrom(
      "[^1]",
      "[^2]",
      "^[inline]",
      "[a](#f)",
      "[r]",
      "![i](x.jpg)",
      "<b>",
      "</b>",
      '<a href="/p">',
      "<br>",
      "&amp;",
      '"',
      "`c`",
      "|x|",
      "\n",
      "\n\n",
      "  \n",
      "# ",
      "> ",
      "- ",
      "word ",
      "é",
      "&",
      "<",
      "[u](http://example.com)",
      "<https://example.org>",
      "[p](../up/x?q=1)",
    );
    const tail = "\n\n[^1]: One.\n[^2]: Two[^1].\n\n[r]: /target\n\n|a|b|\n|-|:-|\n|c|d|\n";
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const body = parts.join("") + tail;
        const real = utf8(renderMarkdown(body, base).html);
        expect(measureRenderedHtml(body, base, Number.POSITIVE_INFINITY).bytes).toBeGreaterThanOrEqual(real);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    {
      name: "the issue's 200 KB body repeating one footnote",
      body: `Intro.\n\nText${"[^1]".repeat(50_000)}\n\n[^1]: The note.\n`,
      line: 2,
      cause: /footnote references/,
    },
    {
      name: "a 100 KB body repeating one footnote (stored, it made /rss.xml?limit=100 22.8 MB)",
      body: `Intro.\n\n${"Word[^1] ".repeat(12_500)}\n\n[^1]: The note.\n`,
      line: 2,
      cause: /footnote references/,
    },
    {
      name: "a reference-style link with a long URL, used thousands of times",
      body: `[r]: https://example.com/${"p".repeat(2000)}\n\nIntro.\n\n${"[r] ".repeat(600)}\n`,
      line: 4,
      cause: /links \(a reference-style link repeats its whole URL/,
    },
    {
      name: "a table of 400 KB of one-letter cells",
      body: `Intro\n\n|a|b|\n|:-|-:|\n${"|x|y|\n".repeat(70_000)}`,
      line: 2,
      cause:
        /^markdown that renders to more than 1 MiB of HTML; the block starting here \(70,002 lines\) renders to at least 10\d\d(\.\d)? KiB from 410.2 KiB, most of it table cells$/,
    },
    { name: "relative links, each made absolute", body: `Intro\n\nmore\n${"[a](#x) ".repeat(30_000)}\n`, line: 3, cause: /links/ },
  ])("refuses $name, naming the line and what repeats", ({ body, line, cause }) => {
    expect(utf8(body)).toBeLessThanOrEqual(LIMITS.bodyBytes);
    const problems = checkBodyBudget(body, base);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(line);
    expect(problems[0]!.found).toMatch(/^markdown that renders to more than 1 MiB of HTML; (this line alone|the block starting here)/);
    expect(problems[0]!.found).toMatch(cause);
    // What the renderer really makes of it: over the budget, so the check refused no body that would have fitted.
    expect(utf8(renderMarkdown(body, base).html)).toBeGreaterThan(BUDGET);
  });

  it.each([
    { name: "512 KiB of prose paragraphs", body: fill("A sentence of ordinary prose, as reporters write it.\n\n") },
    { name: "a repeated footnote just inside the budget", body: `Text${"[^1]".repeat(4_000)}\n\n[^1]: The note.\n` },
    // Table rows render to about three times their markdown (right-aligned cells carry a style each).
    { name: "a long table of real words", body: `|Name|Votes|\n|-|-:|\n${"|Candidate name|12,345|\n".repeat(10_000)}` },
  ])("accepts $name", ({ body }) => {
    expect(checkBodyBudget(body, base)).toEqual([]);
    expect(utf8(renderMarkdown(body, base).html)).toBeLessThanOrEqual(BUDGET);
  });
});
