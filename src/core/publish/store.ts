// The store the publish use case runs over: what it reads (one query of many questions, answered in one round
// trip) and what it writes (many changes in one transaction), in the use case's words. A store only reads and
// writes: every rule lives in the use case (src/core/publish/publisher.ts). Implemented over D1 and R2
// (src/store/d1/) and in memory (src/store/memory/); test/support/store-contract.ts holds both to the same answers.
import type { Claimant, ManifestPage, PartsMoveOutcome, RegistryName } from "../publishing.ts";
import type { ListEntry, ListPlan } from "./lists.ts";
import type { Publication } from "./publication.ts";

/** The publishable article a file holds, as the use case compares and replaces it. */
export interface StoredArticle {
  file: string;
  slug: string;
  id: string;
  /** Names this stored version: new for every write, so a write can require that the file still holds it. */
  version: string;
  fingerprint: string;
  sourceHash: string;
  published: Date;
  updated: Date;
  /** The settings it was stored under (shaping.ts); '' for an article stored before they were recorded. */
  shaping: string;
  /** Its live entries in lists. */
  entries: readonly ListEntry[];
}

/** A draft a file holds (drafts are kept for the preview only: no lists, no slug or id claimed). */
export interface StoredDraft {
  file: string;
  slug: string;
  sourceHash: string;
}

/** An image's facts, as measured from its bytes when it was stored. */
export interface StoredImageFacts {
  type: string;
  width: number;
  height: number;
  length: number;
  sha256: string;
}

/** A registry as stored: the hash of its text and its parsed entries (JSON pairs). */
export interface StoredRegistry {
  sourceHash: string;
  parsed: string;
  /** The settings it was parsed under (shaping.ts); '' for a registry stored before they were recorded. */
  shaping: string;
}

/**
 * One claim to look up: an article's slug, id and aliases (their keys, src/core/redirects.ts), and the files that are
 * its own (its file, a file it replaces).
 */
export interface ClaimQuery {
  key: string;
  slug: string;
  id: string;
  aliases: readonly string[];
  own: readonly string[];
}

/** The questions of one read, answered together (one round trip to D1). Every field is optional. */
export interface StoreQuery {
  registries?: readonly RegistryName[];
  /** What these article files hold: their publishable article and their draft. */
  files?: readonly string[];
  /** The facts of these images. */
  images?: readonly string[];
  claims?: readonly ClaimQuery[];
  /** The stored markdown of these articles (by slug), for publishing them again. */
  sources?: readonly string[];
  /** The articles that use these images (by path). */
  imageUsers?: readonly string[];
  /** The articles in these lists (scope keys), live entries only. */
  listMembers?: readonly string[];
  /** The stored text of these registries (to parse them again under other settings). */
  registryTexts?: readonly RegistryName[];
  /**
   * Up to `limit` articles stored under settings other than `shaping`, through the index on (shaping, published): of
   * the nearest other value below `shaping` and the nearest above (each one index seek), the newest first.
   */
  stale?: { shaping: string; limit: number };
}

export interface StoreAnswer {
  registries: ReadonlyMap<RegistryName, StoredRegistry>;
  /** By file. */
  articles: ReadonlyMap<string, StoredArticle>;
  /** By file. */
  drafts: ReadonlyMap<string, StoredDraft>;
  /** By path. */
  images: ReadonlyMap<string, StoredImageFacts>;
  /** By claim key: every claimant found (none: the claim is free). */
  claims: ReadonlyMap<string, readonly Claimant[]>;
  /** By slug: the file and its stored markdown. */
  sources: ReadonlyMap<string, { file: string; text: string }>;
  /** By image path: the articles using it, by file name order. */
  imageUsers: ReadonlyMap<string, readonly { slug: string; file: string }[]>;
  /** Slugs of the articles in the lists asked for, sorted. */
  listMembers: readonly string[];
  /** By registry name: its stored text. */
  registryTexts: ReadonlyMap<RegistryName, string>;
  /** Slugs of stale articles, newest first (by publication time, then slug, descending); `more`: others wait. */
  stale: { slugs: readonly string[]; more: boolean };
}

/**
 * What a write requires a file to hold still: the version of its article that was read (null: none), and whether it
 * held a draft (if not, none may have appeared; if so, the write removes it).
 */
export type Expectation = { file: string; version: string | null; draft: boolean };

/**
 * What an article's old URLs become when it is stored (src/core/redirects.ts): each is a row leading to its id, so it
 * answers 301 to the article's page while it is published, 410 once its id is retired.
 */
export interface RedirectPlan {
  /** The key of its own page: no row may lead away from it. */
  page: string;
  /** Keys of the aliases its front matter claims: they replace the ones its earlier versions claimed. */
  aliases: readonly string[];
  /** Keys of the pages of slugs it had (a rename, a re-slug): they lead to it now. */
  moved: readonly string[];
  /** Ids its replaced versions had, other than its own (an `id:` changed): their rows lead to it now. */
  ids: readonly string[];
}

/** An article that leaves (deleted, unpublished): its id retired (never given to another), its page answering 410. */
export interface Retirement {
  id: string;
  slug: string;
  /** The key of its page. */
  page: string;
}

/**
 * One change of a write. A write is made as one: every change's conditions are checked against the store as it was
 * when the write began (its expectations, an article's claims: slug, id, retired ids; the images it uses; an image to
 * remove unused), then the changes that passed are made together, all or nothing each: entries leave their lists, the
 * replaced articles go, the new ones go in, and the entries that enter lists are placed together (lists.ts). A change
 * that fails a check changes nothing and is answered with its conflicts; the others go on. The changes of one write
 * concern different files, and claim different slugs and ids (the use case groups them so).
 */
export type StoreChange =
  | {
      kind: "article";
      key: string;
      publication: Publication;
      /** Files whose article and draft this one replaces (its own file, and a file it was renamed from). */
      replaces: readonly string[];
      expect: readonly Expectation[];
      lists: ListPlan;
      redirects: RedirectPlan;
      /** The settings it is stored under (shaping.ts). */
      shaping: string;
      now: Date;
    }
  | {
      kind: "draft";
      key: string;
      publication: Publication;
      replaces: readonly string[];
      expect: readonly Expectation[];
      lists: ListPlan;
      /** The replaced articles (a draft is no article): retired, as a delete retires them. */
      retire: readonly Retirement[];
      now: Date;
    }
  | {
      kind: "delete";
      key: string;
      file: string;
      expect: readonly Expectation[];
      lists: ListPlan;
      retire: readonly Retirement[];
      now: Date;
    }
  /**
   * Records that an article is what publishing it under the settings `shaping` would store (its parts unchanged): only
   * while its file holds the version read.
   */
  | { kind: "restamp"; key: string; expect: readonly Expectation[]; shaping: string }
  | { kind: "image"; key: string; path: string; facts: StoredImageFacts }
  /** Removes an image's row, only while no article uses it. */
  | { kind: "delete-image"; key: string; path: string }
  | {
      kind: "registry";
      key: string;
      name: RegistryName;
      sourceHash: string;
      text: string;
      parsed: string;
      warnings: string;
      /** The settings it was parsed under (shaping.ts). */
      shaping: string;
      /** The hash of the registry that was read (null: none): stored only while it still is (else `stale`). */
      expect: string | null;
    };

/** Why a change was not made. */
export type WriteConflict =
  | Claimant
  /** An image the article uses is not stored (deleted meanwhile). */
  | { field: "image"; path: string }
  /** The file no longer holds the version that was read (another publish of it got there first). */
  | { field: "stale"; file: string }
  /** The image is used by an article (delete-image). */
  | { field: "in-use"; file: string };

/** The answer to one change, by its key. */
export type ChangeAnswer =
  | { key: string; ok: true; deleted?: boolean }
  | { key: string; ok: false; conflicts: readonly WriteConflict[] }
  /** A value over the store's limit (D1: 2,000,000 bytes per string), found by the store when the write failed on it. */
  | { key: string; ok: false; tooBig: true };

/** What a store can hold in one value, checked by the use case before writing. */
export interface StoreLimits {
  /** The largest text value, in UTF-8 bytes (D1: SQLITE_TOOBIG above 2,000,000 bytes per string or row). */
  valueBytes: number;
}

/** Image bytes (R2 at the edge). */
export interface ObjectStore {
  put(path: string, bytes: Uint8Array, meta: { type: string; sha256: string }): Promise<void>;
  delete(path: string): Promise<void>;
  exists(path: string): Promise<boolean>;
}

export interface PublishStore {
  readonly limits: StoreLimits;
  readonly objects: ObjectStore;
  /** Answers every question of `query` together. */
  read(query: StoreQuery): Promise<StoreAnswer>;
  /** Makes `changes` in one transaction, in order; answers each by key, in the same order. */
  write(changes: readonly StoreChange[]): Promise<ChangeAnswer[]>;
  /** One page of what is stored, by path; articles and registries stored under other settings than `shaping` are `stale`. */
  manifest(after: string, limit: number, shaping: string): Promise<ManifestPage>;
  /** Moves the parts of up to `limit` articles out of shard `from`; only where a store keeps parts databases (D1). */
  moveParts?(from: number, limit: number): Promise<PartsMoveOutcome>;
}

/** An empty answer, for stores to fill. */
export function emptyAnswer(): {
  registries: Map<RegistryName, StoredRegistry>;
  articles: Map<string, StoredArticle>;
  drafts: Map<string, StoredDraft>;
  images: Map<string, StoredImageFacts>;
  claims: Map<string, Claimant[]>;
  sources: Map<string, { file: string; text: string }>;
  imageUsers: Map<string, { slug: string; file: string }[]>;
  listMembers: string[];
  registryTexts: Map<RegistryName, string>;
  stale: { slugs: string[]; more: boolean };
} {
  return {
    registries: new Map(),
    articles: new Map(),
    drafts: new Map(),
    images: new Map(),
    claims: new Map(),
    sources: new Map(),
    imageUsers: new Map(),
    listMembers: [],
    registryTexts: new Map(),
    stale: { slugs: [], more: false },
  };
}
