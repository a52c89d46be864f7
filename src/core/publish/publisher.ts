// Publishing as a use case: every rule of putting, renaming and deleting articles, images and registries, over a
// store that only reads and writes (store.ts). Each file is validated with `npm run check`'s rules against what is
// stored (the authors registry, image facts, the slugs and ids other files hold), rendered once, and written with the
// conditions the store checks inside its transaction (the file still holds what was read; its slug, id and images
// still free or stored); a change of a registry or an image publishes the articles that use it again.
//
// Articles go in groups: a group is read in one round trip (registries, what its files hold, the images they name),
// its claims in a second, and it is written in a third, one transaction, whatever its size (PUBLISH_GROUP).
import { type ArticleRecord, fingerprintRecord, type ParsedArticle, parseArticle } from "../article.ts";
import { type AuthorRegistry, parseAuthors } from "../authors.ts";
import { scopeKey } from "../catalog.ts";
import { correctionWarning, mayNeedCorrectionWarning } from "../corrections.ts";
import type { ContentIssue } from "../errors.ts";
import { type ImageFacts, inspectImage, localImageFile } from "../images.ts";
import { countUtf8Bytes, describeSize } from "../limits.ts";
import type { Author } from "../model.ts";
import { parsePartners } from "../partners.ts";
import {
  type ArticleOutcome,
  type ArticleResult,
  type ArticleUpload,
  type Claimant,
  checkContentPath,
  claimIssues,
  type DeleteOutcome,
  type DeletionResult,
  decodeUpload,
  type ImageOutcome,
  type ImageResult,
  type ManifestPage,
  meetsPrecondition,
  type Precondition,
  PreconditionFailedError,
  PUBLISH_LIMITS,
  PUBLISHABLE_IMAGE_TYPES,
  type PublishChange,
  PublishConflictError,
  type Publisher,
  type PublishRefusal,
  PublishRejectedError,
  type PutResult,
  type RegistryName,
  type RegistryOutcome,
  type Republished,
  type ShapingRefresh,
} from "../publishing.ts";
import type { SiteSettings } from "../settings.ts";
import { slugify } from "../text.ts";
import { isSameArticle, keepFirstId, planRedirects, retirementsOf } from "./identity.ts";
import { planLists } from "./lists.ts";
import { ALL_SCOPE, hashSource, type ItemWriters, membershipsOf, PART_NAMES, type Publication, preparePublication } from "./publication.ts";
import { SHAPING_STEP, shapingOf } from "./shaping.ts";
import type {
  Expectation,
  PublishStore,
  RedirectPlan,
  StoreAnswer,
  StoreChange,
  StoredArticle,
  StoredRegistry,
  WriteConflict,
} from "./store.ts";

/**
 * How many articles one group reads and writes together: one D1 transaction each. Bounded by count and by the bytes
 * of their text (what they store is about four times their markdown: 7 KB of markdown stores about 27 KB of parts),
 * so a transaction stays around 10 MB whatever a batch holds. Larger groups write each touched index page once for
 * more rows: 200 articles a transaction wrote about 25% fewer bytes (and made 25% fewer system calls) per article to
 * local D1 than 50 did (BENCHMARKS.md, "Issue 17: import rate and publish ÷ check").
 */
export const PUBLISH_GROUP = { articles: 200, bytes: 2 * 1024 * 1024 } as const;

/** Image objects put at once (a Worker has six connections waiting for their answer at a time). */
const OBJECTS_AT_ONCE = 6;

/** Times an article is read and written again when its file changed underneath it (another publish got there first). */
const STALE_RETRIES = 3;

export interface PublisherOptions {
  store: PublishStore;
  site: SiteSettings;
  /** The formats' item writers and their revision (src/formats/index.ts), applied when an article is stored. */
  items: ItemWriters;
  /** Articles per group; PUBLISH_GROUP by default (tests use small groups to cross their edges). */
  group?: { articles: number; bytes: number };
  /** `shapingOf(site)`, computed once by the composition root; computed here when absent. */
  shaping?: string;
}

/** An article to publish: its file, its text, and the file it was renamed from. */
interface Incoming {
  index: number;
  file: string;
  text: string;
  /** `hashSource(text)`, computed once (sourceHashOf): a group compares it several times. */
  hash?: string;
  renamed?: string;
  /**
   * Republishing from the store: a file that no longer passes keeps its stored version (its refusal is settled for the
   * caller to note, never answered to a client), and the article keeps its stored publication and update times.
   */
  stored?: boolean;
  /** Republishing from the store: the slug it is stored under, kept (a server-side re-publish never moves a URL). */
  keepSlug?: string;
  /** What the file, and the file it was renamed from, were when the client read them. */
  base?: Precondition;
  replacesBase?: Precondition;
}

/** A publisher over `store`: the Publisher every route and the CLI's worker use. */
export function createPublisher(options: PublisherOptions): Publisher {
  return new StorePublisher(options);
}

class StorePublisher implements Publisher {
  readonly #store: PublishStore;
  readonly #site: SiteSettings;
  readonly #items: ItemWriters;
  readonly #group: { articles: number; bytes: number };
  readonly #shaping: string;

  constructor(options: PublisherOptions) {
    this.#store = options.store;
    this.#site = options.site;
    this.#shaping = options.shaping ?? shapingOf(options.site);
    this.#items = options.items;
    this.#group = options.group ?? PUBLISH_GROUP;
    if (options.store.moveParts) this.moveParts = (from, limit) => options.store.moveParts!(from, limit);
  }

  moveParts?: Publisher["moveParts"];

  manifest(after: string, limit: number): Promise<ManifestPage> {
    return this.#store.manifest(after, limit, this.#shaping);
  }

  async putArticle(
    file: string,
    bytes: Uint8Array,
    { replaces, now, base, replacesBase }: { replaces?: string; now: Date; base?: Precondition; replacesBase?: Precondition },
  ): Promise<ArticleOutcome> {
    const upload = {
      file,
      bytes,
      ...(replaces !== undefined ? { replaces } : {}),
      ...(base ? { base } : {}),
      ...(replacesBase ? { replacesBase } : {}),
    };
    const [result] = await this.putArticles([upload], now);
    if ("error" in result!) throw result.error;
    return result!.outcome;
  }

  async putArticles(uploads: readonly ArticleUpload[], now: Date): Promise<ArticleResult[]> {
    const results: ArticleResult[] = new Array(uploads.length);
    const pending: Incoming[] = [];
    for (const [index, upload] of uploads.entries()) {
      const { file, bytes } = upload;
      try {
        requirePath("article", file);
        const decoded = decodeUpload(file, bytes, PUBLISH_LIMITS.articleBytes);
        if ("issue" in decoded) throw new PublishRejectedError(file, [decoded.issue]);
        const renamed = upload.replaces !== undefined && upload.replaces !== file ? upload.replaces : undefined;
        if (renamed !== undefined) requirePath("article", renamed);
        pending.push({
          index,
          file,
          text: decoded.text,
          ...(renamed !== undefined ? { renamed } : {}),
          ...(upload.base ? { base: upload.base } : {}),
          ...(upload.replacesBase && renamed !== undefined ? { replacesBase: upload.replacesBase } : {}),
        });
      } catch (error) {
        results[index] = { file, error: refusal(error) };
      }
    }
    await this.#publishAll(pending, now, (item, answer) => {
      results[item.index] = "error" in answer ? { file: item.file, error: answer.error } : { file: item.file, outcome: answer.outcome };
    });
    return results;
  }

  async deleteArticle(file: string, now: Date, base?: Precondition): Promise<DeleteOutcome> {
    const [result] = await this.deleteArticles([{ file, ...(base ? { base } : {}) }], now);
    if ("error" in result!) throw result.error;
    return result!.outcome;
  }

  async deleteArticles(deletions: readonly { file: string; base?: Precondition }[], now: Date): Promise<DeletionResult[]> {
    for (const { file } of deletions) requirePath("article", file);
    const results: DeletionResult[] = new Array(deletions.length);
    // A file named twice: removed once (with the last one's base), both answered alike.
    const last = new Map(deletions.map((d, index) => [d.file, index]));
    let queue = [...last.values()].map((index) => ({ ...deletions[index]!, index }));
    for (let attempt = 0; queue.length; attempt++) {
      const again: typeof queue = [];
      for (let i = 0; i < queue.length; i += this.#group.articles) {
        const group = queue.slice(i, i + this.#group.articles);
        const state = await this.#store.read({ files: group.map((d) => d.file) });
        const changes: StoreChange[] = [];
        const going: { index: number; file: string; article: StoredArticle | undefined }[] = [];
        for (const { file, base, index } of group) {
          const article = state.articles.get(file);
          const stored = article?.sourceHash ?? state.drafts.get(file)?.sourceHash ?? null;
          // Already gone: a retried deletion whose first attempt went through meets any base (RFC 9110 §13.1.1).
          if (stored === null) {
            results[index] = { path: file, outcome: { path: file, result: "absent" } };
            continue;
          }
          if (!meetsPrecondition(stored, base)) {
            results[index] = { path: file, error: new PreconditionFailedError(file, stored) };
            continue;
          }
          changes.push({
            kind: "delete",
            key: file,
            file,
            expect: [{ file, version: article?.version ?? null, draft: state.drafts.has(file) }],
            lists: planLists(article ? [article] : [], undefined, now),
            retire: retirementsOf(article ? [article] : []),
            now,
          });
          going.push({ index, file, article });
        }
        const answers = changes.length ? await this.#store.write(changes) : [];
        for (const [n, answer] of answers.entries()) {
          const { index, file, article } = going[n]!;
          if (answer.ok) {
            const scopes = article?.entries.map((e) => e.scope) ?? [];
            const change = changeOf(now, { scopes, slugs: article ? [article.slug] : [] });
            results[index] = { path: file, outcome: { path: file, result: "deleted", ...(change ? { change } : {}) } };
          } else if (attempt < STALE_RETRIES) again.push(...group.filter((d) => d.index === index));
          else results[index] = { path: file, error: staleError(file) };
        }
      }
      queue = again;
    }
    for (const [index, { file }] of deletions.entries()) results[index] ??= results[last.get(file)!]!;
    return results;
  }

  async putImage(path: string, bytes: Uint8Array, now: Date, base?: Precondition): Promise<ImageOutcome> {
    const [result] = await this.putImages([{ path, bytes, ...(base ? { base } : {}) }], now);
    if ("error" in result!) throw result.error;
    return result!.outcome;
  }

  async putImages(uploads: readonly { path: string; bytes: Uint8Array; base?: Precondition }[], now: Date): Promise<ImageResult[]> {
    const results: ImageResult[] = new Array(uploads.length);
    const measured: { index: number; path: string; bytes: Uint8Array; facts: ImageFacts; sha256: string; base?: Precondition }[] = [];
    for (const [index, { path, bytes, base }] of uploads.entries()) {
      try {
        requirePath("image", path);
        // The check's own inspection: its reason names what the bytes are (an SVG, a damaged JPEG, …).
        const inspected = inspectImage(bytes);
        if (!inspected.ok || !PUBLISHABLE_IMAGE_TYPES.includes(inspected.facts.type)) {
          const found = inspected.ok ? `an image of type ${inspected.facts.type}` : inspected.reason;
          throw new PublishRejectedError(path, [{ file: path, found, expected: "a JPEG, PNG, GIF, WebP or AVIF file" }]);
        }
        measured.push({ index, path, bytes, facts: inspected.facts, sha256: await sha256Hex(bytes), ...(base ? { base } : {}) });
      } catch (error) {
        results[index] = { path, error: refusal(error) };
      }
    }
    // A path sent twice: the last bytes win, as two PUTs in a row would leave them.
    const last = new Map(measured.map((m) => [m.path, m]));
    const { images: stored } = await this.#store.read({ images: [...last.keys()] });
    // What each was based on, checked against the row read: images are not checked again inside the write (their bytes
    // go to R2 first), so two publishes of one image within these milliseconds leave the last one's.
    for (const image of [...last.values()]) {
      const found = stored.get(image.path)?.sha256 ?? null;
      if (meetsPrecondition(found, image.base, image.sha256)) continue;
      last.delete(image.path);
      for (const m of measured)
        if (m.path === image.path) results[m.index] = { path: m.path, error: new PreconditionFailedError(m.path, found) };
    }
    const changed = [];
    for (const image of last.values()) {
      const old = stored.get(image.path);
      if (!(old && old.sha256 === image.sha256 && (await this.#store.objects.exists(image.path)))) changed.push(image);
    }
    // The bytes first, a few at a time, then the rows together: a row always has its object, and an article can name
    // the image only once both are in.
    for (let i = 0; i < changed.length; i += OBJECTS_AT_ONCE) {
      await Promise.all(
        changed
          .slice(i, i + OBJECTS_AT_ONCE)
          .map((m) => this.#store.objects.put(m.path, m.bytes, { type: m.facts.type, sha256: m.sha256 })),
      );
    }
    if (changed.length) {
      await this.#store.write(changed.map((m) => ({ kind: "image", key: m.path, path: m.path, facts: { ...m.facts, sha256: m.sha256 } })));
    }
    // Articles carry the facts they were published with (enclosure length, type, size): publish them again.
    const refacted = changed.filter((m) => {
      const old = stored.get(m.path);
      return (
        old && (old.type !== m.facts.type || old.width !== m.facts.width || old.height !== m.facts.height || old.length !== m.facts.length)
      );
    });
    const users = refacted.length ? (await this.#store.read({ imageUsers: refacted.map((m) => m.path) })).imageUsers : new Map();
    const { done, scopes } = await this.#republish([...new Set([...users.values()].flat().map((u) => u.slug))], now);
    for (const m of measured) {
      if (!last.has(m.path)) continue;
      const isChanged = changed.includes(m);
      const slugs = (users.get(m.path) ?? []).map((u: { slug: string }) => u.slug);
      const mine = done.filter((d) => (users.get(m.path) ?? []).some((u: { file: string }) => u.file === d.file));
      results[m.index] = {
        path: m.path,
        outcome: isChanged
          ? {
              path: m.path,
              result: stored.has(m.path) ? "updated" : "created",
              facts: m.facts,
              republished: mine,
              change: changeOf(now, {
                scopes: mine.length ? [...scopes] : [],
                slugs: mine.some((d) => d.result !== "unchanged") ? slugs : [],
                images: [m.path],
              }),
            }
          : { path: m.path, result: "unchanged", facts: m.facts, republished: [] },
      };
    }
    return results;
  }

  async deleteImage(path: string, now: Date, base?: Precondition): Promise<DeleteOutcome> {
    requirePath("image", path);
    if (base) {
      const found = (await this.#store.read({ images: [path] })).images.get(path)?.sha256 ?? null;
      if (found === null) return { path, result: "absent" };
      if (!meetsPrecondition(found, base)) throw new PreconditionFailedError(path, found);
    }
    // The row first, and only while no article uses it (checked inside the write), then the bytes: an article can
    // never be published against an image that is going.
    const [answer] = await this.#store.write([{ kind: "delete-image", key: path, path }]);
    if (!answer!.ok) {
      const users = "conflicts" in answer! ? answer.conflicts.flatMap((c) => (c.field === "in-use" ? [c.file] : [])) : [];
      throw new PublishConflictError(path, `${path} is used by ${users.join(", ")}: publish or delete those first`);
    }
    await this.#store.objects.delete(path);
    return answer!.deleted ? { path, result: "deleted", change: changeOf(now, { images: [path] }) } : { path, result: "absent" };
  }

  async putRegistry(name: RegistryName, bytes: Uint8Array, now: Date, base?: Precondition): Promise<RegistryOutcome> {
    const decoded = decodeUpload(name, bytes, PUBLISH_LIMITS.registryBytes);
    if ("issue" in decoded) throw new PublishRejectedError(name, [decoded.issue]);
    return this.#storeRegistry(name, decoded.text, now, base, false);
  }

  /**
   * Stores a registry's text, parsed under the current settings. `refresh`: parsed again from its stored text after
   * the settings changed; the articles it changes are left to the refresh, which finds every one of them stale too
   * (they were stored under the same old settings, or under the registry's: #publishGroup).
   */
  async #storeRegistry(
    name: RegistryName,
    text: string,
    now: Date,
    base: Precondition | undefined,
    refresh: boolean,
  ): Promise<RegistryOutcome> {
    const sourceHash = hashSource(text);
    // authors.yaml as the check parses it, local avatars looked up among the stored images (two passes, as articles).
    const wanted = new Set<string>();
    const first =
      name === "authors.yaml"
        ? parseAuthors(text, this.#site, {
            image: (file) => {
              wanted.add(file);
              return null;
            },
            exists: () => false,
          })
        : parsePartners(text);
    let old: StoredRegistry | undefined;
    let entries: unknown[];
    for (let attempt = 0; ; attempt++) {
      const state = await this.#store.read({ registries: [name], images: [...wanted] });
      old = state.registries.get(name);
      if (!meetsPrecondition(old?.sourceHash ?? null, base, sourceHash)) throw new PreconditionFailedError(name, old?.sourceHash ?? null);
      const parsed =
        name === "authors.yaml" && wanted.size
          ? parseAuthors(text, this.#site, { image: (file) => state.images.get(file) ?? null, exists: (file) => state.images.has(file) })
          : first;
      if (parsed.issues.length) throw new PublishRejectedError(name, parsed.issues);
      entries = "authors" in parsed ? [...parsed.authors] : [...parsed.partners];
      if (old?.sourceHash === sourceHash && old.shaping === this.#shaping) return { name, result: "unchanged", republished: [] };
      const stored = JSON.stringify(entries);
      this.#requireFits(name, [["registry", stored]]);
      // Stored only while the registry read is still the one stored: two publishes of it never lose one's entries silently.
      const [answer] = await this.#store.write([
        {
          kind: "registry",
          key: name,
          name,
          sourceHash,
          text,
          parsed: stored,
          warnings: "[]",
          shaping: this.#shaping,
          expect: old?.sourceHash ?? null,
        },
      ]);
      if (answer!.ok) break;
      if (attempt >= STALE_RETRIES) throw staleError(name);
    }
    // The same text parsed the same under other settings: only the settings it is stored under changed.
    if (old?.sourceHash === sourceHash && old.parsed === JSON.stringify(entries)) return { name, result: "unchanged", republished: [] };

    let republished: Republished[] = [];
    let scopes = new Set<string>();
    let slugs: string[] = [];
    if (name === "authors.yaml" && !refresh) {
      // Only the articles that name an author whose entry changed: the cost grows with those authors' articles.
      const lists = authorListsToRecheck(old ? (JSON.parse(old.parsed) as [string, Author][]) : [], entries as [string, Author][]);
      slugs = lists.length ? [...(await this.#store.read({ listMembers: lists })).listMembers] : [];
      ({ done: republished, scopes } = await this.#republish(slugs, now));
    }
    return {
      name,
      result: old ? "updated" : "created",
      republished,
      change: changeOf(now, { scopes: [...scopes], slugs, registries: [name] }),
    };
  }

  /**
   * Publishes stored articles again from their stored source, after something they use changed. Articles that no
   * longer pass (they cannot, today: a registry or image change never invalidates one) keep their stored version.
   * Drafts keep theirs until they are next published: the store keeps no source for them.
   */
  async #republish(
    slugs: readonly string[],
    now: Date,
  ): Promise<{ done: Republished[]; scopes: Set<string>; slugs: Set<string>; refused: { file: string; error: PublishRefusal }[] }> {
    const done: Republished[] = [];
    const scopes = new Set<string>();
    const changed = new Set<string>();
    const refused: { file: string; error: PublishRefusal }[] = [];
    for (let i = 0; i < slugs.length; i += this.#group.articles) {
      const some = slugs.slice(i, i + this.#group.articles);
      const { sources } = await this.#store.read({ sources: some });
      // In the order asked (the refresh's: newest first), whatever order a store answers in.
      const items = some.flatMap((slug, index): Incoming[] => {
        const source = sources.get(slug);
        return source ? [{ index, file: source.file, text: source.text, stored: true, keepSlug: slug }] : [];
      });
      await this.#publishAll(items, now, (item, answer) => {
        if ("error" in answer) {
          refused.push({ file: item.file, error: answer.error });
          return;
        }
        done.push({ file: answer.outcome.file, result: answer.outcome.result });
        for (const scope of answer.outcome.change?.scopes ?? []) scopes.add(scope);
        for (const slug of answer.outcome.change?.slugs ?? []) changed.add(slug);
      });
    }
    return { done, scopes, slugs: changed, refused };
  }

  /**
   * Brings up to `limit` articles stored under other settings up to date (the scheduled run's step): first every
   * registry stored under others, parsed again from its stored text (articles parse against it), then the newest stale
   * articles, published again from their stored sources through the same rules as any publish. An article whose bytes
   * come out the same only has its settings noted (no version, purge or announcement); one whose bytes change is
   * stored as a publish stores it, keeping its id and times, and is in the change. A registry or article that no
   * longer passes under the current settings keeps what it has, noted as current so it is not tried again each run.
   */
  async refreshShaping(now: Date, limit: number = SHAPING_STEP): Promise<ShapingRefresh> {
    const shaping = this.#shaping;
    const names: RegistryName[] = ["authors.yaml", "partners.yaml"];
    const first = await this.#store.read({ registries: names, stale: { shaping, limit } });
    const staleRegistries = names.filter((name) => {
      const stored = first.registries.get(name);
      return stored !== undefined && stored.shaping !== shaping;
    });
    const registries: RegistryName[] = [];
    const refused: string[] = [];
    if (staleRegistries.length) {
      const { registryTexts } = await this.#store.read({ registryTexts: staleRegistries });
      for (const name of staleRegistries) {
        const text = registryTexts.get(name);
        if (text === undefined) continue;
        try {
          const outcome = await this.#storeRegistry(name, text, now, undefined, true);
          if (outcome.result !== "unchanged") registries.push(name);
        } catch (error) {
          refusal(error);
          // Its stored entries kept, noted as current: else every article parsed against it would stay stale.
          const stored = first.registries.get(name)!;
          await this.#store.write([
            { kind: "registry", key: name, name, ...stored, text, warnings: "[]", shaping, expect: stored.sourceHash },
          ]);
          refused.push(name);
        }
      }
    }
    const { done, scopes, slugs, refused: articles } = await this.#republish(first.stale.slugs, now);
    const rejected = articles.filter((r) => r.error instanceof PublishRejectedError).map((r) => r.file);
    if (rejected.length) {
      const { articles: stored } = await this.#store.read({ files: rejected });
      await this.#store.write(
        [...stored.values()].map((a) => ({
          kind: "restamp",
          key: a.file,
          expect: [{ file: a.file, version: a.version, draft: false }],
          shaping,
        })),
      );
      refused.push(...rejected);
    }
    const change = changeOf(now, { scopes: [...scopes], slugs: [...slugs], registries });
    return { registries, articles: done, refused, more: first.stale.more, ...(change ? { change } : {}) };
  }

  /** Publishes every item, group by group; an item whose file changed underneath it goes again, a few times at most. */
  async #publishAll(
    items: readonly Incoming[],
    now: Date,
    settle: (item: Incoming, answer: { outcome: ArticleOutcome } | { error: PublishRefusal }) => void,
  ): Promise<void> {
    let queue = items;
    for (let attempt = 0; queue.length; attempt++) {
      const again: Incoming[] = [];
      for (const group of groupItems(queue, this.#group)) {
        await this.#publishGroup(group, now, settle, (item) => {
          if (attempt < STALE_RETRIES) again.push(item);
          else settle(item, { error: staleError(item.file) });
        });
      }
      queue = again;
    }
  }

  /** One group: read, parse, check claims, write; each item settled, or handed to `retry` when it was stale. */
  async #publishGroup(
    items: readonly Incoming[],
    now: Date,
    settle: (item: Incoming, answer: { outcome: ArticleOutcome } | { error: PublishRefusal }) => void,
    retry: (item: Incoming) => void,
  ): Promise<void> {
    const refuse = (item: Incoming, error: unknown) => settle(item, { error: refusal(error) });
    let group = items;
    const files = [...new Set(group.flatMap((item) => (item.renamed ? [item.file, item.renamed] : [item.file])))];
    // The images the texts seem to name are read with the rest, so each article is parsed once with their facts.
    const guessed = [...new Set(group.flatMap((item) => imagesNamedIn(item.text)))];
    const state = await this.#store.read({ registries: ["authors.yaml"], files, images: guessed });
    const registry = state.registries.get("authors.yaml");
    const authors = registryOf<Author>(registry?.parsed);
    // The settings the group's articles are stored under: the current ones, unless the registry they are parsed against
    // was parsed under others (stored before the scheduled run parsed it again): then the registry's, so that the
    // refresh finds these articles stale too and publishes them again once it has the registry current.
    const shaping = registry && registry.shaping !== this.#shaping ? registry.shaping : this.#shaping;

    // What each file was based on (If-Match, If-None-Match): checked against what was read, and again inside the write,
    // which requires the versions read; a file changed in between is read again (retry), and checked again.
    const held = (file: string) => state.articles.get(file)?.sourceHash ?? state.drafts.get(file)?.sourceHash ?? null;
    group = group.filter((item) => {
      const sending = sourceHashOf(item);
      const failed = !meetsPrecondition(held(item.file), item.base, sending)
        ? item.file
        : item.renamed !== undefined && !meetsPrecondition(held(item.renamed), item.replacesBase) && held(item.file) !== sending
          ? item.renamed
          : undefined;
      if (failed !== undefined) settle(item, { error: new PreconditionFailedError(failed, held(failed)) });
      return failed === undefined;
    });

    // Each article parsed against the stored registry and images; one naming an image the guess missed (an unusual
    // spelling of its path) again, with that image's facts read too.
    const parsed = new Map<Incoming, ParsedArticle>();
    const missed = new Map<Incoming, Set<string>>();
    const known = new Set(guessed);
    for (const item of group) {
      const asked = new Set<string>();
      parsed.set(item, parseArticle(item.file, item.text, this.#context(authors, asked, state.images, item.keepSlug)));
      const unknown = [...asked].filter((path) => !known.has(path));
      if (unknown.length) missed.set(item, new Set(unknown));
    }
    if (missed.size) {
      const more = (await this.#store.read({ images: [...new Set([...missed.values()].flatMap((s) => [...s]))] })).images;
      const images = new Map([...state.images, ...more]);
      for (const item of missed.keys()) {
        parsed.set(item, parseArticle(item.file, item.text, this.#context(authors, undefined, images, item.keepSlug)));
      }
    }

    // What each valid article replaces, and whether it changes anything at all.
    const planned: Planned[] = [];
    for (const item of group) {
      const result = parsed.get(item)!;
      if (!result.ok) {
        refuse(item, new PublishRejectedError(item.file, result.issues, result.warnings));
        continue;
      }
      const { record, warnings } = result;
      try {
        planned.push(this.#plan(item, record, warnings, state));
      } catch (error) {
        refuse(item, error);
      }
    }
    const unchanged = planned.filter((p) => p.unchanged);
    for (const p of unchanged) settle(p.item, { outcome: outcomeOf(p, "unchanged", now) });
    // Unchanged articles stored under other settings: only the record of their settings is written (no part, no list,
    // no version a feed names changes), with the group's write. One whose file changed meanwhile is left as it is.
    const restamps: StoreChange[] = unchanged
      .filter((p) => !p.record.draft && p.old[0] !== undefined && p.old[0].shaping !== shaping)
      .map((p) => ({ kind: "restamp", key: p.item.file, expect: p.expect, shaping }));
    const writing = planned.filter((p) => !p.unchanged);

    // Claims: other stored files holding the slug or id, and deleted articles' ids. A file that an earlier article of
    // the group rewrites is left to the write's own check, which sees the group in order.
    const claimed = writing.filter((p) => !p.record.draft);
    const rewritten = new Map<string, number>();
    for (const [n, p] of writing.entries()) for (const file of p.replaces) if (!rewritten.has(file)) rewritten.set(file, n);
    // With them, the stored text of a published article whose body may have changed without a later `updated:` (the
    // warning of src/core/corrections.ts): read only when the text changed and `updated` did not move forward.
    const corrected = writing.filter((p) => {
      const existing = state.articles.get(p.item.file);
      return existing && existing.sourceHash !== sourceHashOf(p.item) && mayNeedCorrectionWarning(existing, p.record, now);
    });
    const second =
      claimed.length || corrected.length
        ? await this.#store.read({
            ...(claimed.length
              ? {
                  claims: claimed.map((p) => ({
                    key: p.item.file,
                    slug: p.record.slug,
                    id: p.record.id,
                    aliases: p.redirects.aliases,
                    own: p.replaces,
                  })),
                }
              : {}),
            ...(corrected.length ? { sources: corrected.map((p) => state.articles.get(p.item.file)!.slug) } : {}),
          })
        : undefined;
    const claims: ReadonlyMap<string, readonly Claimant[]> = second?.claims ?? new Map();
    for (const p of corrected) {
      const existing = state.articles.get(p.item.file)!;
      const source = second?.sources.get(existing.slug);
      const warning =
        source && correctionWarning({ published: existing.published, updated: existing.updated, source: source.text }, p.record, now);
      if (warning) p.warnings = [...p.warnings, warning];
    }
    const valid: Planned[] = [];
    const taken = new Map<string, string>();
    for (const [n, p] of writing.entries()) {
      const found = (claims.get(p.item.file) ?? []).filter((c) => c.field === "retired" || !((rewritten.get(c.file) ?? n) < n));
      // Within the group, the earlier article holds what it claims, as it would have had it been sent first.
      if (!p.record.draft) {
        for (const [field, value] of [
          ["slug", p.record.slug],
          ["id", p.record.id],
        ] as const) {
          const holder = taken.get(`${field}\0${value}`);
          if (holder !== undefined && !found.some((c) => c.field === field)) found.push({ field, file: holder });
        }
        for (const alias of p.redirects.aliases) {
          const holder = taken.get(`alias\0${alias}`);
          if (holder !== undefined && !found.some((c) => c.field === "alias" && c.alias === alias)) {
            found.push({ field: "alias", file: holder, alias });
          }
        }
      }
      if (found.length) {
        refuse(p.item, new PublishRejectedError(p.item.file, claimIssues(p.record, found), p.warnings));
        continue;
      }
      if (!p.record.draft) {
        taken.set(`slug\0${p.record.slug}`, p.item.file);
        taken.set(`id\0${p.record.id}`, p.item.file);
        for (const alias of p.redirects.aliases) taken.set(`alias\0${alias}`, p.item.file);
      }
      try {
        p.publication = preparePublication(p.record, p.item.text, p.warnings, this.#items, this.#site.language, sourceHashOf(p.item));
        this.#requireFits(
          p.item.file,
          p.record.draft ? [["record", p.publication.parts.record]] : PART_NAMES.map((part) => [part, p.publication!.parts[part]]),
        );
        valid.push(p);
      } catch (error) {
        refuse(p.item, error);
      }
    }
    if (valid.length === 0) {
      if (restamps.length) await this.#store.write(restamps);
      return;
    }

    const answers = (await this.#store.write([...valid.map((p) => this.#change(p, now, shaping)), ...restamps])).slice(0, valid.length);
    const written = new Set(valid.flatMap((p) => p.replaces));
    for (const [n, answer] of answers.entries()) {
      const p = valid[n]!;
      if (answer.ok) {
        settle(p.item, { outcome: outcomeOf(p, p.result, now) });
      } else if ("tooBig" in answer) {
        refuse(p.item, tooBigError(p.item.file, undefined, undefined, this.#store.limits.valueBytes, p.warnings));
      } else if (answer.conflicts.some((c) => c.field === "stale" || c.field === "image" || ("file" in c && written.has(c.file)))) {
        // The file or an image it uses changed underneath, or what it claims was held by a file this very write
        // changed (checked, like every change of a write, against the store as it was before): read and check it again.
        retry(p.item);
      } else {
        refuse(p.item, new PublishRejectedError(p.item.file, claimIssues(p.record, claimantsOf(answer.conflicts)), p.warnings));
      }
    }
  }

  /**
   * The parse context over a registry and image facts (without facts, the images asked for are collected into
   * `wanted`), keeping a stored slug when re-publishing from the store.
   */
  #context(authors: AuthorRegistry, wanted?: Set<string>, facts?: ReadonlyMap<string, ImageFacts>, keepSlug?: string) {
    return {
      site: this.#site,
      ...(keepSlug !== undefined ? { keepSlug } : {}),
      authors,
      image: (path: string) => {
        wanted?.add(path);
        return facts?.get(path) ?? null;
      },
      exists: (path: string) => facts?.has(path) ?? false,
    };
  }

  /**
   * What storing a valid record means: what it replaces (its file, a file it was renamed from), the id it keeps (the
   * one its article was first published with), what its old URLs become, and whether it changes anything.
   */
  #plan(item: Incoming, parsed: ArticleRecord, warnings: readonly ContentIssue[], state: StoreAnswer): Planned {
    const existing = state.articles.get(item.file);
    const draft = state.drafts.get(item.file);
    const sourceHash = sourceHashOf(item);
    let renamed = item.renamed;
    if (renamed !== undefined) {
      const old = state.articles.get(renamed) ?? state.drafts.get(renamed);
      if (!old) {
        renamed = undefined; // already gone (a retried rename): nothing to replace
      } else if (!isSameArticle(old, parsed, sourceHash)) {
        throw new PublishRejectedError(
          item.file,
          [
            {
              file: item.file,
              found: `?replaces=${renamed}, which holds the article "${old.slug}", not this one`,
              expected: "the file this article was renamed from (the same slug, id, text or date)",
            },
          ],
          warnings,
        );
      }
    }
    const moved = renamed !== undefined ? state.articles.get(renamed) : undefined;
    // The article keeps the id it was first published with: the renamed file's, else this file's. Published again from
    // the store (after a registry, an image or the settings changed), it keeps its times too: a new SITE_TIMEZONE
    // never moves a stored story, and a reader never sees an old one as new.
    const kept = keepFirstId(parsed, moved ?? existing);
    const record = item.stored && existing ? { ...kept, published: existing.published, updated: existing.updated } : kept;
    // A stored article is unchanged when its text, its rendering and its lists are what publishing it would store:
    // the lists too, so that publishing again (`npm run publish -- --all`) files an article stored before a list
    // existed (its language's) into it. Its record is then what it would store (the fingerprint covers every field a
    // setting shapes), so its parts are too: one stored under other settings (`shaping`) needs only that noted.
    const unchanged = record.draft
      ? !existing && draft?.sourceHash === sourceHash && renamed === undefined
      : existing?.sourceHash === sourceHash &&
        existing.fingerprint === fingerprintRecord(record) &&
        renamed === undefined &&
        sameLists(existing.entries, membershipsOf(record, this.#site.language));
    const old = [existing, moved].filter((a): a is StoredArticle => !!a);
    return {
      item,
      record,
      warnings,
      replaces: renamed !== undefined ? [item.file, renamed] : [item.file],
      old,
      expect: (renamed !== undefined ? [item.file, renamed] : [item.file]).map(
        (file): Expectation => ({ file, version: state.articles.get(file)?.version ?? null, draft: state.drafts.has(file) }),
      ),
      redirects: planRedirects(record, old),
      result: record.draft ? (draft || existing ? "updated" : "created") : existing ? "updated" : "created",
      unchanged,
    };
  }

  /** The store change of a planned article, stored under the settings `shaping`. */
  #change(p: Planned, now: Date, shaping: string): StoreChange {
    const publication = p.publication!;
    const base = { key: p.item.file, publication, replaces: p.replaces, expect: p.expect, now };
    // A draft in place of published articles (its own file's, or a file it was renamed from) retires them, as a delete.
    if (p.record.draft) return { kind: "draft", ...base, lists: planLists(p.old, undefined, now), retire: retirementsOf(p.old) };
    return { kind: "article", ...base, lists: planLists(p.old, publication, now), redirects: p.redirects, shaping };
  }

  /** Refuses a file one of whose stored values the store cannot hold, naming the part and its size. */
  #requireFits(file: string, values: readonly (readonly [string, string])[]): void {
    const limit = this.#store.limits.valueBytes;
    for (const [part, text] of values) {
      // Cheap bound first: a UTF-16 code unit is at most 3 bytes of UTF-8.
      if (text.length * 3 <= limit) continue;
      const bytes = countUtf8Bytes(text);
      if (bytes > limit) throw tooBigError(file, part, bytes, limit);
    }
  }
}

/** An article on its way to the store. */
interface Planned {
  item: Incoming;
  record: ArticleRecord;
  /** The check's warnings, and the correction warning when there is one. */
  warnings: readonly ContentIssue[];
  /** Its file, and a file it was renamed from. */
  replaces: readonly string[];
  /** The articles those files hold now. */
  old: readonly StoredArticle[];
  expect: readonly Expectation[];
  /** What its old URLs become. */
  redirects: RedirectPlan;
  result: PutResult;
  unchanged: boolean;
  publication?: Publication;
}

function outcomeOf(p: Planned, result: PutResult, now: Date): ArticleOutcome {
  const { record } = p;
  const before = p.old.flatMap((a) => a.entries.map((e) => e.scope));
  const after = record.draft ? [] : (p.publication?.memberships ?? []).map((m) => m.scope);
  return {
    file: p.item.file,
    slug: record.slug,
    draft: record.draft,
    result,
    warnings: p.warnings,
    change:
      result === "unchanged"
        ? undefined
        : changeOf(now, { scopes: [...before, ...after], slugs: [...p.old.map((a) => a.slug), ...(record.draft ? [] : [record.slug])] }),
  };
}

/**
 * The items in groups of at most `limit` articles and bytes, in order; an item whose file (or renamed file) an earlier
 * item of the group also names starts the next group, so each file is read after the write of the one before.
 */
function groupItems(items: readonly Incoming[], limit: { articles: number; bytes: number }): Incoming[][] {
  const groups: Incoming[][] = [];
  let group: Incoming[] = [];
  let bytes = 0;
  let files = new Set<string>();
  for (const item of items) {
    const own = item.renamed ? [item.file, item.renamed] : [item.file];
    const size = item.text.length;
    if (group.length && (group.length >= limit.articles || bytes + size > limit.bytes || own.some((f) => files.has(f)))) {
      groups.push(group);
      group = [];
      bytes = 0;
      files = new Set();
    }
    group.push(item);
    bytes += size;
    for (const file of own) files.add(file);
  }
  if (group.length) groups.push(group);
  return groups;
}

/** The hash of an item's text, computed once per item (a 7 KB article's hash is read three or four times a publish). */
function sourceHashOf(item: Incoming): string {
  item.hash ??= hashSource(item.text);
  return item.hash;
}

/** The local images a markdown file seems to name (`/images/…` anywhere in it): a guess to read their facts with. */
function imagesNamedIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\/images\/[^\s"'<>()[\],]+/g)) {
    const path = localImageFile(m[0]);
    if (path) found.add(path);
  }
  return [...found];
}

/** Whether an article's stored list entries are exactly the lists of these memberships. */
function sameLists(entries: readonly { scope: string }[], memberships: readonly { scope: string }[]): boolean {
  const stored = new Set(entries.map((e) => e.scope));
  return stored.size === memberships.length && memberships.every((m) => stored.has(m.scope));
}

/**
 * The change to report, or undefined when nothing a reader can see changed (a draft, an unused image's removal). The
 * list of every article (`all`) is left out: it has no feed or page of its own, and what reads it (the sitemaps) is
 * forgotten with every change.
 */
function changeOf(now: Date, parts: Partial<Omit<PublishChange, "now">>): PublishChange | undefined {
  const found: PublishChange = {
    scopes: [...new Set(parts.scopes ?? [])].filter((scope) => scope !== ALL_SCOPE).sort(),
    slugs: [...new Set(parts.slugs ?? [])].sort(),
    images: parts.images ?? [],
    registries: parts.registries ?? [],
    now,
  };
  return found.scopes.length || found.slugs.length || found.images.length || found.registries.length ? found : undefined;
}

function requirePath(kind: "article" | "image", path: string): void {
  const expected = checkContentPath(kind, path);
  if (expected) throw new PublishRejectedError(path, [{ file: path, found: `the path ${JSON.stringify(path)}`, expected }]);
}

/** An error from validating a file, as a batch answers it; anything else (a store failure) is thrown on. */
function refusal(error: unknown): PublishRefusal {
  if (error instanceof PublishRejectedError || error instanceof PublishConflictError || error instanceof PreconditionFailedError) {
    return error;
  }
  throw error;
}

function staleError(file: string): PublishConflictError {
  return new PublishConflictError(file, `${file}: it was changed by other publishes meanwhile, again and again; nothing was changed`);
}

/**
 * A refusal for a value over the store's limit (D1 holds at most 2,000,000 bytes in one value): the part and its size
 * when known (checked before writing), else what the store reported.
 */
function tooBigError(
  file: string,
  part: string | undefined,
  bytes: number | undefined,
  limit: number,
  warnings: readonly ContentIssue[] = [],
): PublishRejectedError {
  const found = part && bytes ? `its stored ${part}: ${describeSize(bytes)}` : "a stored value the store refused as too big";
  return new PublishRejectedError(
    file,
    [
      {
        file,
        found,
        expected: `at most ${describeSize(limit)} in each stored part (a shorter body, or fewer footnotes, tables and images)`,
      },
    ],
    warnings,
  );
}

function claimantsOf(conflicts: readonly WriteConflict[]) {
  return conflicts.flatMap((c) => (c.field === "slug" || c.field === "id" || c.field === "alias" || c.field === "retired" ? [c] : []));
}

/**
 * The author lists whose articles may resolve differently after a registry change: for every entry added, removed or
 * changed, the list of its key and the lists a free-form name keyed by its slug would be in (the key's own slug, and
 * the entry's old and new names', since an article may name an author by name). Listing too many costs re-parses that
 * change nothing; listing too few would leave stale bylines.
 */
export function authorListsToRecheck(before: readonly [string, Author][], after: readonly [string, Author][]): string[] {
  const old = new Map(before);
  const now = new Map(after);
  const lists = new Set<string>();
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    if (JSON.stringify(old.get(key)) === JSON.stringify(now.get(key))) continue;
    for (const name of [key, old.get(key)?.name, now.get(key)?.name]) {
      if (name === undefined) continue;
      lists.add(scopeKey({ kind: "authors", slug: name }));
      lists.add(scopeKey({ kind: "authors", slug: slugify(name) }));
    }
  }
  return [...lists];
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A registry as stored (its parsed entries as JSON pairs): empty when none is stored. */
function registryOf<T>(parsed: string | undefined): Map<string, T> {
  return new Map(parsed ? (JSON.parse(parsed) as [string, T][]) : []);
}
