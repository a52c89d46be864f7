// What a publish run prints: a line per change (a few of each kind unless --verbose, so a large import stays readable
// in a CI log), every refusal with its problems, a progress line on a terminal, and the summary.
import type { ArticleUpload, Removal, Upload } from "./publish-plan.ts";

export type Write = (text: string) => void;

/** Lines of each kind of change listed before the rest are only counted (`--verbose` lists them all). */
export const LISTED_PER_KIND = 20;
/** Without a terminal, a long run says how far it got this often (CI systems stop jobs that print nothing for long). */
const QUIET_REPORT_MS = 60_000;
/** A terminal's progress line is redrawn at most this often. */
const REDRAW_MS = 100;

/** A time as the newsroom reads it: `2026-05-30 09:00 Europe/London`, in the site's time zone. */
export function formatLocalTime(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")} ${timeZone}`;
}

/** What is notable about an article change, after its path: an embargo, a draft, a URL that moves. */
function articleNotes(upload: ArticleUpload, now: Date, timeZone: string): string {
  const notes: string[] = [];
  if (!upload.draft && upload.published.getTime() > now.getTime()) {
    notes.push(`embargoed until ${formatLocalTime(upload.published, timeZone)}`);
  }
  if (upload.slugMove) notes.push(`its URL moves: /articles/${upload.slugMove.from} → /articles/${upload.slugMove.to}`);
  return notes.length ? ` (${notes.join("; ")})` : "";
}

/** The verb of a change, for the dry run ("would …") and the counts. */
export function plannedVerb(item: Upload | Removal): string {
  if (item.kind === "image") return "change" in item ? "store" : "delete";
  if (item.kind === "draft") return "delete";
  if (item.kind === "registry") return item.change === "emptied" ? "empty" : "store";
  if ("change" in item) {
    if (item.replaces) return "rename";
    if (item.draft) return item.wasDraft || item.change === "new" ? "store draft" : "unpublish";
    return item.change === "new" || item.wasDraft ? "publish" : "update";
  }
  return "delete";
}

/** One line of the dry run: what would be done to a file. */
export function describePlanned(item: Upload | Removal, now: Date, timeZone: string): string {
  const verb = plannedVerb(item);
  if (item.kind === "registry" && item.change === "emptied") return `would empty ${item.path} (removed from the folder: every entry goes)`;
  if (item.kind !== "article" || !("change" in item)) return `would ${verb} ${item.path}`;
  const notes = articleNotes(item, now, timeZone);
  switch (verb) {
    case "rename":
      return `would rename ${item.replaces} → ${item.path}${notes}`;
    case "unpublish":
      return `would unpublish ${item.path} (now a draft: it leaves every feed and page)`;
    case "store draft":
      return `would store the draft ${item.path} (not published)`;
    case "publish":
      return `would publish ${item.path}${item.wasDraft ? " (was a draft)" : ""}${notes}`;
    default:
      return `would ${verb} ${item.path}${notes}`;
  }
}

/** One line of a change made, in the form `created  2025/05/x.md`. */
export function describeDone(item: Upload | Removal, result: string, now: Date, timeZone: string): { kind: string; line: string } {
  if (item.kind === "article" && "change" in item) {
    if (result === "unchanged") return { kind: "unchanged", line: `unchanged ${item.path}` };
    const notes = articleNotes(item, now, timeZone);
    if (item.replaces) return { kind: "renamed", line: `renamed  ${item.replaces} → ${item.path}${notes}` };
    if (item.draft && !item.wasDraft && item.change === "changed") {
      return { kind: "unpublished", line: `unpublished ${item.path} (now a draft)` };
    }
    const label = item.draft ? `${result} (draft)` : result;
    return { kind: result, line: `${label.padEnd(8)} ${item.path}${notes}` };
  }
  if (item.kind === "registry" && item.change === "emptied" && result !== "unchanged") {
    return { kind: "emptied", line: `emptied  ${item.path}` };
  }
  return { kind: result, line: `${result.padEnd(8)} ${item.path}` };
}

export interface OutputOptions {
  out: Write;
  err: Write;
  /** A terminal: the progress line is drawn (on `err`). */
  tty: boolean;
  verbose: boolean;
  clock?: () => number;
}

/** The run's printer: capped lists of changes, refusals in full, the progress line. */
export class RunOutput {
  readonly #options: OutputOptions;
  readonly #listed = new Map<string, number>();
  readonly #clock: () => number;
  #progress = "";
  #total = 0;
  #done = 0;
  #started = 0;
  #lastDraw = 0;
  #lastQuiet = 0;

  constructor(options: OutputOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => performance.now());
  }

  /** A change made (or in a dry run, planned): listed while fewer than LISTED_PER_KIND of its kind were. */
  change(kind: string, line: string): void {
    const listed = this.#listed.get(kind) ?? 0;
    this.#listed.set(kind, listed + 1);
    if (this.#options.verbose || listed < LISTED_PER_KIND) this.#write(this.#options.out, `${line}\n`);
  }

  /** How many changes of each kind went unlisted. */
  unlisted(): number {
    if (this.#options.verbose) return 0;
    let hidden = 0;
    for (const n of this.#listed.values()) hidden += Math.max(0, n - LISTED_PER_KIND);
    return hidden;
  }

  /** A line to standard output, always printed. */
  say(text: string): void {
    this.#write(this.#options.out, `${text}\n`);
  }

  /** A line to standard error (problems, refusals), always printed. */
  warn(text: string): void {
    this.#write(this.#options.err, `${text}\n`);
  }

  /** Starts counting `total` requests' worth of files. */
  begin(total: number): void {
    this.#total = total;
    this.#done = 0;
    this.#started = this.#clock();
    this.#lastQuiet = this.#started;
    this.#draw(true);
  }

  /** `n` more files to send than `begin` was told (files sent a second time). */
  extend(n: number): void {
    this.#total += n;
  }

  /** `n` more files answered. */
  advance(n: number): void {
    this.#done += n;
    this.#draw(false);
  }

  /** Removes the progress line. */
  end(): void {
    if (this.#progress) this.#options.err("\r\x1b[K");
    this.#progress = "";
  }

  /** Seconds since `begin`. */
  elapsed(): number {
    return (this.#clock() - this.#started) / 1000;
  }

  #write(to: Write, text: string): void {
    if (!this.#progress) {
      to(text);
      return;
    }
    this.#options.err("\r\x1b[K");
    to(text);
    this.#options.err(this.#progress);
  }

  #draw(force: boolean): void {
    const now = this.#clock();
    const seconds = (now - this.#started) / 1000;
    const rate = seconds > 0 ? this.#done / seconds : 0;
    const left = rate > 0 ? (this.#total - this.#done) / rate : Number.NaN;
    const status =
      `publishing ${this.#done.toLocaleString("en")}/${this.#total.toLocaleString("en")} files` +
      (this.#done > 0
        ? ` · ${rate.toFixed(rate < 10 ? 1 : 0)} files/s · ${Number.isFinite(left) ? `about ${formatDuration(left)} left` : ""}`
        : "");
    if (this.#options.tty) {
      if (!force && now - this.#lastDraw < REDRAW_MS && this.#done < this.#total) return;
      this.#lastDraw = now;
      this.#progress = status;
      this.#options.err(`\r\x1b[K${status}`);
      return;
    }
    if (now - this.#lastQuiet >= QUIET_REPORT_MS && this.#done < this.#total) {
      this.#lastQuiet = now;
      this.#options.err(`${status}\n`);
    }
  }
}

/** `0.4 s`, `42 s`, `3 min 5 s`, `1 h 2 min`. */
export function formatDuration(seconds: number): string {
  if (seconds < 9.95) return `${Math.max(0, seconds).toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
