// Compression under Node: gzip or Brotli as the client asks, the same headers for HEAD and 304, weak ETags for
// compressed bodies, and the real @hono/node-server path.

import { once } from "node:events";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { serve } from "@hono/node-server";
import { describe, expect, it } from "vitest";
import { chooseEncoding, compressResponse, withCompression } from "../../src/node/compress.ts";
import { appOver } from "../support/app.ts";
import { NOW, newsroom, testSite } from "../support/http-fixtures.ts";

describe("chooseEncoding", () => {
  it.each([
    { header: undefined, expected: undefined },
    { header: "", expected: undefined },
    { header: "identity", expected: undefined },
    { header: "gzip", expected: "gzip" },
    { header: "gzip, deflate, br", expected: "br" },
    { header: "br;q=0.5, gzip", expected: "gzip" },
    { header: "br;q=0, gzip;q=0", expected: undefined },
    { header: "*", expected: "br" },
    { header: "*;q=0.1, gzip;q=0.5", expected: "gzip" },
    { header: "br;q=0, *", expected: "gzip" },
    { header: "GZIP", expected: "gzip" },
  ])("$header → $expected", ({ header, expected }) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});

const app = appOver({ source: newsroom(), site: testSite(), now: () => NOW, log: () => {} });
const fetchNode = async (path: string, headers: Record<string, string> = {}, method = "GET") => {
  const request = new Request(`http://localhost${path}`, { method, headers });
  return compressResponse(request, await app.fetch(request));
};

describe("compressResponse", () => {
  it.each([
    { encoding: "gzip", decode: gunzipSync },
    { encoding: "br", decode: brotliDecompressSync },
  ])("$encoding: same bytes once decoded, weak ETag, Vary", async ({ encoding, decode }) => {
    const plain = await fetchNode("/rss.xml");
    const text = await plain.text();
    const res = await fetchNode("/rss.xml", { "Accept-Encoding": encoding });
    expect(res.headers.get("content-encoding")).toBe(encoding);
    expect(res.headers.get("vary")).toBe("Accept-Encoding, Sec-Fetch-Dest"); // the second from src/http/browser-feeds.ts
    expect(res.headers.get("etag")).toBe(`W/${plain.headers.get("etag")}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get("content-length"))).toBe(bytes.length);
    expect(bytes.length).toBeLessThan(Buffer.byteLength(text));
    expect(decode(bytes).toString("utf8")).toBe(text);

    // The weak tag it sent validates the next request.
    const again = await fetchNode("/rss.xml", { "Accept-Encoding": encoding, "If-None-Match": res.headers.get("etag")! });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(res.headers.get("etag"));
    const head = await fetchNode("/rss.xml", { "Accept-Encoding": encoding }, "HEAD");
    expect(head.headers.get("content-encoding")).toBe(encoding);
    expect(await head.text()).toBe("");
  });

  it("leaves the body alone without Accept-Encoding, and for images", async () => {
    const res = await fetchNode("/atom.xml");
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(res.headers.get("etag")).toMatch(/^"/);
    const problem = await fetchNode("/nope", { "Accept-Encoding": "gzip" });
    expect(problem.headers.get("content-encoding")).toBe("gzip");
    expect(problem.headers.get("vary")).toBe("Accept, Accept-Encoding");
  });
});

describe("the Node server", () => {
  it("sends compressed feeds over HTTP", async () => {
    const server = serve({ fetch: withCompression((request) => app.fetch(request)), port: 0, hostname: "127.0.0.1" });
    try {
      if (!server.listening) await once(server, "listening");
      const port = (server.address() as AddressInfo).port;
      const { headers, body } = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port, path: "/feed.json", headers: { "Accept-Encoding": "br" } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on("error", reject);
        req.end();
      });
      expect(headers["content-encoding"]).toBe("br");
      expect(JSON.parse(brotliDecompressSync(body).toString("utf8")).version).toBe("https://jsonfeed.org/version/1.1");
    } finally {
      server.close();
    }
  });
});
