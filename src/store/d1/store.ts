// The publish store over D1 and R2: a read is one D1 batch of the table groups' queries; a write is one D1 transaction
// of every change's statements, each change guarded (guard.ts) so that a refused one changes nothing and the others
// go on. Articles' parts go to the write shard (parts.ts): inside the transaction when that is the catalog database,
// before it otherwise; the versions a write replaced in other databases are deleted after it.
import { consoleSink, createEventLog, describeError, type EmitEvent } from "../../core/events.ts";
import {
  type ChangeAnswer,
  emptyAnswer,
  type ObjectStore,
  type PublishStore,
  type StoreAnswer,
  type StoreChange,
  type StoredImageFacts,
  type StoreQuery,
} from "../../core/publish/store.ts";
import type { Claimant, PartsMoveOutcome, RegistryName } from "../../core/publishing.ts";
import {
  type ArticleRow,
  articlesOfFiles,
  claimantsOf,
  draftsOfFiles,
  type FileRow,
  insertArticles,
  type ManifestRow,
  manifestOf,
  manifestPage,
  partsElsewhere,
  removeFiles,
  restampArticles,
  retireIds,
  sourcesOf,
  staleArticles,
  upsertDraft,
} from "./articles.ts";
import { isTooBig, object, query } from "./errors.ts";
import { clearGuard, conflictsOf, type GuardRow, guardAliases, guardChanges, guardImageUnused, takeGuard } from "./guard.ts";
import { deleteImage, imagesOf, insertImageRefs, removeImageRefs, upsertImage, usersOf } from "./images.ts";
import { D1_LIMITS } from "./limits.ts";
import {
  clearListScratch,
  type EntryRow,
  enterLists,
  entriesOfFiles,
  keepLists,
  type LeaveRow,
  leaveLists,
  membersOf,
  refreshFacets,
  touchLists,
} from "./lists.ts";
import {
  deleteParts,
  type GuardedParts,
  insertGuardedParts,
  insertParts,
  moveParts,
  newVersion,
  type PartsLocation,
  type PartsShards,
  readParts,
  singleDatabase,
} from "./parts.ts";
import { type RedirectRow, type RetiredPage, writeRedirects } from "./redirects.ts";
import { guardRegistries, registriesOf, registryTextsOf, upsertRegistry } from "./registries.ts";

export interface D1StoreOptions {
  /** Where a failed clean-up of replaced parts is logged (they are left for the scheduled sweep); the console by default. */
  emit?: EmitEvent;
}

/** The store over the catalog database `db`, the image bucket `bucket`, and the parts shards (by default `db` alone). */
export function createD1Store(
  db: D1Database,
  bucket: R2Bucket,
  shards: PartsShards = singleDatabase(db),
  options: D1StoreOptions = {},
): PublishStore {
  return new D1Store(db, bucket, shards, options.emit ?? createEventLog(consoleSink));
}

/** Claimants in the order the write's guard reports them: by field (slug, id, alias, retired), then by what they name. */
function compareClaimants(a: Claimant, b: Claimant): number {
  const rank = (c: Claimant) => ["slug", "id", "alias", "retired"].indexOf(c.field);
  const text = (c: Claimant) => (c.field === "alias" ? c.alias : c.field === "retired" ? c.slug : c.file);
  return rank(a) - rank(b) || (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0);
}

/** One question of a read: its statement, and what its rows add to the answer. */
interface Piece {
  statement: D1PreparedStatement;
  collect(rows: unknown[]): void;
}

/** What a write's statements are, and where in the batch each change's answers are read. */
interface WritePlan {
  statements: D1PreparedStatement[];
  /** The index of the `partsElsewhere` statement (the replaced versions in other databases), if any. */
  elsewhere?: number;
  /** Per delete-image key: the index of its DELETE. */
  removals: Map<string, number>;
  /** Parts written to another database before the transaction, per change key. */
  remote: Map<string, PartsLocation>;
  /** Parts to write before the transaction, per shard. */
  ahead: { location: PartsLocation; statement: (db: D1Database) => D1PreparedStatement }[];
}

class D1Store implements PublishStore {
  readonly limits = D1_LIMITS;
  readonly objects: ObjectStore;
  private readonly db: D1Database;
  private readonly shards: PartsShards;
  private readonly emit: EmitEvent;

  constructor(db: D1Database, bucket: R2Bucket, shards: PartsShards, emit: EmitEvent) {
    this.db = db;
    this.shards = shards;
    this.emit = emit;
    this.objects = {
      put: (path, bytes, meta) =>
        object("image write", async () => {
          await bucket.put(path, bytes, { httpMetadata: { contentType: meta.type }, sha256: meta.sha256 });
        }),
      delete: (path) => object("image delete", () => bucket.delete(path)),
      exists: (path) => object("image head", async () => (await bucket.head(path)) !== null),
    };
  }

  moveParts(from: number, limit: number): Promise<PartsMoveOutcome> {
    return moveParts(this.shards, from, limit);
  }

  async manifest(after: string, limit: number, shaping: string) {
    const { results } = await query("manifest", () => manifestPage(this.db, after, limit, shaping).all<ManifestRow>());
    return manifestOf(results, limit);
  }

  async read(question: StoreQuery): Promise<StoreAnswer> {
    const answer = emptyAnswer();
    const { db } = this;
    const pieces: Piece[] = [];
    const elsewhere: (PartsLocation & { file: string })[] = [];
    if (question.registries?.length) {
      pieces.push({
        statement: registriesOf(db, question.registries),
        collect: (rows) => {
          for (const row of rows as { name: RegistryName; sourceHash: string; parsed: string; shaping: string }[]) {
            answer.registries.set(row.name, { sourceHash: row.sourceHash, parsed: row.parsed, shaping: row.shaping });
          }
        },
      });
    }
    if (question.registryTexts?.length) {
      pieces.push({
        statement: registryTextsOf(db, question.registryTexts),
        collect: (rows) => {
          for (const row of rows as { name: RegistryName; text: string }[]) answer.registryTexts.set(row.name, row.text);
        },
      });
    }
    if (question.stale) {
      const { limit } = question.stale;
      pieces.push({
        statement: staleArticles(db, question.stale.shaping, limit),
        collect: (rows) => {
          const slugs = (rows as { slug: string }[]).map((r) => r.slug);
          answer.stale = { slugs: slugs.slice(0, limit), more: slugs.length > limit };
        },
      });
    }
    if (question.files?.length) {
      const entries = new Map<string, { scope: string; listed: number }[]>();
      pieces.push({
        statement: entriesOfFiles(db, question.files),
        collect: (rows) => {
          for (const row of rows as { file: string; scope: string; listed: number }[]) {
            const list = entries.get(row.file) ?? [];
            list.push({ scope: row.scope, listed: row.listed });
            entries.set(row.file, list);
          }
        },
      });
      pieces.push({
        statement: articlesOfFiles(db, question.files),
        collect: (rows) => {
          type Row = {
            file: string;
            slug: string;
            id: string;
            version: string;
            fingerprint: string;
            sourceHash: string;
            published: number;
            updated: number;
            shaping: string;
          };
          for (const row of rows as Row[]) {
            const times = { published: new Date(row.published), updated: new Date(row.updated) };
            answer.articles.set(row.file, { ...row, ...times, entries: entries.get(row.file) ?? [] });
          }
        },
      });
      pieces.push({
        statement: draftsOfFiles(db, question.files),
        collect: (rows) => {
          for (const row of rows as { file: string; slug: string; sourceHash: string }[]) answer.drafts.set(row.file, row);
        },
      });
    }
    if (question.images?.length) {
      pieces.push({
        statement: imagesOf(db, question.images),
        collect: (rows) => {
          for (const { path, ...facts } of rows as (StoredImageFacts & { path: string })[]) answer.images.set(path, facts);
        },
      });
    }
    if (question.claims?.length) {
      pieces.push({
        statement: claimantsOf(db, question.claims),
        collect: (rows) => {
          for (const { key, field, holder } of rows as { key: string; field: "slug" | "id" | "alias" | "retired"; holder: string }[]) {
            const list = answer.claims.get(key) ?? [];
            if (field === "retired") list.push({ field, slug: holder });
            else if (field === "alias") list.push({ field, ...(JSON.parse(holder) as { file: string; alias: string }) });
            else list.push({ field, file: holder });
            answer.claims.set(key, list);
          }
          // In the order the write's guard reports them (guard.ts, conflictsOf).
          for (const list of answer.claims.values()) list.sort(compareClaimants);
        },
      });
    }
    if (question.sources?.length) {
      pieces.push({
        statement: sourcesOf(db, question.sources),
        collect: (rows) => {
          for (const row of rows as (PartsLocation & { file: string; text: string | null })[]) {
            if (row.text !== null) answer.sources.set(row.slug, { file: row.file, text: row.text });
            else elsewhere.push(row);
          }
        },
      });
    }
    if (question.imageUsers?.length) {
      pieces.push({
        statement: usersOf(db, question.imageUsers),
        collect: (rows) => {
          for (const { path, slug, file } of rows as { path: string; slug: string; file: string }[]) {
            const list = answer.imageUsers.get(path) ?? [];
            list.push({ slug, file });
            answer.imageUsers.set(path, list);
          }
        },
      });
    }
    if (question.listMembers?.length) {
      pieces.push({
        statement: membersOf(db, question.listMembers),
        collect: (rows) => {
          answer.listMembers = (rows as { slug: string }[]).map((r) => r.slug);
        },
      });
    }
    if (pieces.length === 0) return answer;
    const results = await query("publish read", () => db.batch<unknown>(pieces.map((p) => p.statement)));
    for (const [i, piece] of pieces.entries()) piece.collect(results[i]!.results);
    // Sources whose parts are in another database: one more query per database they are in.
    if (elsewhere.length) {
      const texts = await readParts(this.shards, elsewhere, "source");
      for (const location of elsewhere) answer.sources.set(location.slug, { file: location.file, text: texts.get(location.slug)!.text });
    }
    return answer;
  }

  async write(changes: readonly StoreChange[]): Promise<ChangeAnswer[]> {
    if (changes.length === 0) return [];
    const plan = this.plan(changes);
    // Parts bound for another database go first, under versions no other write uses.
    const ahead = new Map<number, WritePlan["ahead"]>();
    for (const item of plan.ahead) ahead.set(item.location.shard, [...(ahead.get(item.location.shard) ?? []), item]);
    let results: D1Result[];
    try {
      for (const [shard, items] of ahead) {
        const target = this.shards.database(shard);
        await query("parts write", () => target.batch(items.map((item) => item.statement(target))));
      }
      results = await query("publish write", () => this.db.batch(plan.statements));
    } catch (error) {
      await this.cleanUp([...plan.remote.values()]);
      // A value over D1's limits fails the whole transaction: each change alone, to find which.
      if (isTooBig(error)) {
        if (changes.length === 1) return [{ key: changes[0]!.key, ok: false, tooBig: true }];
        const answers: ChangeAnswer[] = [];
        for (const change of changes) answers.push(...(await this.write([change])));
        return answers;
      }
      throw error;
    }
    const refused = conflictsOf(results.at(-1)!.results as { key: string; field: string; holder: string }[]);
    // What no reader can reach any more: the versions the applied changes replaced, and the refused ones' own.
    const gone: PartsLocation[] = [];
    if (plan.elsewhere !== undefined) gone.push(...(results[plan.elsewhere]!.results as PartsLocation[]));
    for (const [key, location] of plan.remote) if (refused.has(key)) gone.push(location);
    await this.cleanUp(gone);
    return changes.map((change): ChangeAnswer => {
      const conflicts = refused.get(change.key);
      if (conflicts) return { key: change.key, ok: false, conflicts };
      const removal = plan.removals.get(change.key);
      return removal === undefined
        ? { key: change.key, ok: true }
        : { key: change.key, ok: true, deleted: results[removal]!.meta.changes > 0 };
    });
  }

  /**
   * A write's statements: every change checked first (guard.ts), then the changes made together, a statement for
   * each kind of row whatever the number of changes (their rows as JSON), but the parts: four articles a statement
   * (their texts as bound parameters, within D1's 100).
   */
  private plan(changes: readonly StoreChange[]): WritePlan {
    const { db, shards } = this;
    const plan: WritePlan = {
      statements: [clearGuard(db), ...clearListScratch(db)],
      removals: new Map(),
      remote: new Map(),
      ahead: [],
    };
    const written = Date.now();
    const guards: GuardRow[] = [];
    const imageGuards: D1PreparedStatement[] = [];
    const registryGuards: { key: string; name: RegistryName; expect: string | null }[] = [];
    const rows: D1PreparedStatement[] = [];
    const restamps: { key: string; file: string; shaping: string }[] = [];
    const retires: { key: string; id: string; slug: string; now: number }[] = [];
    const redirects: RedirectRow[] = [];
    const retiredPages: RetiredPage[] = [];
    const leaves: LeaveRow[] = [];
    const replaced: FileRow[] = [];
    const drafts: FileRow[] = [];
    const articles: ArticleRow[] = [];
    const parts: GuardedParts[] = [];
    const refs: { key: string; slug: string; images: readonly string[] }[] = [];
    const upserts: D1PreparedStatement[] = [];
    const keeps: EntryRow[] = [];
    const enters: EntryRow[] = [];
    const removals: [string, D1PreparedStatement][] = [];
    const scopes = new Set<string>();
    for (const change of changes) {
      const { key } = change;
      if (change.kind === "image") {
        rows.push(upsertImage(db, change.path, change.facts));
        continue;
      }
      if (change.kind === "registry") {
        registryGuards.push({ key, name: change.name, expect: change.expect });
        rows.push(upsertRegistry(db, change.name, change, key));
        continue;
      }
      if (change.kind === "restamp") {
        guards.push({ key, expect: change.expect, noDraft: change.expect.filter((e) => !e.draft).map((e) => e.file) });
        for (const e of change.expect) restamps.push({ key, file: e.file, shaping: change.shaping });
        continue;
      }
      if (change.kind === "delete-image") {
        imageGuards.push(guardImageUnused(db, key, change.path));
        removals.push([key, deleteImage(db, change.path, key)]);
        continue;
      }
      const now = change.now.getTime();
      const files = change.kind === "delete" ? [change.file] : change.replaces;
      const pub = change.kind === "delete" ? undefined : change.publication;
      guards.push({
        key,
        expect: change.expect,
        noDraft: change.expect.filter((e) => !e.draft).map((e) => e.file),
        ...(change.kind === "article" && pub
          ? { claims: { slug: pub.slug, id: pub.id, aliases: change.redirects.aliases, images: pub.images, own: files } }
          : {}),
      });
      if (change.kind !== "article") {
        for (const retired of change.retire) {
          retires.push({ key, id: retired.id, slug: retired.slug, now });
          retiredPages.push({ key, id: retired.id, page: retired.page });
        }
      } else redirects.push({ key, id: change.publication.id, ...change.redirects });
      for (const leave of change.lists.leave) leaves.push({ key, ...leave, now });
      for (const scope of [
        ...change.lists.leave.map((l) => l.scope),
        ...change.lists.keep.map((m) => m.scope),
        ...change.lists.enter.map((m) => m.scope),
      ]) {
        scopes.add(scope);
      }
      // The guard has checked the files hold what was read: where nothing was, there is nothing to remove.
      for (const e of change.expect) {
        if (e.version !== null) replaced.push({ key, file: e.file });
        if (e.draft) drafts.push({ key, file: e.file });
      }
      if (change.kind === "delete" || !pub) continue;
      if (change.kind === "draft") {
        upserts.push(upsertDraft(db, pub, key));
        continue;
      }
      const location = { slug: pub.slug, shard: shards.write, version: newVersion() };
      articles.push({ key, pub, shard: location.shard, version: location.version, shaping: change.shaping });
      if (location.shard === 0) parts.push({ pub, version: location.version, guardKey: key });
      else {
        plan.remote.set(key, location);
        plan.ahead.push({ location, statement: (target) => insertParts(target, pub, location.version, written) });
      }
      if (pub.images.length) refs.push({ key, slug: pub.slug, images: pub.images });
      const published = pub.published.getTime();
      for (const m of change.lists.keep) keeps.push({ key, slug: pub.slug, scope: m.scope, name: m.name, published, now });
      for (const m of change.lists.enter) enters.push({ key, slug: pub.slug, scope: m.scope, name: m.name, published, now });
    }
    const push = (...statements: D1PreparedStatement[]) => plan.statements.push(...statements);
    if (guards.length) push(guardChanges(db, guards));
    if (guards.some((g) => g.claims?.aliases.length)) push(guardAliases(db, guards));
    if (registryGuards.length) push(guardRegistries(db, registryGuards));
    push(...imageGuards, ...rows);
    if (restamps.length) push(restampArticles(db, restamps));
    if (retires.length) push(retireIds(db, retires));
    if (leaves.length) push(...leaveLists(db, leaves));
    if (replaced.length) {
      plan.elsewhere = plan.statements.length;
      push(partsElsewhere(db, replaced), removeImageRefs(db, replaced));
    }
    push(...removeFiles(db, replaced, drafts));
    if (articles.length) push(insertArticles(db, articles));
    push(...insertGuardedParts(db, parts, written));
    if (refs.length) push(insertImageRefs(db, refs));
    push(...upserts);
    push(...writeRedirects(db, redirects, retiredPages));
    if (keeps.length) push(keepLists(db, keeps));
    if (enters.length) push(...enterLists(db, enters));
    for (const [key, statement] of removals) {
      plan.removals.set(key, plan.statements.length);
      push(statement);
    }
    if (scopes.size) push(touchLists(db, [...scopes]));
    if (guards.length) push(...refreshFacets(db));
    push(takeGuard(db));
    return plan;
  }

  /** Deletes parts no reader can reach; a failure is logged and left to the scheduled sweep. */
  private async cleanUp(locations: readonly PartsLocation[]): Promise<void> {
    if (locations.length === 0) return;
    try {
      await deleteParts(this.shards, locations);
    } catch (error) {
      this.emit({
        event: "storage-fault",
        store: "d1",
        operation: "parts clean-up",
        message: `${describeError(error)}; ${locations.map((l) => `${l.slug}@${l.shard}/${l.version}`).join(", ")} left for the scheduled sweep`,
      });
    }
  }
}
