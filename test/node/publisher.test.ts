// The publish use case's own rules over the memory store, in milliseconds: groups (a batch read, checked and written
// a group at a time, with the answers of one file at a time), the store's limits, a file changed underneath a write,
// and how many reads and writes a publish costs.
import { describe, expect, it } from "vitest";
import { hashSource } from "../../src/core/publish/publication.ts";
import type { ChangeAnswer, PublishStore, StoreChange, StoreQuery } from "../../src/core/publish/store.ts";
import { PreconditionFailedError, PublishConflictError, PublishRejectedError } from "../../src/core/publishing.ts";
import { createMemoryStore } from "../../src/store/memory/store.ts";
import { publisherOver } from "../support/publish-tree.ts";
import { memoryLists, STORE_SITE, story, T0 } from "../support/store-contract.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const NOW = new Date(T0 + 100 * 3_600_000);

/** A store that counts its calls and lets a test change what a write answers. */
function watched(store: PublishStore, answer?: (change: StoreChange, real: () => Promise<ChangeAnswer>) => Promise<ChangeAnswer>) {
  const calls: string[] = [];
  const wrapped: PublishStore = {
    limits: store.limits,
    objects: store.objects,
    manifest: (after, limit, shaping) => store.manifest(after, limit, shaping),
    async read(query: StoreQuery) {
      calls.push(`read ${Object.keys(query).sort().join(",")}`);
      return store.read(query);
    },
    async write(changes) {
      calls.push(`write ${changes.length}`);
      if (!answer) return store.write(changes);
      const answers: ChangeAnswer[] = [];
      for (const change of changes) answers.push(await answer(change, async () => (await store.write([change]))[0]!));
      return answers;
    },
  };
  return { store: wrapped, calls };
}

describe("publishing in groups", () => {
  const files = Array.from({ length: 10 }, (_, i) => ({ file: `2026/s${i}.md`, bytes: bytes(story(`s${i}`, i)) }));

  it("reads, checks claims and writes a group in three calls to the store, whatever its size and its images", async () => {
    const { store, calls } = watched(createMemoryStore());
    const results = await publisherOver(store, STORE_SITE).putArticles(files, NOW);
    expect(results.every((r) => "outcome" in r && r.outcome.result === "created")).toBe(true);
    expect(calls).toEqual(["read files,images,registries", "read claims", "write 10"]);
    // An article naming a local image: its facts are read with the rest (the images the texts name).
    const { store: other, calls: more } = watched(createMemoryStore());
    const image = Uint8Array.from(
      atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"),
      (c) => c.charCodeAt(0),
    );
    await publisherOver(other, STORE_SITE).putImage("images/p.png", image, NOW);
    more.length = 0;
    const withImage = `---\ntitle: I\ndate: "2026-01-02T00:00:00Z"\nimage: /images/p.png\n---\nx\n`;
    await publisherOver(other, STORE_SITE).putArticles([...files, { file: "2026/i.md", bytes: bytes(withImage) }], NOW);
    expect(more).toEqual(["read files,images,registries", "read claims", "write 11"]);
    // A path the guess reads wrong (a space in it): the article is parsed again with that image's facts, read then.
    await publisherOver(other, STORE_SITE).putImage("images/x y.png", image, NOW);
    more.length = 0;
    const spaced = `---\ntitle: S\ndate: "2026-01-02T00:00:00Z"\nimage: "/images/x y.png"\n---\nx\n`;
    const [result] = await publisherOver(other, STORE_SITE).putArticles([{ file: "2026/s.md", bytes: bytes(spaced) }], NOW);
    expect(result).toMatchObject({ outcome: { result: "created" } });
    expect(more).toEqual(["read files,images,registries", "read images", "read claims", "write 1"]);
  });

  it("stores a batch exactly as one file at a time would, whatever the group size", async () => {
    const batch = [
      ...files.slice(0, 5),
      // The same file twice: the second is read after the first is written.
      { file: "2026/s1.md", bytes: bytes(story("s1", 1, "News", ["Oil"], "S1 again")) },
      // A slug another file of the batch claims first: refused, naming it, as check would.
      { file: "2026/other/s2.md", bytes: bytes(story("s2", 7)) },
      // A rename of a file of the batch.
      { file: "2026/renamed/s3.md", bytes: bytes(story("s3", 3)), replaces: "2026/s3.md" },
      ...files.slice(5),
    ];
    const one = createMemoryStore();
    const single = [];
    for (const upload of batch) {
      const [result] = await publisherOver(one, STORE_SITE).putArticles([upload], NOW);
      single.push(result);
    }
    for (const group of [
      { articles: 50, bytes: 4e6 },
      { articles: 3, bytes: 4e6 },
      { articles: 50, bytes: 1000 },
    ]) {
      const many = createMemoryStore();
      const together = await publisherOver(many, STORE_SITE, group).putArticles(batch, NOW);
      expect(together, JSON.stringify(group)).toEqual(single);
      expect(await memoryLists(many)()).toEqual(await memoryLists(one)());
      expect(await many.manifest("", 100, "")).toEqual(await one.manifest("", 100, ""));
    }
    const refused = single[6]!;
    expect("error" in refused && refused.error).toBeInstanceOf(PublishRejectedError);
    expect("error" in refused && refused.error.message).toContain("2026/other/s2.md");
    expect(single[5]).toMatchObject({ outcome: { result: "updated" } });
  });
});

describe("the store's limits", () => {
  it("refuses a file one of whose stored parts is over the store's limit, naming the file and the part, storing nothing", async () => {
    const store = createMemoryStore({ limits: { valueBytes: 3000 } });
    const publisher = publisherOver(store, STORE_SITE);
    await publisher.putArticle("small.md", bytes(story("small", 1)), { now: NOW });
    const long = `---\ntitle: Long\ndate: "2026-01-02T00:00:00Z"\n---\n${"A long sentence of the body. ".repeat(150)}\n`;
    const error = await publisher.putArticle("long.md", bytes(long), { now: NOW }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishRejectedError);
    const { issues } = error as PublishRejectedError;
    expect(issues).toEqual([
      expect.objectContaining({
        file: "long.md",
        found: expect.stringMatching(/^its stored (source|record|article|rss|atom|json): [0-9.]+ KiB \([0-9,]+ bytes\)$/),
      }),
    ]);
    expect([...store.tables.articles.keys()]).toEqual(["small"]);
  });

  it("refuses the file whose value the store found too big on writing (D1's SQLITE_TOOBIG), and stores the others", async () => {
    const { store } = watched(createMemoryStore(), async (change, real) =>
      change.key === "big.md" ? { key: change.key, ok: false, tooBig: true } : real(),
    );
    const results = await publisherOver(store, STORE_SITE).putArticles(
      [
        { file: "big.md", bytes: bytes(story("big", 1)) },
        { file: "fine.md", bytes: bytes(story("fine", 2)) },
      ],
      NOW,
    );
    expect(results.map((r) => ("error" in r ? r.error.code : r.outcome.result))).toEqual(["content-rejected", "created"]);
  });
});

describe("a file changed underneath a write", () => {
  it("is read and written again, a few times at most, then refused as a conflict", async () => {
    for (const [stale, expected] of [
      [1, "created"],
      [3, "created"],
      [4, "conflict"],
    ] as const) {
      let left: number = stale;
      const { store, calls } = watched(createMemoryStore(), async (change, real) =>
        left-- > 0 ? { key: change.key, ok: false, conflicts: [{ field: "stale", file: change.key }] } : real(),
      );
      const outcome = await publisherOver(store, STORE_SITE)
        .putArticle("a.md", bytes(story("a", 1)), { now: NOW })
        .then(
          (o) => o.result as string,
          (e: unknown) => (e instanceof PublishConflictError ? "conflict" : String(e)),
        );
      expect(outcome, `${stale} stale answers`).toBe(expected);
      expect(calls.filter((c) => c.startsWith("write"))).toHaveLength(Math.min(stale + 1, 4));
    }
  });
});

describe("a change based on a version another publish replaced between the read and the write", () => {
  // The other publish lands after this one read the file and before it writes: only the write's own check (the
  // version read) sees it; the file is read again, and its base no longer met, the change is refused, nothing changed.
  async function racing(kind: "put" | "delete" | "registry") {
    const memory = createMemoryStore();
    const path = kind === "registry" ? "authors.yaml" : "a.md";
    const first = kind === "registry" ? "sara:\n  name: Sara\n" : story("a", 1);
    const theirs = kind === "registry" ? "sara:\n  name: Sara Ahmadi\n" : story("a", 1, "News", ["Oil"], "Their edit");
    const mine = kind === "registry" ? "sara:\n  name: S. Ahmadi\n" : story("a", 1, "News", ["Oil"], "My edit");
    const publisher = publisherOver(memory, STORE_SITE);
    if (kind === "registry") await publisher.putRegistry("authors.yaml", bytes(first), NOW);
    else await publisher.putArticle(path, bytes(first), { now: NOW });
    const base = { match: [hashSource(first)] };
    let raced = false;
    const { store } = watched(memory, async (_change, real) => {
      if (!raced) {
        raced = true;
        if (kind === "registry") await publisher.putRegistry("authors.yaml", bytes(theirs), NOW);
        else await publisher.putArticle(path, bytes(theirs), { now: NOW });
      }
      return real();
    });
    const racer = publisherOver(store, STORE_SITE);
    const attempt =
      kind === "put"
        ? racer.putArticle(path, bytes(mine), { now: NOW, base })
        : kind === "delete"
          ? racer.deleteArticle(path, NOW, base)
          : racer.putRegistry("authors.yaml", bytes(mine), NOW, base);
    await expect(attempt).rejects.toThrow(PreconditionFailedError);
    const held = kind === "registry" ? memory.tables.registries.get("authors.yaml")?.sourceHash : memory.tables.articleOf(path)?.sourceHash;
    expect(held).toBe(hashSource(theirs));
  }

  it.each(["put", "delete", "registry"] as const)("%s", racing);
});
