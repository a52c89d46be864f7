// Checks a markdown body against the input budget before anything renders it: its size, how deep its raw HTML nests,
// and whether its quotes and lists nest so deep that the renderer would drop part of it.
import { countUtf8Bytes, describeSize, formatBytes, LIMITS } from "./limits.ts";
import { MARKDOWN_MAX_NESTING, markdownNestingOverflow } from "./markdown.ts";
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
 * Problems that would make the body costly to render, found in one linear pass: a body over `LIMITS.bodyBytes`, or raw
 * HTML nested deeper than `LIMITS.bodyHtmlDepth`.
 *
 * The depth is what the HTML parser behind sanitize-html (htmlparser2) keeps open, whose cost per start tag grows with
 * the depth: its rules are followed (an end tag closes everything down to the innermost element of its name; a start
 * tag closes the elements its CLOSES entry names while they are innermost), over the raw body. Tags in code spans count
 * too (they only add), and tags in comments are read as tags, so a body written to fool this count can pass it: the
 * renderer has its own guard (markdown.ts) and then shows such a body's HTML as text.
 */
export function checkBodyBudget(body: string): BodyProblem[] {
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
  return [];
}
