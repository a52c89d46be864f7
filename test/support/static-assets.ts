// Workers Static Assets in front of the app, for Node-side tests (app.request, the browser tests' Node server): a path
// that names a file of the built public/ folder is answered from it with the headers of its _headers file, as Cloudflare
// does before invoking the worker; anything else goes to the app. (Inside workerd and under wrangler dev the real asset
// server answers: test/worker/assets.test.ts, test/node/start-script.test.ts.)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PUBLIC_DIR } from "../../src/node/build-assets.ts";

const TYPES: Record<string, string> = { css: "text/css; charset=utf-8", js: "text/javascript; charset=utf-8" };

/** The rules of a _headers file: a path pattern (exact, or ending in `*`) and its headers. */
function parseHeaders(text: string): { pattern: string; headers: [string, string][] }[] {
  const rules: { pattern: string; headers: [string, string][] }[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    if (!line.startsWith(" ")) rules.push({ pattern: line.trim(), headers: [] });
    else {
      const colon = line.indexOf(":");
      rules.at(-1)!.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    }
  }
  return rules;
}

const matches = (pattern: string, path: string) => (pattern.endsWith("*") ? path.startsWith(pattern.slice(0, -1)) : path === pattern);

/** A fetch that answers from the built assets first, then from `next` (the app). */
export function withAssets(next: (request: Request) => Response | Promise<Response>, dir = PUBLIC_DIR) {
  const rules = parseHeaders(readFileSync(join(dir, "_headers"), "utf8"));
  return async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    const extension = /\.(css|js)$/.exec(path)?.[1];
    if ((request.method === "GET" || request.method === "HEAD") && extension && !path.includes("..")) {
      let bytes: Buffer | undefined;
      try {
        bytes = readFileSync(join(dir, path));
      } catch {
        bytes = undefined;
      }
      if (bytes) {
        const headers = new Headers({ "Content-Type": TYPES[extension]! });
        for (const rule of rules) if (matches(rule.pattern, path)) for (const [name, value] of rule.headers) headers.set(name, value);
        return new Response(request.method === "HEAD" ? null : new Uint8Array(bytes), { status: 200, headers });
      }
    }
    return next(request);
  };
}
