// What makes the documentation's cross-references break: relative markdown links to files or headings that are not
// there, and comments that name a section (`README, "Settings"`, `docs/feeds.md, "Feed options"`) no page has.
import { posix } from "node:path";

/** A problem found: the file it is in, and what is wrong. */
export interface LinkProblem {
  file: string;
  problem: string;
}

/** The files checked, by repository path (posix separators), with their text. */
export type Tree = ReadonlyMap<string, string>;

/** Fenced code blocks (``` or ~~~) blanked out, so what they hold is neither a heading nor a link. */
function withoutFences(markdown: string): string {
  const lines = markdown.split("\n");
  let fence: string | undefined;
  return lines
    .map((line) => {
      const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (fence === undefined && open) {
        fence = open[1]![0]!.repeat(open[1]!.length);
        return "";
      }
      if (fence !== undefined) {
        if (line.trimStart().startsWith(fence)) fence = undefined;
        return "";
      }
      return line;
    })
    .join("\n");
}

/** A heading's text as it reads: code marks, emphasis marks and link targets dropped. */
function headingText(raw: string): string {
  return raw
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`+/g, "")
    .replace(/\*\*|__/g, "")
    .replace(/\s+#+\s*$/, "")
    .trim();
}

/**
 * GitHub's anchor for a heading: lower case, every character but letters, marks, digits, connector punctuation
 * (`_`), hyphens and spaces dropped, each space a hyphen; a repeated anchor gets `-1`, `-2`, … in document order.
 */
export function githubAnchor(text: string): string {
  return headingText(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The headings of a markdown text, as read (outside fenced code). */
export function headingsOf(markdown: string): string[] {
  return [...withoutFences(markdown).matchAll(/^ {0,3}#{1,6}[ \t]+(.+)$/gm)].map((m) => headingText(m[1]!));
}

/** Every anchor a markdown text's headings give, repeats numbered as GitHub numbers them. */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const heading of headingsOf(markdown)) {
    const base = githubAnchor(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** The bold lead-ins of a text (`**Caching.**`, `**Batches**`): sections too, for a reference in words. */
function boldTermsOf(markdown: string): string[] {
  return [...withoutFences(markdown).matchAll(/\*\*([^*\n]+?)\.?\*\*/g)].map((m) => headingText(m[1]!));
}

/** The relative link targets of a markdown text (outside fenced code and code spans), images included. */
export function relativeLinksOf(markdown: string): string[] {
  const text = withoutFences(markdown).replace(/(`+)[\s\S]*?\1/g, (span) => span.replace(/[^\n]/g, " "));
  const targets: string[] = [];
  for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = m[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) continue;
    targets.push(target);
  }
  return targets;
}

/** Whether `path` is a file or folder of the tree (a folder: some file lies below it). */
function exists(tree: Tree, path: string): boolean {
  const clean = path.replace(/\/+$/, "");
  if (tree.has(clean)) return true;
  const below = `${clean}/`;
  for (const file of tree.keys()) if (file.startsWith(below)) return true;
  return false;
}

/**
 * Every relative link of the markdown files in `tree` that leads to no file, or to no heading of the file it names;
 * `has` says whether a path exists (by default: a file or folder of the tree).
 */
export function linkProblems(tree: Tree, has: (path: string) => boolean = (path) => exists(tree, path)): LinkProblem[] {
  const problems: LinkProblem[] = [];
  for (const [file, text] of tree) {
    if (!file.endsWith(".md")) continue;
    for (const target of relativeLinksOf(text)) {
      const hash = target.indexOf("#");
      const pathPart = hash === -1 ? target : target.slice(0, hash);
      const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
      const resolved = pathPart === "" ? file : posix.normalize(posix.join(posix.dirname(file), decodeURIComponent(pathPart)));
      if (resolved.startsWith("..") || !has(resolved)) {
        problems.push({ file, problem: `links to ${target}, but there is no ${resolved}` });
        continue;
      }
      if (anchor === undefined) continue;
      const linked = tree.get(resolved);
      if (linked === undefined || !resolved.endsWith(".md")) {
        problems.push({ file, problem: `links to ${target}, an anchor in a file that is not markdown` });
      } else if (!anchorsOf(linked).has(anchor)) {
        problems.push({ file, problem: `links to ${target}, but ${resolved} has no heading with the anchor #${anchor}` });
      }
    }
  }
  return problems;
}

/** Text with comment continuations joined, so a reference wrapped over two comment lines reads as one. */
function joinedComments(text: string): string {
  return text.replace(/[ \t]*\r?\n[ \t]*(?:\/\/+|--|\*(?!\*)|#+(?=\s))?[ \t]*/g, " ");
}

/**
 * Every reference in words of the files in `tree` to a section of the README or of a docs/ page that is not there:
 * `README, "X"` or `docs/x.md, "X"` where the page has no heading (nor bold lead-in) X, and `docs/x.md` that is no file.
 */
export function referenceProblems(tree: Tree, has: (path: string) => boolean = (path) => exists(tree, path)): LinkProblem[] {
  const problems: LinkProblem[] = [];
  const sections = new Map<string, Set<string>>();
  const sectionsOf = (page: string): Set<string> | undefined => {
    const text = tree.get(page);
    if (text === undefined) return undefined;
    let found = sections.get(page);
    if (!found) {
      found = new Set([...headingsOf(text), ...boldTermsOf(text)].map((s) => s.toLowerCase()));
      sections.set(page, found);
    }
    return found;
  };
  for (const [file, text] of tree) {
    // In a page, what stands in code is an example, not a reference.
    const joined = joinedComments(file.endsWith(".md") ? withoutFences(text).replace(/(`+)[\s\S]*?\1/g, " ") : text);
    for (const m of joined.matchAll(/\b(README(?:\.md)?|docs\/[\w./-]*?\.md)\b(?:,? +"([^"\n]{1,120})")?/g)) {
      const page = m[1]!.startsWith("README") ? "README.md" : m[1]!;
      const section = m[2];
      const known = sectionsOf(page);
      if (known === undefined) {
        if (!has(page)) problems.push({ file, problem: `names ${page}, which does not exist` });
        continue;
      }
      if (section !== undefined && !known.has(headingText(section).toLowerCase())) {
        problems.push({ file, problem: `names the section "${section}" of ${page}, which has no such section` });
      }
    }
  }
  return problems;
}
