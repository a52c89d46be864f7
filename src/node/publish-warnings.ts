// What `npm run publish` adds to the check's output from the worker's answers: the warnings only the publish API can
// give, because only it knows what was published before (a published body changed without `updated:`).
import { type ContentIssue, formatIssue } from "../core/errors.ts";

/** The warnings of a publish answer that the local check did not already print (compared as printed). */
export function warningsFromAnswer(answer: unknown, printed: readonly ContentIssue[]): ContentIssue[] {
  const warnings = (answer as { warnings?: unknown } | null)?.warnings;
  if (!Array.isArray(warnings)) return [];
  const seen = new Set(printed.map(formatIssue));
  return (warnings as ContentIssue[]).filter(
    (w) => typeof w?.file === "string" && typeof w.found === "string" && !seen.has(formatIssue(w)),
  );
}
