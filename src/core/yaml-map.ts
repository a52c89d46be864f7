// Reads a content file that is a YAML map of keyed entries (authors.yaml, partners.yaml), with located errors.
import yaml from "js-yaml";
import type { ContentIssue } from "./errors.ts";

export interface YamlEntry {
  key: string;
  value: unknown;
  /** 1-based line of the entry's key, when found. */
  line?: number;
}

/**
 * The entries of a YAML map, or the one issue that stops the whole file (malformed YAML, not a map). Uses js-yaml's core
 * schema, like the front matter, so no value is turned into a Date behind the reader's back.
 */
export function readYamlMap(file: string, text: string, expected: string): { entries: YamlEntry[] } | { issue: ContentIssue } {
  let data: unknown;
  try {
    data = yaml.load(text, { schema: yaml.CORE_SCHEMA }) ?? {};
  } catch (error) {
    const { line, reason } = describeYamlError(error);
    return { issue: { file, line: line === undefined ? undefined : line + 1, found: `malformed YAML (${reason})`, expected } };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { issue: { file, found: "a file that is not a map", expected } };
  }
  const lines = text.split(/\r?\n/);
  return {
    entries: Object.entries(data).map(([key, value]) => {
      const index = lines.findIndex((l) => l.startsWith(`${key}:`));
      return { key, value, line: index >= 0 ? index + 1 : undefined };
    }),
  };
}

/** js-yaml's reason for a parse error and its 0-based line in the parsed text, when it knows one. */
export function describeYamlError(error: unknown): { line?: number; reason: string } {
  const mark = (error as { mark?: { line?: number } }).mark;
  const reason = (error as { reason?: string }).reason ?? (error instanceof Error ? error.message : String(error));
  return { line: typeof mark?.line === "number" ? mark.line : undefined, reason };
}
