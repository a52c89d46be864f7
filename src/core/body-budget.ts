// Checks a markdown body against the input budget before anything renders it: its size, how deep its raw HTML nests,
// whether its quotes and lists nest so deep that the renderer would drop part of it, and how large its HTML would be.
import { countUtf8Bytes, describeSize, formatBytes, LIMITS } from "./limits.ts";
import { MARKDOWN_MAX_NESTING, markdownNestingOverflow, measureRenderedHtml, type RenderedKind, type UrlBase } from "./markdown.ts";
import { countLinesBefore } from "./text.ts";

export interface BodyProblem {
  /** 0-based line in the body. */
  line: number;
  found: string;
  expected: string;
}

/** Elements that never hold content, so they open nothing (htmlparser2's list, which follows the HTML spec). */
const VOID = new Set([
  "area",
  "base",
  "basefont",
  "br",
  "col",
  "command",
  "embed",
  "frame",
  "hr",
  "img",
  "input",
  "isindex",
  "keygen",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);

const P = new Set(["p"]);
const FORM = new Set(["input", "option", "optgroup", "select", "button", "datalist", "textarea"]);
const DDT = new Set(["dd", "dt"]);
const RTP = new Set(["rt", "rp"]);
const SECTION = new Set(["thead", "tbody"]);

/** Open elements a start tag closes while they are innermost (unclosed `<p>`, `<li>`, cells): htmlparser2's table. */
const CLOSES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["tr", new Set(["tr", "th", "td"])],
  ["th", new Set(["th"])],
  ["td", new Set(["thead", "th", "td"])],
  ["body", new Set(["head", "link", "script"])],
  ["li", new Set(["li"])],
  ...["p", "h1", "h2", "h3", "h4", "h5", "h6", "address", "article", "aside", "blockquote", "details", "div", "dl"].map(
    (t) => [t, P] as const,
  ),
  ...["fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "main", "nav", "ol", "pre", "section", "table", "ul"].map(
    (t) => [t, P] as const,
  ),
  ...["select", "input", "output", "button", "datalist", "textarea"].map((t) => [t, FORM] as const),
  ["option", new Set(["option"])],
  ["optgroup", new Set(["optgroup", "option"])],
  ["dd", DDT],
  ["dt", DDT],
  ["rt", RTP],
  ["rp", RTP],
  ["tbody", SECTION],
  ["tfoot", SECTION],
]);

/**
 * Problems that would make the body costly to render, store or serve: a body over `LIMITS.bodyBytes`, raw HTML nested
 * deeper than `LIMITS.bodyHtmlDepth` (one linear pass), quotes and lists the renderer would drop, or HTML over
 * `LIMITS.renderedHtmlBytes` once rendered (`base` is what its relative links resolve against: they count at their
 * absolute length). The check and the publish API both call this through `parseArticle`, so they always agree.
 *
 * The depth is what the HTML parser behind sanitize-html (htmlparser2) keeps open, whose cost per start tag grows with
 * the depth: its rules are followed (an end tag closes everything down to the innermost element of its name; a start
 * tag closes the elements its CLOSES entry names while they are innermost), over the raw body. Tags in code spans count
 * too (they only add), and tags in comments are read as tags, so a body written to fool this count can pass it: the
 * renderer has its own guard (markdown.ts) and then shows such a body's HTML as text.
 */
export function checkBodyBudget(body: string, base: UrlBase): BodyProblem[] {
  const bytes = body.length > LIMITS.bodyBytes / 4 ? countUtf8Bytes(body) : body.length;
  if (bytes > LIMITS.bodyBytes) {
    return [
      {
        line: 0,
        found: `a body of ${describeSize(bytes)}`,
        expected: `at most ${formatBytes(LIMITS.bodyBytes)} of markdown (about 80,000 words): split it into parts`,
      },
    ];
  }
  const open: string[] = [];
  for (const m of body.matchAll(/<(\/?)([A-Za-z][^\t\n\f\r />]*)/g)) {
    const name = m[2]!.toLowerCase();
    if (m[1]) {
      const at = open.lastIndexOf(name);
      if (at >= 0) open.length = at;
      continue;
    }
    const closes = CLOSES.get(name);
    while (closes && open.length > 0 && closes.has(open.at(-1)!)) open.pop();
    if (VOID.has(name)) continue;
    open.push(name);
    if (open.length > LIMITS.bodyHtmlDepth) {
      return [
        {
          line: countLinesBefore(body, m.index),
          found: `HTML elements nested more than ${LIMITS.bodyHtmlDepth} deep (a <${name.slice(0, 20)}> inside ${open.length - 1} unclosed elements)`,
          expected: "HTML with its elements closed (</div>, </span>, …), or markdown instead of HTML",
        },
      ];
    }
  }
  const deep = markdownNestingOverflow(body);
  if (deep !== undefined) {
    return [
      {
        line: deep,
        found: `quotes or lists nested ${MARKDOWN_MAX_NESTING} levels deep, where the renderer stops and drops what follows`,
        expected: `fewer than ${MARKDOWN_MAX_NESTING} levels of blockquotes and lists inside each other`,
      },
    ];
  }
  const rendered = measureRenderedHtml(body, base, LIMITS.renderedHtmlBytes);
  if (rendered.over) {
    const { block, line, kind } = rendered.heaviest;
    const budget = formatBytes(LIMITS.renderedHtmlBytes);
    // One line that holds most of it (a paragraph repeating a footnote) is named; else the block (a long table).
    const alone = line.bytes * 2 > block.bytes;
    const from = alone ? lineBytes(body, line.line, line.line) : lineBytes(body, block.first, block.last);
    const size = (bytes: number) => `${bytes * 2 > LIMITS.renderedHtmlBytes ? "at least " : ""}${formatBytes(bytes)}`;
    const what = alone
      ? `this line alone renders to ${size(line.bytes)} from ${formatBytes(from)}`
      : `the block starting here (${(block.last - block.first + 1).toLocaleString("en")} lines) renders to ${size(block.bytes)} from ${formatBytes(from)}`;
    return [
      {
        line: alone ? line.line : block.first,
        found: `markdown that renders to more than ${budget} of HTML; ${what}, most of it ${CAUSES[kind]}`,
        expected: `at most ${budget} of HTML per article (every feed carries it): repeat that markup less, or split the article`,
      },
    ];
  }
  return [];
}

/** What each kind of markup costs when repeated, for the message. */
const CAUSES: Readonly<Record<RenderedKind, string>> = {
  "footnote references": "footnote references (each one also adds a link back under the notes)",
  links: "links (a reference-style link repeats its whole URL at every use)",
  images: "images",
  "table cells": "table cells",
  headings: "headings",
  "raw HTML": "raw HTML",
  code: "code",
  text: "text",
};

/** UTF-8 bytes of the 0-based lines `first` to `last` of `text`. */
function lineBytes(text: string, first: number, last: number): number {
  let start = 0;
  for (let i = 0; i < first; i++) {
    const next = text.indexOf("\n", start);
    if (next < 0) return 0;
    start = next + 1;
  }
  let end = start;
  for (let i = first; i <= last && end >= 0; i++) end = text.indexOf("\n", end + (i === first ? 0 : 1));
  return countUtf8Bytes(text.slice(start, end < 0 ? undefined : end));
}
