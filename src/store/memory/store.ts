// The publish store in memory: the same interface and the same answers as the D1 store (src/store/d1/store.ts), so
// every publish rule runs as a millisecond Node test (test/support/store-contract.ts holds the two to each other).
// Writes are applied change by change, each checked and made whole or not at all, as D1's transaction makes them.
import type { Catalog } from "../../core/catalog.ts";
import type { Membership } from "../../core/publish/publication.ts";
import {
  type ChangeAnswer,
  emptyAnswer,
  type ObjectStore,
  type PublishStore,
  type StoreAnswer,
  type StoreChange,
  type StoreLimits,
  type StoreQuery,
  type WriteConflict,
} from "../../core/publish/store.ts";
import type { Claimant, ManifestEntry, ManifestPage } from "../../core/publishing.ts";
import { D1_LIMITS } from "../d1/limits.ts";
import { createMemoryStoreCatalog } from "./catalog.ts";
import { MemoryTables } from "./tables.ts";

export interface MemoryStore extends PublishStore {
  /** The Catalog over what this store holds (what the app reads). */
  readonly catalog: Catalog;
  /** The tables themselves, for tests that look inside. */
  readonly tables: MemoryTables;
}

export interface MemoryStoreOptions {
  /** The store's limits; D1's by default, so the refusals they cause are tested in Node too. */
  limits?: StoreLimits;
  /** SITE_URL, by which its catalog knows authors' local avatars (as D1's catalog does). */
  siteUrl?: string;
}

/** An empty store in memory. */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const tables = new MemoryTables();
  let versions = 0;
  const objects: ObjectStore = {
    async put(path, bytes, meta) {
      tables.objects.set(path, { bytes: bytes.slice(), type: meta.type });
    },
    async delete(path) {
      tables.objects.delete(path);
    },
    async exists(path) {
      return tables.objects.has(path);
    },
  };
  return {
    limits: options.limits ?? D1_LIMITS,
    objects,
    tables,
    catalog: createMemoryStoreCatalog(tables, options.siteUrl),
    async read(query) {
      return readTables(tables, query);
    },
    async write(changes) {
      return applyChanges(tables, changes, () => `v${++versions}`);
    },
    async manifest(after, limit, shaping) {
      return manifestOf(tables, after, limit, shaping);
    },
  };
}

function readTables(tables: MemoryTables, query: StoreQuery): StoreAnswer {
  const answer = emptyAnswer();
  for (const name of query.registries ?? []) {
    const row = tables.registries.get(name);
    if (row) answer.registries.set(name, { sourceHash: row.sourceHash, parsed: row.parsed, shaping: row.shaping });
  }
  for (const name of query.registryTexts ?? []) {
    const row = tables.registries.get(name);
    if (row) answer.registryTexts.set(name, row.text);
  }
  if (query.stale) answer.stale = staleOf(tables, query.stale.shaping, query.stale.limit);
  for (const file of query.files ?? []) {
    const article = tables.articleOf(file);
    if (article) {
      answer.articles.set(file, {
        file,
        slug: article.slug,
        id: article.id,
        version: article.version,
        fingerprint: article.fingerprint,
        sourceHash: article.sourceHash,
        published: new Date(article.published),
        updated: new Date(article.updated),
        shaping: article.shaping,
        entries: tables.entriesOf(article.slug),
      });
    }
    const draft = tables.drafts.get(file);
    if (draft) answer.drafts.set(file, { file, slug: draft.slug, sourceHash: draft.sourceHash });
  }
  for (const path of query.images ?? []) {
    const facts = tables.images.get(path);
    if (facts) answer.images.set(path, { ...facts });
  }
  for (const claim of query.claims ?? []) {
    const found = claimantsOf(tables, claim.slug, claim.id, claim.aliases, claim.own);
    if (found.length) answer.claims.set(claim.key, found);
  }
  for (const slug of query.sources ?? []) {
    const article = tables.articles.get(slug);
    if (article) answer.sources.set(slug, { file: article.file, text: article.parts.source });
  }
  for (const path of query.imageUsers ?? []) {
    const users = [...(tables.imageRefs.get(path) ?? [])].map((slug) => ({ slug, file: tables.articles.get(slug)!.file }));
    if (users.length)
      answer.imageUsers.set(
        path,
        users.sort((a, b) => (a.file < b.file ? -1 : 1)),
      );
  }
  const members = new Set<string>();
  for (const scope of query.listMembers ?? []) {
    for (const row of tables.lists.get(scope)?.rows ?? []) if (!row.removed) members.add(row.slug);
  }
  answer.listMembers = [...members].sort();
  return answer;
}

/**
 * Articles stored under other settings than `shaping`, as D1's index range finds them (src/store/d1/articles.ts,
 * STALE_SQL): of the nearest other value below and the nearest above, the newest first, `limit` at most.
 */
function staleOf(tables: MemoryTables, shaping: string, limit: number): { slugs: string[]; more: boolean } {
  const values = new Set([...tables.articles.values()].map((a) => a.shaping));
  const below = [...values]
    .filter((v) => v < shaping)
    .sort()
    .at(-1);
  const above = [...values].filter((v) => v > shaping).sort()[0];
  const newestFirst = (a: { published: number; slug: string }, b: { published: number; slug: string }) =>
    b.published - a.published || (a.slug < b.slug ? 1 : a.slug > b.slug ? -1 : 0);
  const found = [...tables.articles.values()]
    .filter((a) => a.shaping === below || a.shaping === above)
    .sort(newestFirst)
    .slice(0, limit + 1);
  return { slugs: found.slice(0, limit).map((a) => a.slug), more: found.length > limit };
}

/**
 * Who else holds the slug, id or aliases (files other than `own`), and a deleted article's id (of another slug), in the
 * order D1's guard reports them.
 */
function claimantsOf(tables: MemoryTables, slug: string, id: string, aliases: readonly string[], own: readonly string[]): Claimant[] {
  const found: Claimant[] = [];
  const bySlug = tables.articles.get(slug);
  if (bySlug && !own.includes(bySlug.file)) found.push({ field: "slug", file: bySlug.file });
  const idSlug = tables.ids.get(id);
  const byId = idSlug === undefined ? undefined : tables.articles.get(idSlug);
  // One file holding both the slug and the (URL-derived) id is one conflict, named once.
  if (byId && !own.includes(byId.file) && byId !== bySlug) found.push({ field: "id", file: byId.file });
  // An alias is held by the stored article its row leads to (a deleted article's is free).
  for (const alias of [...aliases].sort()) {
    const row = tables.redirects.get(alias);
    const holderSlug = row?.kind === "alias" ? tables.ids.get(row.id) : undefined;
    const holder = holderSlug === undefined ? undefined : tables.articles.get(holderSlug);
    if (holder && !own.includes(holder.file)) found.push({ field: "alias", file: holder.file, alias });
  }
  const retired = tables.retired.get(id);
  if (retired !== undefined && retired !== slug) found.push({ field: "retired", slug: retired });
  return found;
}

/** A write as D1 makes it (src/store/d1/store.ts): every change checked first, then the passed ones made together. */
function applyChanges(tables: MemoryTables, changes: readonly StoreChange[], newVersion: () => string): ChangeAnswer[] {
  const answers = changes.map((change) => check(tables, change));
  const passed = changes.filter((_c, i) => answers[i]!.ok);
  for (const change of passed) {
    if (change.kind === "image") tables.images.set(change.path, { ...change.facts });
    if (change.kind === "registry") {
      tables.registries.set(change.name, {
        sourceHash: change.sourceHash,
        text: change.text,
        parsed: change.parsed,
        warnings: change.warnings,
        shaping: change.shaping,
      });
    }
    if (change.kind === "restamp") {
      const article = tables.articleOf(change.expect[0]!.file);
      if (article) article.shaping = change.shaping;
    }
  }
  const stored = passed.filter((c) => c.kind === "article" || c.kind === "draft" || c.kind === "delete");
  for (const change of stored) {
    if (change.kind === "article") continue;
    for (const retired of change.retire) if (!tables.retired.has(retired.id)) tables.retired.set(retired.id, retired.slug);
  }
  for (const change of stored) for (const { slug, scope } of change.lists.leave) tables.leave(slug, scope, change.now.getTime());
  for (const change of stored) {
    for (const { file, version, draft } of change.expect) {
      const article = version === null ? undefined : tables.articleOf(file);
      if (article) {
        for (const path of article.images) tables.imageRefs.get(path)?.delete(article.slug);
        tables.articles.delete(article.slug);
        tables.files.delete(article.file);
        tables.ids.delete(article.id);
      }
      if (draft) tables.drafts.delete(file);
    }
  }
  const enters: { slug: string; published: number; membership: Membership; now: number }[] = [];
  for (const change of stored) {
    if (change.kind === "delete") continue;
    const pub = change.publication;
    if (change.kind === "draft") {
      tables.drafts.set(pub.file, {
        file: pub.file,
        slug: pub.slug,
        sourceHash: pub.sourceHash,
        record: pub.parts.record,
        warnings: JSON.stringify(pub.warnings),
      });
      continue;
    }
    tables.articles.set(pub.slug, {
      file: pub.file,
      slug: pub.slug,
      id: pub.id,
      published: pub.published.getTime(),
      updated: pub.updated.getTime(),
      fingerprint: pub.fingerprint,
      sourceHash: pub.sourceHash,
      warnings: JSON.stringify(pub.warnings),
      version: newVersion(),
      shaping: change.shaping,
      revision: pub.revision,
      parts: { ...pub.parts },
      images: [...pub.images],
    });
    tables.files.set(pub.file, pub.slug);
    tables.ids.set(pub.id, pub.slug);
    for (const path of pub.images) {
      const users = tables.imageRefs.get(path) ?? new Set<string>();
      users.add(pub.slug);
      tables.imageRefs.set(path, users);
    }
    const published = pub.published.getTime();
    for (const membership of change.lists.keep) tables.keep(pub.slug, published, membership);
    for (const membership of change.lists.enter) enters.push({ slug: pub.slug, published, membership, now: change.now.getTime() });
  }
  tables.enterTogether(enters);
  writeRedirects(tables, stored);
  return changes.map((change, i) => {
    const answer = answers[i]!;
    if (!answer.ok || change.kind !== "delete-image") return answer;
    return { key: change.key, ok: true, deleted: tables.images.delete(change.path) };
  });
}

/** What the changes make of old URLs, in the order D1's statements make it (src/store/d1/redirects.ts). */
function writeRedirects(tables: MemoryTables, changes: readonly StoreChange[]): void {
  const articles = changes.flatMap((c) => (c.kind === "article" ? [{ id: c.publication.id, ...c.redirects }] : []));
  for (const { id, ids } of articles) {
    const own = new Set([id, ...ids]);
    for (const [path, row] of tables.redirects) if (row.kind === "alias" && own.has(row.id)) tables.redirects.delete(path);
  }
  for (const { id, ids } of articles) {
    for (const row of tables.redirects.values()) if (ids.includes(row.id)) row.id = id;
  }
  for (const { id, moved } of articles) for (const path of moved) tables.redirects.set(path, { id, kind: "page" });
  for (const change of changes) {
    if (change.kind !== "draft" && change.kind !== "delete") continue;
    for (const retired of change.retire) tables.redirects.set(retired.page, { id: retired.id, kind: "page" });
  }
  for (const { page } of articles) tables.redirects.delete(page);
  for (const { id, aliases } of articles) for (const path of aliases) tables.redirects.set(path, { id, kind: "alias" });
}

/** A change's conditions, against the store as it is. */
function check(tables: MemoryTables, change: StoreChange): ChangeAnswer {
  const { key } = change;
  if (change.kind === "image") return { key, ok: true };
  if (change.kind === "registry") {
    const stale = (tables.registries.get(change.name)?.sourceHash ?? null) !== change.expect;
    return stale ? { key, ok: false, conflicts: [{ field: "stale", file: change.name }] } : { key, ok: true };
  }
  if (change.kind === "delete-image") {
    const users = [...(tables.imageRefs.get(change.path) ?? [])].map((slug) => tables.articles.get(slug)!.file).sort();
    return users.length ? { key, ok: false, conflicts: users.slice(0, 5).map((file) => ({ field: "in-use", file })) } : { key, ok: true };
  }
  const conflicts: WriteConflict[] = [];
  // A restamp's file must hold the version read, as any change of an article's.
  for (const e of change.expect)
    if ((tables.articleOf(e.file)?.version ?? null) !== e.version) conflicts.push({ field: "stale", file: e.file });
  for (const e of change.expect) if (!e.draft && tables.drafts.has(e.file)) conflicts.push({ field: "stale", file: e.file });
  if (change.kind === "article") {
    const { publication: pub } = change;
    conflicts.push(...claimantsOf(tables, pub.slug, pub.id, change.redirects.aliases, change.replaces));
    for (const path of pub.images) if (!tables.images.has(path)) conflicts.push({ field: "image", path });
  }
  return conflicts.length ? { key, ok: false, conflicts } : { key, ok: true };
}

/** A page of the manifest: articles, drafts, images and registries by path, after `after`. */
function manifestOf(tables: MemoryTables, after: string, limit: number, shaping: string): ManifestPage {
  const entries: ManifestEntry[] = [];
  for (const article of tables.articles.values()) {
    entries.push({
      path: article.file,
      kind: "article",
      hash: article.sourceHash,
      slug: article.slug,
      id: article.id,
      published: new Date(article.published).toISOString(),
      ...(article.shaping !== shaping ? { stale: true as const } : {}),
    });
  }
  for (const draft of tables.drafts.values()) entries.push({ path: draft.file, kind: "draft", hash: draft.sourceHash, slug: draft.slug });
  for (const [path, facts] of tables.images) entries.push({ path, kind: "image", hash: facts.sha256 });
  for (const [name, row] of tables.registries) {
    entries.push({ path: name, kind: "registry", hash: row.sourceHash, ...(row.shaping !== shaping ? { stale: true as const } : {}) });
  }
  // Ordered as SQLite orders text (by UTF-8 bytes; the same as UTF-16 code units below U+D800).
  const page = entries
    .filter((e) => compareBytes(e.path, after) > 0)
    .sort((a, b) => compareBytes(a.path, b.path))
    .slice(0, limit);
  return { entries: page, next: page.length === limit ? page[page.length - 1]!.path : null };
}

const utf8 = new TextEncoder();
function compareBytes(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
