// How the publish client talks to the worker, over a fake fetch: batches and their answers, retries with back-off on
// 429, 5xx and network errors (Retry-After honoured, attempts bounded), a refused token stopping the run, a batch the
// worker keeps failing with 500 sent again file by file, the manifest's pages, and the pool that runs requests at once.
import { describe, expect, it } from "vitest";
import { BATCH_CONTROL } from "../../src/core/publishing.ts";
import { makeBatches } from "../../src/node/publish.ts";
import { CLIENT_LIMITS, isFailure, PublishApi, PublishClientError, retryDelay, runPool } from "../../src/node/publish-transport.ts";

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | Error;

/** A fetch that answers from a script, and remembers what it was asked. */
function scripted(replies: ((url: string, init: RequestInit) => Reply) | Reply[]) {
  const calls: { method: string; url: string; files: string[] }[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const files = init.body instanceof FormData ? [...init.body.keys()] : [];
    calls.push({ method: init.method ?? "GET", url, files });
    const reply = typeof replies === "function" ? replies(url, init) : (replies.shift() ?? new Error("no reply scripted"));
    if (reply instanceof Error) throw reply;
    return new Response(reply.body === undefined ? "" : JSON.stringify(reply.body), { status: reply.status, headers: reply.headers });
  };
  const waits: number[] = [];
  const api = new PublishApi({
    to: "http://worker.test/",
    token: "t",
    fetch: fetch as typeof globalThis.fetch,
    sleep: async (ms) => void waits.push(ms),
    random: () => 0.5,
  });
  return { api, calls, waits };
}

const file = (path: string) => ({ path, bytes: new TextEncoder().encode(`# ${path}`) });
const stored = (path: string, result = "created") => ({ path, status: 201, result });

describe("retryDelay", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    { attempt: 1, retryAfter: null, random: 0, expected: 250 },
    { attempt: 1, retryAfter: null, random: 0.999, expected: 500 },
    { attempt: 3, retryAfter: null, random: 0.5, expected: 1500 },
    { attempt: 10, retryAfter: null, random: 1, expected: CLIENT_LIMITS.maxDelayMs },
    { attempt: 10, retryAfter: null, random: 0, expected: CLIENT_LIMITS.maxDelayMs / 2 },
    { attempt: 1, retryAfter: "2", random: 0.5, expected: 2000 },
    { attempt: 4, retryAfter: "0", random: 0.5, expected: 0 },
    { attempt: 1, retryAfter: "Thu, 01 Jan 2026 00:00:05 GMT", random: 0.5, expected: 5000 },
    { attempt: 1, retryAfter: "Wed, 31 Dec 2025 23:00:00 GMT", random: 0.5, expected: 0 },
    { attempt: 1, retryAfter: "86400", random: 0.5, expected: CLIENT_LIMITS.maxRetryAfterMs },
    { attempt: 2, retryAfter: "soon", random: 0.5, expected: 750 },
  ])("attempt $attempt, Retry-After $retryAfter → $expected ms", ({ attempt, retryAfter, random, expected }) => {
    expect(retryDelay(attempt, retryAfter, random, now)).toBe(expected);
  });
});

describe("PublishApi", () => {
  it("sends a batch as multipart, one part per file named by its path, and maps each answer", async () => {
    const { api, calls } = scripted([
      { status: 200, body: { results: [stored("images/a.png"), { path: "a.md", status: 422, detail: "no" }] } },
    ]);
    const answers = await api.batch([file("images/a.png"), file("a.md")]);
    expect(calls).toEqual([{ method: "POST", url: "http://worker.test/api/batch", files: ["images/a.png", "a.md"] }]);
    expect(answers.map((a) => [a.path, a.status, a.attempts])).toEqual([
      ["images/a.png", 201, 1],
      ["a.md", 422, 1],
    ]);
  });

  it("retries 503 and 429 with back-off, honouring Retry-After, then takes the answer", async () => {
    const { api, calls, waits } = scripted([
      { status: 503, body: { detail: "D1 is busy" }, headers: { "Retry-After": "3" } },
      { status: 429, body: { detail: "slow down" } },
      new TypeError("fetch failed", { cause: new Error("ECONNRESET") }),
      { status: 200, body: { results: [stored("a.md")] } },
    ]);
    const [answer] = await api.batch([file("a.md")]);
    expect(calls).toHaveLength(4);
    // Retry-After first; then 500 ms × 2^(attempt-1), times the jitter (0.75 here).
    expect(waits).toEqual([3000, 750, 1500]);
    expect(answer).toMatchObject({ path: "a.md", status: 201, attempts: 4 });
  });

  it("gives up after its attempts and reports the files as not sent, with the last reason", async () => {
    const { api, calls, waits } = scripted(() => ({ status: 503, body: { detail: "unavailable" }, headers: { "Retry-After": "1" } }));
    const answers = await api.batch([file("a.md"), file("b.md")]);
    expect(calls).toHaveLength(CLIENT_LIMITS.attempts);
    expect(waits).toEqual(Array(CLIENT_LIMITS.attempts - 1).fill(1000));
    expect(answers.every(isFailure)).toBe(true);
    expect(answers.map((a) => (isFailure(a) ? a.failure : ""))).toEqual(
      Array(2).fill(`503 unavailable (after ${CLIENT_LIMITS.attempts} attempts)`),
    );
  });

  it("sends a batch the worker keeps failing with 500 again file by file, so the other files still go", async () => {
    const { api, calls } = scripted((_url, init) => {
      const names = [...(init.body as FormData).keys()];
      if (names.includes("bad.md")) return { status: 500, body: { detail: "SQLITE_TOOBIG" } };
      return { status: 200, body: { results: names.map((n) => stored(n)) } };
    });
    const answers = await api.batch([file("a.md"), file("bad.md"), file("c.md")]);
    expect(answers.map((a) => [a.path, isFailure(a) ? a.failure : a.status])).toEqual([
      ["a.md", 201],
      ["bad.md", `500 SQLITE_TOOBIG (after ${CLIENT_LIMITS.attempts} attempts)`],
      ["c.md", 201],
    ]);
    expect(calls.filter((c) => c.files.length === 1).map((c) => c.files[0])).toEqual([
      "a.md",
      ...Array(CLIENT_LIMITS.attempts).fill("bad.md"),
      "c.md",
    ]);
  });

  it("does not retry a refusal, and stops the run on a refused token", async () => {
    const refused = scripted([{ status: 413, body: { detail: "too large" } }]);
    expect((await refused.api.batch([file("a.md")]))[0]).toMatchObject({ status: 413, attempts: 1 });
    const wrong = scripted([{ status: 403, body: { detail: "no" } }]);
    await expect(wrong.api.batch([file("a.md")])).rejects.toThrow(PublishClientError);
    await expect(scripted([{ status: 401 }]).api.batch([], CLIENT_LIMITS.timeoutMs, [{ path: "a.md" }])).rejects.toThrow(
      /refused the token \(401\)/,
    );
  });

  it("says in the batch's control part what each file was based on, which file a rename replaces, and what to delete", async () => {
    let control: unknown;
    const { api, calls } = scripted((_url, init) => {
      const form = init.body as FormData;
      control = JSON.parse(String(form.get(BATCH_CONTROL)));
      return {
        status: 200,
        body: { results: [stored("2026/b.md"), stored("new.md"), { path: "old.md", status: 200, result: "deleted" }] },
      };
    });
    const answers = await api.batch(
      [
        { ...file("2026/b.md"), based: null, replaces: { path: "2025/b.md", based: "h1" } },
        { ...file("new.md"), based: null },
      ],
      CLIENT_LIMITS.timeoutMs,
      [{ path: "old.md", based: "h2" }],
    );
    expect(calls.map((c) => c.files)).toEqual([["2026/b.md", "new.md", BATCH_CONTROL]]);
    expect(control).toEqual({
      "if-match": { "2025/b.md": '"h1"', "old.md": '"h2"' },
      "if-none-match": { "2026/b.md": "*", "new.md": "*" },
      replaces: { "2026/b.md": "2025/b.md" },
      delete: ["old.md"],
    });
    expect(answers.map((a) => [a.path, a.status])).toEqual([
      ["2026/b.md", 201],
      ["new.md", 201],
      ["old.md", 200],
    ]);
  });

  it("reads the manifest page after page, retrying a page that fails", async () => {
    const { api, calls } = scripted([
      { status: 200, body: { entries: [{ path: "a.md", kind: "article", hash: "1" }], next: "a.md" } },
      { status: 502 },
      { status: 200, body: { entries: [{ path: "b.md", kind: "article", hash: "2" }], next: null } },
    ]);
    expect((await api.manifest()).map((e) => e.path)).toEqual(["a.md", "b.md"]);
    expect(calls.map((c) => new URL(c.url).searchParams.get("after"))).toEqual(["", "a.md", "a.md"]);
  });

  it("says the worker cannot be reached once every attempt failed", async () => {
    const { api } = scripted(() => new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") }));
    await expect(api.manifest()).rejects.toThrow(
      /^http:\/\/worker\.test\/api\/manifest: cannot reach http:\/\/worker\.test \(connect ECONNREFUSED 127\.0\.0\.1:9\); is the worker running\? \(after 5 attempts\)$/,
    );
  });
});

describe("makeBatches", () => {
  const MiB = 1024 * 1024;
  it.each([
    { name: "none", sizes: [], expected: [] },
    { name: "a few small files", sizes: [10, 20, 30], expected: [3] },
    { name: "more files than a batch holds", sizes: Array(450).fill(100), expected: [200, 200, 50] },
    { name: "bytes fill a batch first", sizes: [3 * MiB, 3 * MiB, 3 * MiB, 1], expected: [2, 2] },
    { name: "an image larger than a batch's bytes goes alone", sizes: [1, 10 * MiB, 1], expected: [1, 1, 1] },
  ])("$name", ({ sizes, expected }) => {
    const batches = makeBatches(sizes.map((size, i) => ({ size, i })));
    expect(batches.map((b) => b.length)).toEqual(expected);
    expect(batches.flat().map((x) => x.i)).toEqual(sizes.map((_, i) => i));
  });
});

describe("runPool", () => {
  it("runs at most N at once, every item once", async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await runPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      done.push(n);
      running--;
    });
    expect(most).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("stops starting work after a failure and throws it", async () => {
    const started: number[] = [];
    await expect(
      runPool([1, 2, 3, 4], 1, async (n) => {
        started.push(n);
        if (n === 2) throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(started).toEqual([1, 2]);
  });
});
