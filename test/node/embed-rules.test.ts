// Partner embed rules over HTTP: the CORS preflight of /headlines.json follows the GET's origin rule, and the iframe
// page's heading is the site's unless a partner key allows a short, cleaned `title` and the browser frames the page.
import { describe, expect, it } from "vitest";
import { decideHeadlinesCors, HEADLINE_TITLE_MAX, headlineTitle, isFramed } from "../../src/http/embed-rules.ts";
import { appOver } from "../support/app.ts";
import { fixtureSite, fixtureSource, NOW } from "../support/embed-fixture.ts";

const PARTNER = "https://partner.example";
const app = appOver({ source: fixtureSource([PARTNER]), site: fixtureSite(), now: () => NOW, log: () => {} });

const preflight = (query: string, origin?: string) =>
  app.request(`/headlines.json${query}`, {
    method: "OPTIONS",
    headers: { ...(origin ? { Origin: origin } : {}), "Access-Control-Request-Method": "GET" },
  });
const get = (query: string, origin?: string) => app.request(`/headlines.json${query}`, { headers: origin ? { Origin: origin } : {} });

describe("CORS preflight of /headlines.json", () => {
  it.each<{ case: string; query: string; origin?: string; status: number; allowOrigin: string | null }>([
    { case: "no key: any origin, as *", query: "", origin: "https://anyone.example", status: 204, allowOrigin: "*" },
    { case: "no key, no Origin", query: "", status: 204, allowOrigin: "*" },
    { case: "a partner's listed origin is echoed", query: "?key=acme", origin: PARTNER, status: 204, allowOrigin: PARTNER },
    { case: "an unlisted origin is refused", query: "?key=acme", origin: "https://evil.example", status: 403, allowOrigin: null },
    { case: "a look-alike origin is refused", query: "?key=acme", origin: `${PARTNER}.evil.example`, status: 403, allowOrigin: null },
    { case: "the origin with a path is refused", query: "?key=acme", origin: `${PARTNER}/`, status: 403, allowOrigin: null },
    { case: "the opaque origin null is refused", query: "?key=acme", origin: "null", status: 403, allowOrigin: null },
    { case: "an unknown key is refused", query: "?key=nope", origin: PARTNER, status: 403, allowOrigin: null },
  ])("$case", async ({ query, origin, status, allowOrigin }) => {
    const res = await preflight(query, origin);
    expect(res.status).toBe(status);
    expect(res.headers.get("access-control-allow-origin")).toBe(allowOrigin);
    expect(res.headers.get("vary")).toContain("Origin");
    if (status === 204) expect(res.headers.get("access-control-allow-methods")).toBe("GET, HEAD, OPTIONS");
    else expect(res.headers.get("access-control-allow-methods")).toBeNull();
  });

  it.each([
    ["", "https://anyone.example"],
    ["?key=acme", PARTNER],
    ["?key=acme", "https://evil.example"],
    ["?key=acme", "null"],
    ["?key=nope", PARTNER],
  ])("grants %s from %s exactly what the GET grants", async (query, origin) => {
    const [pre, real] = await Promise.all([preflight(query, origin), get(query, origin)]);
    const granted = (res: Response) => res.status < 400 && res.headers.get("access-control-allow-origin") !== null;
    expect(granted(pre)).toBe(granted(real));
    if (granted(pre)) expect(pre.headers.get("access-control-allow-origin")).toBe(real.headers.get("access-control-allow-origin"));
  });
});

describe("decideHeadlinesCors", () => {
  it.each([
    { origins: ["*"], origin: "https://a.example", expected: { allowed: true, headers: { "Access-Control-Allow-Origin": "*" } } },
    { origins: [PARTNER], origin: undefined, expected: { allowed: true, headers: { Vary: "Origin" } } },
    {
      origins: [PARTNER],
      origin: PARTNER,
      expected: { allowed: true, headers: { "Access-Control-Allow-Origin": PARTNER, Vary: "Origin" } },
    },
    { origins: [PARTNER], origin: "HTTPS://PARTNER.EXAMPLE", expected: { allowed: false } },
    { origins: [PARTNER], origin: "", expected: { allowed: false } },
  ])("$origins from $origin", ({ origins, origin, expected }) => {
    expect(decideHeadlinesCors(origins, origin)).toEqual(expected);
  });
});

describe("the iframe page's heading", () => {
  const heading = async (query: string, dest: string | null = "iframe") => {
    const res = await app.request(`/embed/headlines${query}`, { headers: dest ? { "Sec-Fetch-Dest": dest } : {} });
    expect(res.status).toBe(200);
    expect(res.headers.get("Vary")).toContain("Sec-Fetch-Dest");
    const body = await res.text();
    return { title: /<title>([^<]*)<\/title>/.exec(body)![1], h2: /<h2 id="edge-h">([^<]*)<\/h2>/.exec(body)![1], body };
  };

  it("ignores ?title= without a partner key: the site's heading stays", async () => {
    const plain = await heading("");
    const spoof = await heading(`?title=${encodeURIComponent("Official statement: we have been acquired")}`);
    expect(spoof.title).toBe(plain.title);
    expect(spoof.h2).toBe(plain.h2);
    expect(spoof.body).not.toContain("acquired");
  });

  it("ignores 20 KB of ?title= without a key", async () => {
    const { body } = await heading(`?title=${"A".repeat(20_000)}`);
    expect(body).not.toContain("AAAA");
  });

  it("takes ?title= with a valid key, capped and cleaned", async () => {
    const { title, h2 } = await heading(`?key=acme&title=${encodeURIComponent("  Acme\u0000 picks\u202e\t\n from   the Region  ")}`);
    expect(title).toBe("Acme picks from the Region");
    expect(h2).toBe(title);
    const long = await heading(`?key=acme&title=${"B".repeat(20_000)}`);
    expect(long.h2).toBe("B".repeat(HEADLINE_TITLE_MAX));
  });

  it.each([
    ["opened directly in a tab", "document"],
    ["fetched by a script", "empty"],
    ["asked for without Fetch Metadata (curl, an old browser)", null],
  ])("ignores ?title= with a valid key when the page is not framed: %s", async (_how, dest) => {
    const plain = await heading("?key=acme", dest);
    const spoof = await heading(`?key=acme&title=${encodeURIComponent("Official statement: we have been acquired")}`, dest);
    expect(spoof.h2).toBe(plain.h2);
    expect(spoof.title).toBe(plain.title);
    expect(spoof.body).not.toContain("acquired");
    // Framed, the same request shows the partner's heading.
    expect((await heading(`?key=acme&title=${encodeURIComponent("Acme picks")}`, "iframe")).h2).toBe("Acme picks");
    expect((await heading(`?key=acme&title=${encodeURIComponent("Acme picks")}`, "frame")).h2).toBe("Acme picks");
  });

  it("still escapes a partner's title", async () => {
    const { body } = await heading(`?key=acme&title=${encodeURIComponent("<img src=x onerror=alert(1)>")}`);
    expect(body).not.toContain("<img src=x");
    expect(body).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});

describe("headlineTitle (framed)", () => {
  const partner = { partner: { key: "acme" } } as Parameters<typeof headlineTitle>[1];
  it.each([
    { raw: undefined, plan: partner, expected: undefined },
    { raw: "Top stories", plan: {}, expected: undefined },
    { raw: "Top stories", plan: partner, expected: "Top stories" },
    { raw: "   ", plan: partner, expected: undefined },
    { raw: "\u0000\u0007\u001b[31m", plan: partner, expected: "[31m" },
    { raw: "a\u202eb\u2066c", plan: partner, expected: "a b c" },
    { raw: "line\r\nSet-Cookie: x=1", plan: partner, expected: "line Set-Cookie: x=1" },
    { raw: "é".repeat(100), plan: partner, expected: "é".repeat(80) },
    { raw: `${"x".repeat(79)}😀😀`, plan: partner, expected: `${"x".repeat(79)}😀` }, // never half a surrogate pair
    { raw: `${"x".repeat(79)} tail`, plan: partner, expected: "x".repeat(79) },
  ])("$raw → $expected", ({ raw, plan, expected }) => {
    expect(headlineTitle(raw, plan, true)).toBe(expected);
    // Not framed: never, whatever it says.
    expect(headlineTitle(raw, plan, false)).toBeUndefined();
  });
});

describe("isFramed", () => {
  it.each([
    ["iframe", true],
    ["frame", true],
    ["IFRAME", true],
    ["document", false],
    ["empty", false],
    ["", false],
    [undefined, false],
  ])("Sec-Fetch-Dest: %s → %s", (dest, expected) => {
    expect(isFramed(dest)).toBe(expected);
  });
});
