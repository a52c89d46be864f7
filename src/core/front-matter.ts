// Splits a markdown file into YAML front matter and body, with errors that name the line.
import matter from "gray-matter";
import yaml from "js-yaml";
import type { ContentIssue } from "./errors.ts";
import { describeYamlError } from "./yaml-map.ts";

export type FrontMatterResult =
  | { ok: true; data: Record<string, unknown>; body: string; lines: readonly string[] }
  | { ok: false; issue: ContentIssue };

class YamlEngineError extends Error {
  override readonly cause: unknown;
  constructor(cause: unknown) {
    super("yaml");
    this.cause = cause;
  }
}

// js-yaml's core schema leaves timestamps as strings, so naive times can be read in the site's time zone
// (the default schema would read them as UTC). Only YAML is allowed: gray-matter would eval `---js` blocks.
const engines = {
  yaml: (text: string): object => {
    try {
      return (yaml.load(text, { schema: yaml.CORE_SCHEMA }) ?? {}) as object;
    } catch (error) {
      throw new YamlEngineError(error);
    }
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
        found: lines[0]?.startsWith("---") ? `an opening line "${lines[0]}"` : "no front matter",
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
    const cause = error instanceof YamlEngineError ? error.cause : error;
    // The front matter starts on the file's second line.
    const { line, reason } = describeYamlError(cause);
    return {
      ok: false,
      issue: {
        file,
        line: line === undefined ? undefined : line + 2,
        found: `malformed YAML (${reason})`,
        expected: "valid YAML: 'field: value' lines; quote values that contain ': ' or start with a special character",
      },
    };
  }
}

/** 1-based line of a top-level field in the front matter, for error messages. */
export function fieldLine(lines: readonly string[], field: string): number | undefined {
  const top = field.split(".")[0]!;
  const index = lines.findIndex((line) => line.startsWith(`${top}:`) || line.startsWith(`"${top}":`));
  return index >= 0 ? index + 1 : undefined;
}
