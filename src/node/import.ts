// `npm run import`: WordPress exports and feeds into articles/ (the file system, image copies and fetches, progress).
import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { aliasKey, normaliseAlias, resolveAliases } from "../core/aliases.ts";
import { defaultSlug, parseArticle } from "../core/article.ts";
import { AUTHORS_FILE, parseAuthors } from "../core/authors.ts";
import { isArticleFile, loadContent } from "../core/content.ts";
import { ConfigError, formatIssue } from "../core/errors.ts";
import { splitFrontMatter } from "../core/front-matter.ts";
import { hashText } from "../core/hash.ts";
import { type ImageFacts, type ImageInspection, inspectImage, oversizedImage } from "../core/images.ts";
import { LIMITS } from "../core/limits.ts";
import type { SiteSettings } from "../core/settings.ts";
import { convertPost, listPostImages } from "../import/convert.ts";
import { detectInput, SNIFF_BYTES } from "../import/detect.ts";
import { readJsonFeed, readXmlFeed } from "../import/feeds.ts";
import { BodyRefusedError } from "../import/html-to-markdown.ts";
import type { SourceDocument, SourceImage, SourcePost } from "../import/model.ts";
import {
  appendAuthors,
  chooseSlug,
  type ExistingArticle,
  formatSourceTime,
  imageFileFor,
  imageHref,
  mergeAuthors,
  type NameRequest,
  planNames,
} from "../import/write.ts";
import { readWxr } from "../import/wxr.ts";
import { XmlRefusedError } from "../import/xml-reader.ts";
import { createDirectorySource } from "./directory-source.ts";
import { runCommand } from "./exit-codes.ts";
import { parseOptions, readSettings, SITE_OPTIONS_USAGE } from "./options.ts";

const USAGE = `usage: npm run import -- FILE_OR_FOLDER… [options]

Reads WordPress export files (WXR) and RSS 2.0, Atom 1.0 and JSON Feed documents (or folders of them; the kind of
each file is read from its content) and writes markdown articles, authors.yaml entries and images.

options:
  --out DIR          where to write (default: articles)
  --images DIR       a folder to copy images from, e.g. WordPress's wp-content/uploads (repeatable)
  --offline          never fetch images by URL (they stay remote, with a warning, unless found locally)
  --fetch-timeout S  seconds to wait for one image fetched by URL (default: 20)
  --timezone ZONE    IANA zone of times given without one (WordPress drafts); default: SITE_TIMEZONE
  --author-emails    write authors' e-mail addresses to authors.yaml (private unless email_public: true)
  --overwrite        replace article files that differ from what this import writes (default: keep them, listed)
  --quiet            no warnings, only the summary and errors
${SITE_OPTIONS_USAGE}`;

/** An input file larger than this is refused before it is read (WordPress's exporter splits by date; WP-CLI by size). */
export const INPUT_MAX_BYTES = 256 * 1024 * 1024;
/** An image fetched by URL: at most LIMITS.imageBytes, within this time (by default), at most this many at once. */
export const FETCH = { timeoutMs: 20_000, concurrency: 4 } as const;

interface Options {
  out: string;
  imageDirs: string[];
  offline: boolean;
  fetchTimeoutMs: number;
  timeZone: string;
  authorEmails: boolean;
  overwrite: boolean;
  quiet: boolean;
}

interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

interface Loaded {
  doc: SourceDocument;
  post: SourcePost;
  key: string;
  keepId: boolean;
}

export async function main(argv: readonly string[], out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  const { positionals, values } = parseOptions(argv, {
    out: { type: "string", default: "articles" },
    images: { type: "string", multiple: true, default: [] },
    offline: { type: "boolean", default: false },
    "fetch-timeout": { type: "string" },
    timezone: { type: "string" },
    "author-emails": { type: "boolean", default: false },
    overwrite: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  });
  if (values.help || positionals.length === 0) {
    out.write(USAGE);
    return values.help ? 0 : 2;
  }
  const site = await readSettings(values.config, values.env, values.var);
  const timeZone = values.timezone ?? site.timeZone;
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    throw new ConfigError("--timezone", `"${timeZone}" is not an IANA time zone`);
  }
  const fetchSeconds = Number(values["fetch-timeout"] ?? FETCH.timeoutMs / 1000);
  if (!(fetchSeconds > 0 && fetchSeconds <= 600))
    throw new ConfigError("--fetch-timeout", `"${values["fetch-timeout"]}" is not a number of seconds from 1 to 600`);
  const options: Options = {
    out: resolve(values.out),
    imageDirs: values.images.map((d) => resolve(d)),
    offline: values.offline,
    fetchTimeoutMs: fetchSeconds * 1000,
    timeZone,
    authorEmails: values["author-emails"],
    overwrite: values.overwrite,
    quiet: values.quiet,
  };
  return runImport(positionals, site, options, out, err);
}

async function runImport(inputs: readonly string[], site: SiteSettings, options: Options, out: Output, err: Output): Promise<number> {
  const report = new Report(err, options.quiet);
  const files = await listInputs(inputs, report);

  // 1. Read every input whole (each within its limits), then merge what several feeds hold twice.
  const docs: { file: string; doc: SourceDocument }[] = [];
  for (const file of files) {
    const doc = await readInput(file, report);
    if (doc) docs.push({ file, doc });
  }
  const loaded = mergePosts(docs, report);
  if (!loaded.length) {
    report.summary(out, { written: 0, unchanged: 0, kept: 0, refused: report.refused, total: 0, docs });
    return report.refused ? 1 : 0;
  }

  // 2. Authors: existing entries kept as they are; new ones appended.
  const authorsPath = join(options.out, AUTHORS_FILE);
  const authorsBefore = await readText(authorsPath);
  const { authors: registry } = parseAuthors(authorsBefore, site);
  const merge = mergeAuthors(
    registry,
    loaded.flatMap((l) => l.post.authors),
    options.authorEmails,
  );
  const authorsAfter = appendAuthors(authorsBefore, merge.added);
  const { authors: mergedRegistry, issues: authorIssues } = parseAuthors(authorsAfter, site);
  for (const issue of authorIssues) report.error(`${AUTHORS_FILE}: ${formatIssue(issue)}`);

  // 3. Names: deterministic, aware of what the folder already holds.
  const existing = await readExistingArticles(options.out, site);
  const dated = loaded.filter((l) => {
    if (l.post.date) return true;
    report.refuse(l, "it has no date (neither a publication nor a modification time)");
    return false;
  });
  dated.sort((a, b) => a.post.date!.ms - b.post.date!.ms || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const names = planNames(
    dated.map((l) => ({
      key: l.key,
      match: matchOf(l, site),
      slug: chooseSlug(l.post.slug, l.post.title, l.key),
      folder: formatSourceTime(l.post.date!, options.timeZone).slice(0, 7).replace("-", "/"),
    })),
    existing,
  );

  // Old addresses: one article each (drafts claim none, as for slugs); the first post in date order keeps one.
  const aliasOwners = new Map<string, string>();
  const ownFiles = new Set([...names.values()].map((n) => n.file));
  for (const e of existing) for (const alias of e.aliases) if (!ownFiles.has(e.file)) aliasOwners.set(alias, e.file);

  // 4. Images, then each article: converted, checked as `npm run check` would, written if it passes.
  const images = new ImageStore(options);
  const progress = new Progress(err, dated.length);
  let written = 0;
  let unchanged = 0;
  let kept = 0;
  for (const item of dated) {
    const name = names.get(item.key)!;
    const label = `${item.post.input} ${item.post.where} → ${name.file}`;
    const warnings: string[] = [];
    try {
      const wanted = listPostImages(item.post, item.doc);
      const local = new Map<string, string>();
      // A post's images are found at once (fetches share FETCH.concurrency), then reported in order.
      const results = await Promise.all(wanted.map((image) => images.resolve(image, item.post.input)));
      for (const [i, result] of results.entries()) {
        if ("file" in result) local.set(wanted[i]!.url, imageHref(result.file));
        else warnings.push(`image ${wanted[i]!.url} kept as a remote image: ${result.reason}`);
      }
      const text = convertPost(
        item.post,
        {
          doc: item.doc,
          site,
          timeZone: options.timeZone,
          name,
          keepId: item.keepId,
          authorKey: (handle) => merge.keys.get(handle)!,
          claimAlias: (alias) => {
            const owner = aliasOwners.get(aliasKey(alias));
            if (owner !== undefined && owner !== name.file) return false;
            aliasOwners.set(aliasKey(alias), name.file);
            return true;
          },
          imageSrc: (url) => local.get(url),
        },
        (m) => warnings.push(m),
      );
      const parsed = parseArticle(name.file, text, { site, authors: mergedRegistry, ...images.lookup() });
      for (const w of warnings) report.warn(`${label}: ${w}`);
      if (!parsed.ok) {
        report.refuse(item, parsed.issues.map((i) => formatIssue(i)).join("; "), name.file);
        continue;
      }
      const path = join(options.out, name.file);
      const before = await readText(path);
      if (before === text) unchanged++;
      else if (before !== null && !options.overwrite) {
        kept++;
        report.warn(`${label}: the file differs from this import and is kept (--overwrite replaces it)`);
      } else {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, text);
        written++;
      }
    } catch (error) {
      if (!(error instanceof BodyRefusedError)) throw error;
      for (const w of warnings) report.warn(`${label}: ${w}`);
      report.refuse(item, error.message, name.file);
    } finally {
      progress.tick();
    }
  }
  progress.done();
  if (authorsAfter !== (authorsBefore ?? "")) {
    await mkdir(options.out, { recursive: true });
    await writeFile(authorsPath, authorsAfter);
  }

  // 5. The folder as `npm run check` sees it: the import is done when this passes.
  const content = await loadContent(createDirectorySource(options.out), site);
  for (const issue of content.issues) report.error(`check: ${formatIssue(issue)}`);
  report.summary(out, {
    written,
    unchanged,
    kept,
    refused: report.refused,
    total: dated.length,
    docs,
    checkIssues: content.issues.length,
    images: images.counts,
  });
  return report.refused || content.issues.length || authorIssues.length ? 1 : 0;
}

/** Every file named, folders walked (sorted, dot-files left out). */
async function listInputs(inputs: readonly string[], report: Report): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const path = resolve(input);
    const info = await stat(path).catch(() => null);
    if (!info) {
      report.error(`${input}: no such file or folder`);
      report.refused++;
    } else if (info.isDirectory()) {
      const entries = await readdir(path, { recursive: true, withFileTypes: true });
      files.push(
        ...entries
          .filter((e) => e.isFile())
          .map((e) => join(e.parentPath, e.name))
          .filter(
            (f) =>
              !relative(path, f)
                .split(sep)
                .some((s) => s.startsWith(".")),
          )
          .sort(),
      );
    } else files.push(path);
  }
  return files;
}

/** One input: recognised from its first bytes, read within its limits; null (reported) when it is not one the importer reads. */
async function readInput(file: string, report: Report): Promise<SourceDocument | null> {
  const shown = relative(process.cwd(), file) || file;
  const size = (await stat(file)).size;
  const head = new Uint8Array(await readHead(file, SNIFF_BYTES));
  const detected = detectInput(head);
  if (detected.kind === "other") {
    // Images beside the feeds are where local copies come from: they are not inputs to report.
    if (inspectImage(head).ok || /\.(?:jpe?g|png|gif|webp|avif|svg|css|js)$/i.test(file)) return null;
    report.note(`${shown}: skipped, ${detected.why}`);
    return null;
  }
  if (size > INPUT_MAX_BYTES) {
    report.error(
      `${shown}: a file of ${size.toLocaleString("en")} bytes, over the ${INPUT_MAX_BYTES / 1024 / 1024} MiB an input may have (split the export)`,
    );
    report.refused++;
    return null;
  }
  try {
    if (detected.kind === "json-feed") return readJsonFeed(shown, await readFile(file, "utf8"));
    const chunks = decodeChunks(file, detected.encoding);
    return detected.kind === "wxr" ? await readWxr(shown, chunks) : await readXmlFeed(shown, chunks);
  } catch (error) {
    if (!(error instanceof XmlRefusedError)) throw error;
    report.error(`${shown}${error.line ? `:${error.line}` : ""}: not imported: ${error.message}`);
    report.refused++;
    return null;
  }
}

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of createReadStream(file, { start: 0, end: bytes - 1 })) {
    chunks.push(chunk as Buffer);
    total += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks, total);
}

async function* decodeChunks(file: string, encoding: string): AsyncIterable<string> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield decoder.decode(chunk as Buffer, { stream: true });
  yield decoder.decode();
}

/**
 * Posts of every input in order. A post that several feeds hold (the same id or link: a feed and its archive pages, or
 * the same feed in two formats) is imported once, from the copy with the longest body. In one WordPress export, a guid
 * two posts share stays with the first; the second is imported without it.
 */
function mergePosts(docs: readonly { file: string; doc: SourceDocument }[], report: Report): Loaded[] {
  const byKey = new Map<string, Loaded>();
  const order: string[] = [];
  let merged = 0;
  for (const { doc } of docs) {
    const seenHere = new Set<string>();
    for (const post of doc.posts) {
      const identity = post.id ?? post.link ?? `${post.input}#${post.where}:${hashText(post.title + (post.date?.ms ?? ""))}`;
      let key = identity;
      let keepId = true;
      if (seenHere.has(identity) && doc.kind === "wxr") {
        key = `${identity}#${post.where}`;
        keepId = false;
      }
      seenHere.add(key);
      const known = byKey.get(key);
      if (known) {
        merged++;
        if (post.html.length > known.post.html.length) byKey.set(key, { doc, post, key, keepId });
        continue;
      }
      byKey.set(key, { doc, post, key, keepId });
      order.push(key);
    }
  }
  if (merged) report.note(`${merged} item(s) appear in more than one input: each is imported once (the copy with the longest body)`);
  return order.map((k) => byKey.get(k)!);
}

/** What the output folder already holds: each article's file, slug and id (front matter only; bad files are the check's business). */
async function readExistingArticles(root: string, site: SiteSettings): Promise<ExistingArticle[]> {
  const source = createDirectorySource(root);
  const paths = await source.list().catch(() => [] as string[]);
  const found: ExistingArticle[] = [];
  for (const file of paths.filter(isArticleFile)) {
    if (((await source.size?.(file)) ?? 0) > LIMITS.articleFileBytes) continue;
    const bytes = await source.read(file);
    if (!bytes) continue;
    const split = splitFrontMatter(file, new TextDecoder().decode(bytes));
    const data = split.ok ? split.data : {};
    found.push({
      file,
      slug: typeof data.slug === "string" ? data.slug.trim().normalize("NFC") : defaultSlug(file),
      id: typeof data.id === "string" ? data.id.trim() : undefined,
      aliases: resolveAliases(listOf(data.aliases), site.url).aliases.map(aliasKey),
    });
  }
  return found;
}

/** What identifies a post in files an earlier import wrote: the id it keeps, else its old address. */
function matchOf(item: Loaded, site: SiteSettings): NameRequest["match"] {
  if (item.keepId && item.post.id && /^[a-z][a-z0-9+.-]*:\S+$/i.test(item.post.id)) return { id: item.post.id };
  const alias = item.post.link ? normaliseAlias(item.post.link, site.url) : undefined;
  return { alias: alias?.ok ? aliasKey(alias.alias) : undefined };
}

const listOf = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === "string");

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/gif": "gif",
  "image/webp": "webp",
  "image/avif": "avif",
};

type Resolved = { file: string; facts: ImageFacts } | { reason: string };

/**
 * Images under `out/images/`: each URL resolved once, to a copy already there, a file in an `--images` folder or
 * beside the input, or the URL fetched (bounded in size and time); only the five accepted raster formats, checked by
 * their bytes as the check does. A URL that cannot be read stays remote.
 */
class ImageStore {
  readonly counts = { copied: 0, fetched: 0, present: 0, remote: 0 };
  private readonly resolved = new Map<string, Promise<Resolved>>();
  private readonly names = new Map<string, string>();
  private readonly facts = new Map<string, ImageInspection>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly options: Options;
  constructor(options: Options) {
    this.options = options;
  }

  resolve(image: SourceImage, input: string): Promise<Resolved> {
    let pending = this.resolved.get(image.url);
    if (!pending) {
      pending = this.find(image, input);
      this.resolved.set(image.url, pending);
    }
    return pending;
  }

  /** The lookups parseArticle needs: facts of the images this import placed under the output folder. */
  lookup() {
    const inspect = (file: string): ImageInspection | undefined => this.facts.get(file);
    return {
      image: (file: string) => {
        const i = inspect(file);
        return i?.ok ? i.facts : null;
      },
      exists: (file: string) => this.facts.has(file),
      imageProblem: (file: string) => {
        const i = inspect(file);
        return i && !i.ok ? i.reason : undefined;
      },
    };
  }

  private async find(image: SourceImage, input: string): Promise<Resolved> {
    const target = this.claimName(image);
    for (const file of [target.base + target.ext, ...Object.values(EXTENSIONS).map((e) => `${target.base}${target.ext}.${e}`)]) {
      const present = await readImage(join(this.options.out, file));
      if (present) return this.keep(file, present.inspected, "present");
    }
    for (const candidate of this.localCandidates(image, input)) {
      const found = await readImage(candidate);
      if (found) return this.store(target, found.bytes, "copied");
    }
    if (this.options.offline || !/^https?:\/\//i.test(image.url)) {
      this.counts.remote++;
      return { reason: this.options.offline ? "not found locally (--offline)" : "not found locally" };
    }
    const fetched = await this.fetchBounded(image.url);
    if ("reason" in fetched) {
      this.counts.remote++;
      return fetched;
    }
    return this.store(target, fetched.bytes, "fetched");
  }

  /** A file name for the URL, unique in this import: a second URL that maps to a taken name gets a short hash of itself. */
  private claimName(image: SourceImage): { base: string; ext: string } {
    const file = imageFileFor(image.url, image.uploadsPath);
    const m = /^(.*?)(\.[A-Za-z0-9]{1,5})?$/.exec(file)!;
    let base = m[1]!;
    const ext = m[2] ?? "";
    const owner = this.names.get(base.toLowerCase());
    if (owner !== undefined && owner !== image.url) base = `${base}-${hashText(image.url).slice(0, 6)}`;
    this.names.set(base.toLowerCase(), image.url);
    return { base, ext };
  }

  private *localCandidates(image: SourceImage, input: string): Iterable<string> {
    let path = "";
    let uploads = image.uploadsPath ?? "";
    try {
      const url = new URL(image.url);
      path = decodeURIComponent(url.pathname).replace(/^\/+/, "");
      const at = path.indexOf("wp-content/uploads/");
      if (!uploads && at >= 0) uploads = path.slice(at + "wp-content/uploads/".length);
    } catch {
      path = image.url.replace(/^\/+/, "");
    }
    const dirs = [...this.options.imageDirs, dirname(resolve(input))];
    for (const dir of dirs) {
      for (const rel of [uploads, path, basename(path)]) {
        if (!rel) continue;
        const full = resolve(dir, rel);
        if (full.startsWith(dir + sep)) yield full;
      }
    }
  }

  private async store(target: { base: string; ext: string }, bytes: Uint8Array, how: "copied" | "fetched"): Promise<Resolved> {
    const inspected = inspectImage(bytes);
    if (!inspected.ok) return { reason: inspected.reason };
    const accepted = Object.values(EXTENSIONS).includes(target.ext.slice(1).toLowerCase()) || target.ext.toLowerCase() === ".jpeg";
    const file = target.base + (accepted ? target.ext : `${target.ext}.${EXTENSIONS[inspected.facts.type]}`);
    const path = join(this.options.out, file);
    const before = await readFile(path).catch(() => null);
    if (!before || !Buffer.from(bytes).equals(before)) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes);
    }
    return this.keep(file, inspected, how);
  }

  private keep(file: string, inspected: ImageInspection & { ok: true }, how: "copied" | "fetched" | "present"): Resolved {
    this.facts.set(file, inspected);
    this.counts[how]++;
    return { file, facts: inspected.facts };
  }

  /** GET within --fetch-timeout and LIMITS.imageBytes (refused from Content-Length, or as soon as the body passes it). */
  private async fetchBounded(url: string): Promise<{ bytes: Uint8Array } | { reason: string }> {
    await this.slot();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.options.fetchTimeoutMs), redirect: "follow" });
      if (!res.ok || !res.body) return { reason: `fetching it answered ${res.status}` };
      const declared = Number(res.headers.get("content-length") ?? Number.NaN);
      if (declared > LIMITS.imageBytes) {
        await res.body.cancel();
        return { reason: `it is ${declared.toLocaleString("en")} bytes, over the ${LIMITS.imageBytes / 1024 / 1024} MiB limit` };
      }
      const parts: Uint8Array[] = [];
      let total = 0;
      for await (const part of res.body) {
        total += part.byteLength;
        if (total > LIMITS.imageBytes) {
          return { reason: `its body passed the ${LIMITS.imageBytes / 1024 / 1024} MiB limit` };
        }
        parts.push(part);
      }
      const bytes = new Uint8Array(total);
      let at = 0;
      for (const part of parts) {
        bytes.set(part, at);
        at += part.byteLength;
      }
      const inspected = inspectImage(bytes);
      return inspected.ok ? { bytes } : { reason: `it is ${inspected.reason}` };
    } catch (error) {
      const e = error as Error;
      return {
        reason:
          e.name === "TimeoutError"
            ? `no answer within ${this.options.fetchTimeoutMs / 1000} s`
            : `it could not be fetched (${e.cause instanceof Error ? e.cause.message : e.message})`,
      };
    } finally {
      this.release();
    }
  }

  private async slot(): Promise<void> {
    if (this.running < FETCH.concurrency) {
      this.running++;
      return;
    }
    await new Promise<void>((go) => this.waiting.push(go));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

/** An accepted image file on disk (its size checked before it is read), or null. */
async function readImage(path: string): Promise<{ bytes: Uint8Array; inspected: ImageInspection & { ok: true } } | null> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile() || oversizedImage(info.size)) return null;
  const bytes = new Uint8Array(await readFile(path));
  const inspected = inspectImage(bytes);
  return inspected.ok ? { bytes, inspected } : null;
}

/** Warnings, errors and refusals as they happen (stderr), and the summary at the end (stdout). */
class Report {
  refused = 0;
  warnings = 0;
  private readonly err: Output;
  private readonly quiet: boolean;
  constructor(err: Output, quiet: boolean) {
    this.err = err;
    this.quiet = quiet;
  }
  warn(message: string): void {
    this.warnings++;
    if (!this.quiet) this.line(`warning: ${message}`);
  }
  note(message: string): void {
    if (!this.quiet) this.line(`note: ${message}`);
  }
  error(message: string): void {
    this.line(`error: ${message}`);
  }
  refuse(item: { post: SourcePost }, why: string, file?: string): void {
    this.refused++;
    this.line(
      `error: ${item.post.input} ${item.post.where}${file ? ` (${file})` : ""} "${item.post.title.slice(0, 60)}": not imported: ${why}`,
    );
  }
  private line(text: string): void {
    // A progress line may be on screen: clear it first.
    this.err.write(`${this.err.isTTY ? "\r\x1b[K" : ""}${text.slice(0, 2000)}\n`);
  }
  summary(
    out: Output,
    s: {
      written: number;
      unchanged: number;
      kept: number;
      refused: number;
      total: number;
      docs: readonly { file: string; doc: SourceDocument }[];
      checkIssues?: number;
      images?: ImageStore["counts"];
    },
  ): void {
    const skipped = new Map<string, number>();
    for (const { doc } of s.docs) for (const [what, n] of Object.entries(doc.skipped)) skipped.set(what, (skipped.get(what) ?? 0) + n);
    const recovered = s.docs.reduce((n, d) => n + d.doc.recovered, 0);
    const lines = [
      `import: ${s.docs.length} input(s), ${s.total} post(s): ${s.written} written, ${s.unchanged} unchanged, ${s.kept} kept as they were, ${s.refused} not imported; ${this.warnings} warning(s)`,
    ];
    if (s.images)
      lines.push(
        `images: ${s.images.copied} copied, ${s.images.fetched} fetched, ${s.images.present} already there, ${s.images.remote} kept remote`,
      );
    if (skipped.size) lines.push(`skipped: ${[...skipped].map(([what, n]) => `${n} ${what}`).join(", ")}`);
    if (recovered) lines.push(`recovered: ${recovered} character(s) or entities XML does not allow, read as written`);
    if (s.checkIssues !== undefined) lines.push(s.checkIssues ? `check: ${s.checkIssues} problem(s) (listed above)` : "check: ok");
    out.write(`${lines.join("\n")}\n`);
  }
}

/** A progress line on a terminal (done/total and rate), at most ten times a second; nothing otherwise. */
class Progress {
  private done_ = 0;
  private readonly started = performance.now();
  private last = 0;
  private readonly err: Output;
  private readonly total: number;
  constructor(err: Output, total: number) {
    this.err = err;
    this.total = total;
  }
  tick(): void {
    this.done_++;
    if (!this.err.isTTY) return;
    const now = performance.now();
    if (now - this.last < 100 && this.done_ < this.total) return;
    this.last = now;
    const rate = this.done_ / Math.max((now - this.started) / 1000, 0.001);
    this.err.write(`\r\x1b[Kimporting ${this.done_}/${this.total} (${rate.toFixed(rate < 10 ? 1 : 0)}/s)`);
  }
  done(): void {
    if (this.err.isTTY && this.total) this.err.write("\r\x1b[K");
  }
}

if (import.meta.main) runCommand(main);
