// `npm run check` reports partners.yaml problems with the articles' problems.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { main } from "../../src/node/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "edge-feeds-partners-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Stream = Parameters<typeof main>[1];

function capture() {
  let text = "";
  const write = (s: string): boolean => {
    text += s;
    return true;
  };
  return { stream: { write } as unknown as Stream, text: () => text };
}

it.each([
  ["acme:\n  name: Acme\n  origins: [https://acme.example]\n", 0, ""],
  [
    "acme:\n  name: Acme\n  origins: [https://acme.example/news]\n",
    1,
    'partners.yaml:1 [acme.origins.0]: "https://acme.example/news" is not an origin',
  ],
])("check with partners.yaml %j exits %i", async (yaml, code, message) => {
  cpSync(new URL("../../articles", import.meta.url).pathname, dir, { recursive: true });
  writeFileSync(join(dir, "partners.yaml"), yaml);
  const out = capture();
  const err = capture();
  expect(await main(["check", "--dir", dir], out.stream, err.stream as Parameters<typeof main>[2])).toBe(code);
  expect(err.text()).toContain(message);
});
