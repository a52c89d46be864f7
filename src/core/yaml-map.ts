// Reads a content file that is a YAML map of keyed entries (authors.yaml, partners.yaml), with located errors.
import type { ContentIssue } from "./errors.ts";
import { countUtf8Bytes, describeSize, formatBytes, LIMITS } from "./limits.ts";
import { findTopLevelKey, loadYaml, YAML_PROBLEM_EXPECTED } from "./safe-yaml.ts";

export interface YamlEntry {
  key: string;
  value: unknown;
  /** 1-based line of the entry's key, when found. */
  line?: number;
}

/**
 * The entries of a YAML map, or the one issue that stops the whole file (too large, malformed YAML, anchors or aliases,
 * nested too deep, not a map). Loaded by loadYaml (js-yaml's core schema, like the front matter), so no value is
 * turned into a Date behind the reader's back.
 */
export function readYamlMap(file: string, text: string, expected: string): { entries: YamlEntry[] } | { issue: ContentIssue } {
  const bytes = countUtf8Bytes(text);
  if (bytes > LIMITS.yamlFileBytes) {
    return { issue: { file, found: `a file of ${describeSize(bytes)}`, expected: `at most ${formatBytes(LIMITS.yamlFileBytes)}` } };
  }
  const lines = text.split(/\r?\n/);
  const result = loadYaml(text);
  if (!result.ok) {
    return {
      issue: {
        file,
        field: result.line === undefined ? undefined : findTopLevelKey(lines, result.line),
        line: result.line === undefined ? undefined : result.line + 1,
        found: result.found,
        expected: result.problem === "malformed" ? expected : YAML_PROBLEM_EXPECTED[result.problem],
      },
    };
  }
  const data = result.data;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { issue: { file, found: "a file that is not a map", expected } };
  }
  // One pass over the lines: looking each key up separately would cost entries × lines.
  const keyLines = new Map<string, number>();
  lines.forEach((line, i) => {
    if (!/^[^\s#-]/.test(line)) return;
    const key = findTopLevelKey([line], 0);
    if (key !== undefined && !keyLines.has(key)) keyLines.set(key, i + 1);
  });
  return { entries: Object.entries(data).map(([key, value]) => ({ key, value, line: keyLines.get(key) })) };
}
