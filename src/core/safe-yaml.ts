// Loads YAML within the input budget: anchors and aliases refused, nesting bounded, errors located at the real problem.
import yaml from "js-yaml";
import { clip } from "./describe-value.ts";
import { LIMITS } from "./limits.ts";
import { countLinesBefore } from "./text.ts";

export type YamlProblem = "malformed" | "alias" | "depth";

export type YamlResult =
  | { ok: true; data: unknown }
  | {
      ok: false;
      problem: YamlProblem;
      /** 0-based line in the loaded text, when known. */
      line?: number;
      /** What was found, in the words a message shows. */
      found: string;
    };

/** What a file with an anchor or alias, or nested too deep, should look like instead. */
export const YAML_PROBLEM_EXPECTED: Readonly<Record<Exclude<YamlProblem, "malformed">, string>> = {
  alias: "each value written out in full (YAML anchors `&` and aliases `*` are refused; quote a value that starts with & or *)",
  depth: `at most ${LIMITS.yamlDepth} levels of nested lists and maps`,
};

class Refusal extends Error {
  readonly problem: Exclude<YamlProblem, "malformed">;
  readonly line: number;
  constructor(problem: Exclude<YamlProblem, "malformed">, message: string, line: number) {
    super(message);
    this.problem = problem;
    this.line = line;
  }
}

/** The parser's state as the listener sees it; `anchor` is set while a node with an anchor property is composed. */
type ListenerState = yaml.State & { anchor?: string | null };

/**
 * Loads YAML with js-yaml's core schema (timestamps stay strings, so naive times can be read in the site's zone).
 *
 * Anchors are refused as the parser reads them, through js-yaml's `listener` (called as each node opens and closes):
 * the parser's own state says whether the node being composed has an anchor property, so `&` and `*` inside quoted or
 * plain text never count, and no alias is ever expanded (an alias needs an anchor, which is refused first; one without
 * an anchor is js-yaml's own "unidentified alias" error, reported the same way). Aliases are what let 472 bytes expand
 * into gigabytes once a value is walked (validated, printed), so refusing them removes the problem instead of metering it.
 * Nesting deeper than `maxDepth` is refused as the node opens, before the parser recurses further.
 */
export function loadYaml(text: string, maxDepth: number = LIMITS.yamlDepth): YamlResult {
  const openLines: number[] = [];
  const listener = function (this: yaml.State, event: yaml.EventType, state: ListenerState): void {
    if (event === "open") {
      openLines.push(state.line);
      if (openLines.length > maxDepth) {
        throw new Refusal("depth", `YAML nested more than ${maxDepth} levels deep`, state.line);
      }
    } else {
      openLines.pop();
    }
    // Read at both events: a collection's anchor is visible when its first entry opens, a scalar's when it closes,
    // either way before anything could refer to it.
    if (typeof state.anchor === "string") {
      const at = state.input.lastIndexOf(`&${state.anchor}`, state.position);
      throw new Refusal("alias", `a YAML anchor &${clip(state.anchor, 40)}`, at >= 0 ? countLinesBefore(state.input, at) : state.line);
    }
  };
  try {
    return { ok: true, data: yaml.load(text, { schema: yaml.CORE_SCHEMA, listener }) ?? {} };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, problem: error.problem, line: error.line, found: error.message };
    const mark = (error as { mark?: { line?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error instanceof Error ? error.message : String(error));
    const alias = /^unidentified alias "(.*)"$/s.exec(reason);
    if (alias) return { ok: false, problem: "alias", line: mark?.line, found: `a YAML alias *${clip(alias[1]!, 40)}` };
    // An unclosed quote or bracket runs to the end of the text; the node still open is where it began.
    const unclosed = /end of the stream|flow collection/.test(reason) && openLines.length > 0;
    const line = unclosed ? openLines.at(-1) : mark?.line;
    return { ok: false, problem: "malformed", line, found: `malformed YAML (${clip(reason, 120)})` };
  }
}

/**
 * The top-level key whose entry holds 0-based `line` of a YAML map (the nearest line above that starts a key at
 * column 0), for naming the field of an error; undefined when there is none.
 */
export function findTopLevelKey(lines: readonly string[], line: number): string | undefined {
  for (let i = Math.min(line, lines.length - 1); i >= 0; i--) {
    const m = /^(?:"([^"]*)"|'([^']*)'|([^\s#:'"-][^:]*?))\s*:(?:\s|$)/.exec(lines[i]!);
    if (m) return m[1] ?? m[2] ?? m[3];
  }
  return undefined;
}
