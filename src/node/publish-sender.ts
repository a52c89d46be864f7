// How one publish run sends what its plan decided: uploads in batches, several at once, each file's answer told and
// counted, what did not land kept (so what needs it is held back), a file refused only for a claim another file of the
// run held sent once more at the end, and each article's deferred body check run just before its batch goes.
import { type ContentIssue, formatIssue } from "../core/errors.ts";
import type { ManifestEntry } from "../core/publishing.ts";
import type { ContentSource } from "../sources/source.ts";
import type { RunOutput } from "./publish-output.ts";
import type { ArticleUpload, Removal, Upload } from "./publish-plan.ts";
import { type Answer, CLIENT_LIMITS, isFailure, type PublishApi, runPool } from "./publish-transport.ts";
import { warningsFromAnswer } from "./publish-warnings.ts";

/** A file not published as the folder has it, and why; `kept` is the stored file whose published version stays. */
export interface NotPublished {
  path: string;
  kept?: string;
  why: string;
}

/** Why a file the check refuses is not published (its problems are printed where they are found). */
export const REFUSED_BY_CHECK = "refused by the check (its problems are listed above)";

export interface SenderOptions {
  api: PublishApi;
  output: RunOutput;
  /** Where the files are read from as they are sent. */
  folder: Pick<ContentSource, "read">;
  /** Requests in flight at once. */
  parallel: number;
  /** The line and kind of change for a file the worker took, as `describeDone` words it. */
  describe(item: Upload, result: string): { kind: string; line: string };
  /** Counts one change of a kind, for the summary and the report. */
  count(kind: string): void;
}

export class RunSender {
  /** Files the worker did not take, or that were not sent (the check's refusals are listed before them). */
  readonly notSent: NotPublished[] = [];
  /** Uploads (by path) that did not land: what needs them is held back. */
  readonly #failed = new Set<string>();
  /** Articles refused only for a slug or id another file of this run held: sent once more at the end. */
  readonly #again: ArticleUpload[] = [];
  #lastChance = false;
  /** What is stored, from the manifest once it is read. */
  #storedPaths = new Set<string>();
  #storedHash = new Map<string, string>();
  /** The check's warnings, once it has run: the worker's answers repeat them, and they are printed once. */
  #checkWarnings: readonly ContentIssue[] = [];
  /** The body checks the check left to run as each article goes (`deferBodies`), by file; each runs once. */
  readonly #bodyChecks = new Map<string, () => ContentIssue[]>();
  readonly #options: SenderOptions;

  constructor(options: SenderOptions) {
    this.#options = options;
  }

  /** What the manifest says is stored: each upload is sent with the hash its diff was based on. */
  learn(stored: readonly ManifestEntry[]): void {
    this.#storedPaths = new Set(stored.map((e) => e.path));
    this.#storedHash = new Map(stored.map((e) => [e.path, e.hash]));
  }

  /** The check's outcome: its warnings (not repeated from the worker's answers) and the body checks it left to run. */
  useCheck(warnings: readonly ContentIssue[], bodyChecks: ReadonlyMap<string, () => ContentIssue[]> | undefined): void {
    this.#checkWarnings = warnings;
    this.#bodyChecks.clear();
    for (const [file, check] of bodyChecks ?? []) this.#bodyChecks.set(file, check);
  }

  /** Runs a file's deferred body check now, if it has one left, printing nothing: whether it found problems. */
  checkBodyNow(path: string): boolean {
    return this.#takeBodyIssues(path).length > 0;
  }

  /** Runs a file's deferred body check, if it has one left: whether it found problems (they are listed). */
  bodyRefuses(path: string): boolean {
    const issues = this.#takeBodyIssues(path);
    for (const issue of issues) this.#options.output.warn(`error: ${formatIssue(issue)}`);
    return issues.length > 0;
  }

  /** The problems a file's deferred body check finds (none when it has no check left); each check runs once. */
  #takeBodyIssues(path: string): ContentIssue[] {
    const check = this.#bodyChecks.get(path);
    if (!check) return [];
    this.#bodyChecks.delete(path);
    return check();
  }

  /** The body checks no upload ran (files unchanged since they were published): one that fails keeps its published version. */
  checkTheRest(): void {
    for (const path of [...this.#bodyChecks.keys()]) {
      if (this.bodyRefuses(path)) this.notSent.push({ path, kept: this.#keptOf(path), why: REFUSED_BY_CHECK });
    }
  }

  /** Sends `items` in batches, several at once; an item whose dependency did not land is held back. */
  async send(items: readonly Upload[]): Promise<void> {
    const { output, api, folder, parallel } = this.#options;
    const ready: Upload[] = [];
    for (const item of items) {
      const missing = "needs" in item ? item.needs.find((n) => this.#failed.has(n)) : undefined;
      if (!missing) {
        ready.push(item);
        continue;
      }
      this.#failed.add(item.path);
      if (item.kind === "article" && this.#refusedByBodyCheck(item)) continue;
      this.notSent.push({ path: item.path, kept: this.#keptOf(item.path), why: `held back, as it needs ${missing}, which was not stored` });
      output.advance(1);
    }
    await runPool(makeBatches(ready), parallel, async (batch) => {
      const files: { item: Upload; bytes: Uint8Array }[] = [];
      for (const item of batch) {
        if (item.kind === "article" && this.#refusedByBodyCheck(item)) continue;
        const bytes = item.kind === "registry" && item.change === "emptied" ? new Uint8Array() : await folder.read(item.path);
        if (bytes) files.push({ item, bytes });
        else this.#settle(item, { path: item.path, status: 0, failure: "the file left the folder while publishing", attempts: 0 });
      }
      const timeout = batch.some((item) => item.kind === "registry") ? CLIENT_LIMITS.registryTimeoutMs : CLIENT_LIMITS.timeoutMs;
      const answers = files.length
        ? await api.batch(
            files.map(({ item, bytes }) => ({
              path: item.path,
              bytes,
              based: this.#based(item.path),
              ...(item.kind === "article" && item.replaces ? { replaces: { path: item.replaces, based: this.#based(item.replaces) } } : {}),
            })),
            timeout,
          )
        : [];
      for (const [i, answer] of answers.entries()) this.#settle(files[i]!.item, answer);
      output.advance(batch.length);
    });
  }

  /**
   * Sends once more, for the last time, the articles another file of this run held a slug or id of (a swap, a file
   * renamed after the one that takes its name); how many there were.
   */
  async sendAgain(): Promise<number> {
    if (!this.#again.length) return 0;
    this.#lastChance = true;
    const retry = this.#again.splice(0);
    this.#options.output.extend(retry.length);
    await this.send(retry);
    return retry.length;
  }

  /** Removes stored files no longer in the folder, in batches, several at once. */
  remove(items: readonly Removal[]): Promise<void> {
    const { output, api, parallel, count } = this.#options;
    return runPool(makeBatches(items.map((item) => ({ item, size: 0 }))), parallel, async (batch) => {
      const answers = await api.batch(
        [],
        CLIENT_LIMITS.timeoutMs,
        batch.map(({ item }) => ({ path: item.path, based: this.#based(item.path) })),
      );
      for (const [i, answer] of answers.entries()) {
        const { item } = batch[i]!;
        if (!isFailure(answer) && answer.status === 200) {
          const result = answer.body.result === "absent" ? "absent" : "deleted";
          count(result);
          output.change(result, `${result.padEnd(8)} ${item.path}`);
          continue;
        }
        const why = isFailure(answer)
          ? `not removed: ${answer.failure}`
          : answer.status === 412
            ? `${item.path} changed on the worker while this run was publishing, so it was not removed: run npm run publish again to compare the folder with what is stored now`
            : `the worker would not remove it (${answer.status}: ${String(answer.body.detail ?? "").slice(0, 400)})`;
        if (!isFailure(answer) && answer.status === 412)
          output.warn(`refused to remove ${item.path} (412): it changed on the worker since this run read what is stored`);
        this.notSent.push({ path: item.path, kept: item.path, why });
      }
      output.advance(batch.length);
    });
  }

  /** Runs an article's deferred body check: when it finds problems, they are listed and the file is not sent. */
  #refusedByBodyCheck(item: ArticleUpload): boolean {
    if (!this.bodyRefuses(item.path)) return false;
    this.#failed.add(item.path);
    this.notSent.push({ path: item.path, kept: this.#keptOf(item.path, item.replaces), why: REFUSED_BY_CHECK });
    return true;
  }

  /** The stored file whose published version stays when `path` is not published: itself, or the file it renames. */
  #keptOf(path: string, replaces?: string): string | undefined {
    return this.#storedPaths.has(path) ? path : replaces && this.#storedPaths.has(replaces) ? replaces : undefined;
  }

  /** What this run's diff was based on for a path: the manifest's hash (null: nothing was stored there). */
  #based(path: string): string | null {
    return this.#storedHash.get(path) ?? null;
  }

  #settle(item: Upload, answer: Answer): void {
    const { output } = this.#options;
    const replaces = item.kind === "article" ? item.replaces : undefined;
    if (isFailure(answer)) {
      this.#failed.add(item.path);
      this.notSent.push({ path: item.path, kept: this.#keptOf(item.path, replaces), why: `not sent: ${answer.failure}` });
      return;
    }
    if (answer.status === 200 || answer.status === 201) {
      const said = String(answer.body.result ?? (answer.status === 201 ? "created" : "updated"));
      // A retried request may find its file already stored by the attempt that failed to answer.
      const result =
        answer.attempts > 1 && said === "unchanged" && item.kind !== "registry" ? (item.change === "new" ? "created" : "updated") : said;
      const { kind, line } = this.#options.describe(item, result);
      const republished = Array.isArray(answer.body.republished) ? answer.body.republished.length : 0;
      this.#options.count(kind);
      output.change(kind, `${line}${republished ? ` (${republished} article(s) re-published)` : ""}`);
      for (const warning of warningsFromAnswer(answer.body, this.#checkWarnings)) output.warn(`warning: ${formatIssue(warning)}`);
      return;
    }
    const issues = Array.isArray(answer.body.issues) ? (answer.body.issues as ContentIssue[]) : [];
    if (item.kind === "article" && !this.#lastChance && isClaimOnly(answer.status, issues)) {
      this.#again.push(item);
      return;
    }
    this.#failed.add(item.path);
    if (answer.status === 412) {
      // Another publish changed the file (or the file a rename replaces) after this run read the manifest: publishing
      // over it would lose that change.
      const changed = typeof answer.body.file === "string" ? answer.body.file : item.path;
      output.warn(
        `refused ${item.path} (412): ${changed} changed on the worker since this run read what is stored (another publish got there first)`,
      );
      this.notSent.push({
        path: item.path,
        kept: this.#keptOf(item.path, replaces),
        why: `${changed} changed on the worker while this run was publishing; nothing of it was changed: run npm run publish again to compare the folder with what is stored now`,
      });
      return;
    }
    output.warn(`refused ${item.path} (${answer.status})`);
    if (issues.length) for (const issue of issues) output.warn(`  error: ${formatIssue(issue)}`);
    else output.warn(`  ${String(answer.body.detail ?? JSON.stringify(answer.body)).slice(0, 1000)}`);
    this.notSent.push({
      path: item.path,
      kept: this.#keptOf(item.path, replaces),
      why: `the worker refused it (${answer.status}; its problems are listed above)`,
    });
  }
}

/** Whether a refusal is only a slug, id or alias held by another file (not a retired id): worth one more try later. */
function isClaimOnly(status: number, issues: readonly ContentIssue[]): boolean {
  if (status === 409) return true;
  return (
    status === 422 &&
    issues.length > 0 &&
    issues.every((i) => (i.field === "slug" || i.field === "id" || i.field === "aliases") && /already used by/.test(i.found))
  );
}

/** Uploads in batches of at most CLIENT_LIMITS.batchFiles files and batchBytes bytes, in order. */
export function makeBatches<T extends { size: number }>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length && (current.length >= CLIENT_LIMITS.batchFiles || bytes + item.size > CLIENT_LIMITS.batchBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.size;
  }
  if (current.length) batches.push(current);
  return batches;
}
