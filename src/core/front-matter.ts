// Splits a markdown file into YAML front matter and body, with errors that name the line.
import matter from "gray-matter";
import { clip, quote } from "./describe-value.ts";
import type { ContentIssue } from "./errors.ts";
import { countUtf8Bytes, describeSize, formatBytes, LIMITS } from "./limits.ts";
import { findTopLevelKey, loadYaml, YAML_PROBLEM_EXPECTED, type YamlResult } from "./safe-yaml.ts";

export type FrontMatterResult =
  | { ok: true; data: Record<string, unknown>; body: string; lines: readonly string[] }
  | { ok: false; issue: ContentIssue };

class YamlEngineError extends Error {
  readonly result: Extract<YamlResult, { ok: false }>;
  constructor(result: Extract<YamlResult, { ok: false }>) {
    super(result.found);
    this.result = result;
  }
}

// loadYaml uses js-yaml's core schema, which leaves timestamps as strings, so naive times can be read in the site's
// time zone (the default schema would read them as UTC). Only YAML is allowed: gray-matter would eval `---js` blocks.
const engines = {
  yaml: (text: string): object => {
    const result = loadYaml(text);
    if (!result.ok) throw new YamlEngineError(result);
    return result.data as object;
  },
  js: refuse,
  javascript: refuse,
  coffee: refuse,
  json: refuse,
  toml: refuse,
};

function refuse(): never {
  throw new Error("only YAML front matter is allowed");
}

/** RFC-less but conventional: the file opens with `---`, YAML follows, a line `---` closes it. */
export function splitFrontMatter(file: string, text: string): FrontMatterResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = source.split(/\r?\n/);
  if (!/^---[ \t]*$/.test(lines[0] ?? "")) {
    return {
      ok: false,
      issue: {
        file,
        line: 1,
        found: lines[0]?.startsWith("---") ? `an opening line ${quote(lines[0])}` : "no front matter",
        expected: "the file to start with a line '---', YAML fields (at least title and date), then a line '---'",
      },
    };
  }
  const close = lines.findIndex((line, i) => i > 0 && /^---[ \t]*$/.test(line));
  if (close < 0) {
    return {
      ok: false,
      issue: { file, line: 1, found: "front matter opened with '---' but never closed", expected: "a line '---' after the last field" },
    };
  }
  const yamlLines = lines.slice(1, close);
  const tooLarge = checkFrontMatterSize(file, yamlLines);
  if (tooLarge) return { ok: false, issue: tooLarge };
  try {
    const parsed = matter(source, { engines, language: "yaml" });
    const data = parsed.data;
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      return {
        ok: false,
        issue: { file, line: 2, found: "front matter that is not a set of fields", expected: "YAML 'field: value' lines" },
      };
    }
    return { ok: true, data: data as Record<string, unknown>, body: parsed.content, lines: lines.slice(0, close) };
  } catch (error) {
    const result: Extract<YamlResult, { ok: false }> =
      error instanceof YamlEngineError ? error.result : { ok: false, problem: "malformed", found: `malformed YAML (${String(error)})` };
    // gray-matter hands the engine the text from the end of the opening '---' (so its line 0 is the file's line 1).
    return {
      ok: false,
      issue: {
        file,
        field: result.line === undefined ? undefined : findTopLevelKey(lines, result.line),
        line: result.line === undefined ? undefined : result.line + 1,
        found: result.found,
        expected:
          result.problem === "malformed"
            ? "valid YAML: 'field: value' lines; quote values that contain ': ' or start with a special character"
            : YAML_PROBLEM_EXPECTED[result.problem],
      },
    };
  }
}

/** Front matter over the budget, named by its largest field (where the bulk is, so where to look). */
function checkFrontMatterSize(file: string, yamlLines: readonly string[]): ContentIssue | undefined {
  const sizes = new Map<string, number>();
  let total = 0;
  let key: string | undefined;
  for (const line of yamlLines) {
    const bytes = countUtf8Bytes(line) + 1;
    total += bytes;
    if (/^[^\s#-]/.test(line)) key = findTopLevelKey([line], 0) ?? key;
    if (key !== undefined) sizes.set(key, (sizes.get(key) ?? 0) + bytes);
  }
  if (total <= LIMITS.frontMatterBytes) return undefined;
  // Name a field only if the bulk is in it; thousands of small fields are the file's problem, not one field's.
  const largest = [...sizes].sort((a, b) => b[1] - a[1])[0];
  const blamed = largest && largest[1] * 2 > total ? largest : undefined;
  return {
    file,
    field: blamed?.[0],
    line: 1,
    found:
      `front matter of ${describeSize(total)}` +
      (blamed ? ` (${formatBytes(blamed[1])} of it in \`${clip(blamed[0], 40)}\`)` : ` in ${sizes.size.toLocaleString("en")} fields`),
    expected: `front matter of at most ${formatBytes(LIMITS.frontMatterBytes)}: short fields, with the text in the body`,
  };
}

/** 1-based line of a top-level field in the front matter, for error messages. */
export function fieldLine(lines: readonly string[], field: string): number | undefined {
  const top = field.split(".")[0]!;
  const index = lines.findIndex((line) => line.startsWith(`${top}:`) || line.startsWith(`"${top}":`));
  return index >= 0 ? index + 1 : undefined;
}
