// The publish API's small rules, table-driven: content paths, the token setting, the token comparison, and
// how the client and the start script read .dev.vars and wrangler's arguments.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { timingSafeEqual } from "hono/utils/buffer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { checkContentPath } from "../../src/core/publishing.ts";
import { parsePublishToken } from "../../src/core/settings.ts";
import { readDevVar, readPublishToken } from "../../src/node/publish.ts";
import { ensureDevToken, partsBindings, readDevArgs } from "../../src/node/start.ts";

describe("checkContentPath", () => {
  it.each([
    ["article", "a.md", undefined],
    ["article", "2025/05/baku-visit.MD", undefined],
    ["article", "notes.txt", "a path ending in .md"],
    ["article", "images/x.md", "an article path outside images/"],
    ["article", ".draft.md", "a relative path whose segments are not empty and do not start with `.`"],
    ["article", "a/../b.md", "a relative path whose segments are not empty and do not start with `.`"],
    ["article", "/a.md", "a relative path whose segments are not empty and do not start with `.`"],
    ["article", "a//b.md", "a relative path whose segments are not empty and do not start with `.`"],
    ["article", "a\\b.md", "a path without control characters or backslashes"],
    ["article", "a\nb.md", "a path without control characters or backslashes"],
    ["article", `${"a".repeat(510)}.md`, "a path of 1 to 512 characters"],
    ["article", "", "a path of 1 to 512 characters"],
    ["image", "images/x.jpg", undefined],
    ["image", "images/2025/x y.jpg", undefined],
    ["image", "images", "a path under images/"],
    ["image", "x.jpg", "a path under images/"],
    ["image", "images/.x.jpg", "a relative path whose segments are not empty and do not start with `.`"],
  ] as const)("%s %j → %s", (kind, path, expected) => {
    expect(checkContentPath(kind, path)).toBe(expected);
  });
});

describe("parsePublishToken", () => {
  it.each([
    [{}, undefined],
    [{ PUBLISH_TOKEN: "" }, undefined],
    [{ PUBLISH_TOKEN: "   " }, undefined],
    [{ PUBLISH_TOKEN: "t".repeat(32) }, "t".repeat(32)],
    [{ PUBLISH_TOKEN: ` ${"t".repeat(40)}\n` }, "t".repeat(40)],
  ])("%j → %s", (input, expected) => {
    expect(parsePublishToken(input)).toBe(expected);
  });

  it("refuses a token shorter than 32 characters, naming the setting", () => {
    expect(() => parsePublishToken({ PUBLISH_TOKEN: "t".repeat(31) })).toThrow(ConfigError);
    expect(() => parsePublishToken({ PUBLISH_TOKEN: "short" })).toThrow(/PUBLISH_TOKEN: must be at least 32 characters/);
  });

  it.each([
    [`${"t".repeat(31)}!`, false],
    [`${"t".repeat(16)} ${"t".repeat(16)}`, false],
    [`${"t".repeat(30)}=x`, false],
    [`${"t".repeat(30)}é${"t".repeat(2)}`, false],
    [`aZ09-._~+/${"t".repeat(22)}==`, true],
    ["openssl-base64-like/+AbCdEfGhIjKlMnOpQrStUv=", true],
  ])("a token must be one a client can send as Bearer (token68): %j → %s", (token, ok) => {
    if (ok) expect(parsePublishToken({ PUBLISH_TOKEN: token })).toBe(token);
    else expect(() => parsePublishToken({ PUBLISH_TOKEN: token })).toThrow(/PUBLISH_TOKEN: must be letters, digits/);
  });
});

// The publish API compares tokens with hono/bearer-auth, and the preview with the same function: both sides hashed with
// SHA-256, then digests and strings compared without an early exit. These are the answers the routes rely on.
describe("the token comparison (hono's timingSafeEqual)", () => {
  it.each([
    ["abc", "abc", true],
    ["abc", "abd", false],
    ["abc", "ab", false],
    ["", "", true],
    ["é", "e", false],
  ])("%j vs %j → %s", async (a, b, expected) => {
    expect(await timingSafeEqual(a, b)).toBe(expected);
  });
});

describe(".dev.vars", () => {
  it.each([
    ["PUBLISH_TOKEN=abc", "abc"],
    ['PUBLISH_TOKEN="abc def"', "abc def"],
    ["PUBLISH_TOKEN='abc'", "abc"],
    ["export PUBLISH_TOKEN=abc", "abc"],
    ["  PUBLISH_TOKEN = abc  ", "abc"],
    ["# PUBLISH_TOKEN=abc", undefined],
    ["PREVIEW_TOKEN=x\nPUBLISH_TOKEN=y\r\n", "y"],
    ["PUBLISH_TOKEN=", undefined],
    ["PUBLISH_TOKENX=abc", undefined],
  ])("%j → %s", (text, expected) => {
    expect(readDevVar(text, "PUBLISH_TOKEN")).toBe(expected);
  });

  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edge-feeds-devvars-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("the client prefers PUBLISH_TOKEN from the environment, else reads the file", async () => {
    const path = join(dir, "client.vars");
    await writeFile(path, "PUBLISH_TOKEN=from-file\n");
    expect(await readPublishToken({ PUBLISH_TOKEN: "from-env" }, path)).toBe("from-env");
    expect(await readPublishToken({}, path)).toBe("from-file");
    expect(await readPublishToken({}, join(dir, "missing.vars"))).toBeUndefined();
  });

  it("the start script creates the file with a random token, adds one to a file without, and keeps an existing one", async () => {
    const logs: string[] = [];
    const fresh = join(dir, "fresh.vars");
    const token = await ensureDevToken(fresh, (l) => logs.push(l));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readDevVar(await readFile(fresh, "utf8"), "PUBLISH_TOKEN")).toBe(token);
    expect(await ensureDevToken(fresh, (l) => logs.push(l))).toBe(token);
    expect(await ensureDevToken(join(dir, "other.vars"), () => {})).not.toBe(token);

    const partial = join(dir, "partial.vars");
    await writeFile(partial, "PREVIEW_TOKEN=keep-me-please-1234");
    const added = await ensureDevToken(partial, (l) => logs.push(l));
    expect(await readFile(partial, "utf8")).toBe(`PREVIEW_TOKEN=keep-me-please-1234\nPUBLISH_TOKEN=${added}\n`);
    expect(logs).toEqual([`created ${fresh} with a new PUBLISH_TOKEN`, `added a new PUBLISH_TOKEN to ${partial}`]);
  });
});

describe("readDevArgs (what `npm start -- …` passes to wrangler dev)", () => {
  it.each([
    [[], { port: 8787, url: "http://127.0.0.1:8787", config: "wrangler.toml" }],
    [["--port", "8851"], { port: 8851, url: "http://127.0.0.1:8851" }],
    [["--port=8852", "--ip", "0.0.0.0"], { port: 8852, url: "http://127.0.0.1:8852", ip: "0.0.0.0" }],
    [["--ip=::1", "--port", "8853"], { url: "http://[::1]:8853" }],
    [["-c", "other.toml", "--persist-to", "/tmp/s", "-e", "staging"], { config: "other.toml", persistTo: "/tmp/s", env: "staging" }],
    [["--config=x.toml", "--env=prod"], { config: "x.toml", env: "prod" }],
  ])("%j", (args, expected) => {
    expect(readDevArgs(args)).toMatchObject(expected);
  });
});

describe("partsBindings (the parts databases `npm start` migrates)", () => {
  const toml = `
[[d1_databases]]
binding = "DB"
[[d1_databases]]
binding = "PARTS_1"
[[d1_databases]]
binding = "PARTS_X"
[[d1_databases]]
binding = "PARTS_0"
[[env.staging.d1_databases]]
binding = "PARTS_2"
[[env.staging.d1_databases]]
binding = "PARTS_12"
`;
  it.each([
    [undefined, ["PARTS_1"]],
    ["staging", ["PARTS_2", "PARTS_12"]],
    ["production", []],
  ])("env %s: %j", (env, expected) => {
    expect(partsBindings(toml, env)).toEqual(expected);
  });

  it("finds none in the project's own wrangler.toml, whose parts database is a commented example", async () => {
    const own = await readFile(join(import.meta.dirname, "../../wrangler.toml"), "utf8");
    expect(partsBindings(own)).toEqual([]);
    expect(partsBindings(own, "production")).toEqual([]);
  });
});
