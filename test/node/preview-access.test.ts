// The preview token only from a header or a short-lived signed cookie, never from the query string; the sign-in form.
import { describe, expect, it } from "vitest";
import { PREVIEW_COOKIE, PREVIEW_SESSION_SECONDS } from "../../src/http/preview-access.ts";
import { appOver } from "../support/app.ts";
import { fixtureSite, fixtureSource, NOW, PREVIEW_TOKEN } from "../support/embed-fixture.ts";

const ORIGIN = "https://feeds.example.com";

/** An app on a clock the test moves. */
function makeApp(extra: Record<string, string> = { PREVIEW_TOKEN }) {
  const clock = { now: NOW };
  const app = appOver({ source: fixtureSource(), site: fixtureSite(ORIGIN, extra), now: () => clock.now, log: () => {} });
  return { app, clock };
}

const form = (fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  body: new URLSearchParams(fields).toString(),
});

/** Signs in through the form and returns the cookie pair to send back (`name=value`) and the Set-Cookie header. */
async function signIn(app: ReturnType<typeof makeApp>["app"], base = ORIGIN) {
  const res = await app.request(`${base}/preview`, form({ token: PREVIEW_TOKEN, slug: "draft" }));
  const setCookie = res.headers.get("set-cookie");
  return { res, setCookie, cookie: setCookie?.split(";")[0] ?? "" };
}

describe("preview access", () => {
  it.each([
    { case: "right token in the query", path: `/preview/draft?token=${PREVIEW_TOKEN}`, status: 404 },
    { case: "right token in the query, embargoed", path: `/preview/embargoed?token=${PREVIEW_TOKEN}`, status: 404 },
    { case: "wrong token in the query (ignored, not refused)", path: "/preview/draft?token=wrong-token-0123456789", status: 404 },
    { case: "published article with a token in the query", path: `/preview/hostile?token=${PREVIEW_TOKEN}`, status: 200 },
  ])("ignores the query string: $case → $status", async ({ path, status }) => {
    const res = await makeApp().app.request(path);
    expect(res.status).toBe(status);
    // Every preview answer stays out of shared caches, which key by path and query, never by the editor's cookie.
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("cache-tag")).toBeNull();
    expect(await res.text()).not.toContain("<strong>Draft</strong>");
  });

  it.each([
    { case: "right bearer token", auth: `Bearer ${PREVIEW_TOKEN}`, status: 200 },
    { case: "lower-case scheme", auth: `bearer ${PREVIEW_TOKEN}`, status: 200 },
    { case: "wrong bearer token", auth: "Bearer wrong-token-0123456789", status: 403 },
    { case: "a prefix of the token", auth: `Bearer ${PREVIEW_TOKEN.slice(0, -1)}`, status: 403 },
    { case: "another scheme", auth: `Basic ${btoa(`x:${PREVIEW_TOKEN}`)}`, status: 404 },
  ])("Authorization: $case → $status", async ({ auth, status }) => {
    const res = await makeApp().app.request("/preview/draft", { headers: { Authorization: auth } });
    expect(res.status).toBe(status);
    // A 404 for a draft too: a shared cache keeping it would answer a signed-in editor with it.
    expect(res.headers.get("cache-control")).toBe("private, no-store");
  });

  it("signs in with the form: an HttpOnly, Secure, SameSite=Strict cookie on /preview for an hour, holding no token", async () => {
    const { app } = makeApp();
    const { res, setCookie, cookie } = await signIn(app);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("preview/draft");
    expect(new URL(res.headers.get("location")!, `${ORIGIN}/preview`).href).toBe(`${ORIGIN}/preview/draft`);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const attributes = setCookie!.split(/;\s*/).slice(1);
    expect(attributes).toEqual(
      expect.arrayContaining([`Max-Age=${PREVIEW_SESSION_SECONDS}`, "Path=/preview", "HttpOnly", "Secure", "SameSite=Strict"]),
    );
    expect(PREVIEW_SESSION_SECONDS).toBeLessThanOrEqual(3600);
    expect(cookie.startsWith(`${PREVIEW_COOKIE}=`)).toBe(true);
    expect(setCookie).not.toContain(PREVIEW_TOKEN);
    expect(decodeURIComponent(setCookie!)).not.toContain(PREVIEW_TOKEN);
  });

  it("leaves Secure off over plain http (wrangler dev)", async () => {
    const { setCookie } = await signIn(makeApp().app, "http://localhost:8787");
    expect(setCookie).not.toMatch(/;\s*Secure/i);
    expect(setCookie).toMatch(/HttpOnly/);
  });

  it("unlocks drafts with the cookie until it expires, answering private, no-store", async () => {
    const { app, clock } = makeApp();
    const { cookie } = await signIn(app);
    const withCookie = () => app.request("/preview/draft", { headers: { Cookie: cookie } });
    const open = await withCookie();
    expect(open.status).toBe(200);
    expect(open.headers.get("cache-control")).toBe("private, no-store");
    expect(await open.text()).toContain("<strong>Draft</strong>");

    clock.now = new Date(NOW.getTime() + (PREVIEW_SESSION_SECONDS - 1) * 1000);
    expect((await withCookie()).status).toBe(200);
    clock.now = new Date(NOW.getTime() + PREVIEW_SESSION_SECONDS * 1000);
    expect((await withCookie()).status).toBe(404); // expired: as if there were no cookie
  });

  it.each([
    { case: "the cookie as set (the control)", tamper: (value: string) => value, status: 200 },
    { case: "a forged expiry", tamper: (value: string) => value.replace(/=\d+\./, "=9999999999."), status: 404 },
    {
      case: "an earlier expiry",
      tamper: (value: string) => value.replace(/=\d+\./, (m) => `=${Number(m.slice(1, -1)) - 60}.`),
      status: 404,
    },
    { case: "a signature of another token", tamper: (value: string) => value.replace(/\.[^.]+$/, ".AAAA"), status: 404 },
    { case: "the cookie without a signature", tamper: (value: string) => value.replace(/\.[^.]+$/, ""), status: 404 },
    { case: "the token itself as the cookie", tamper: () => `${PREVIEW_COOKIE}=${PREVIEW_TOKEN}`, status: 404 },
  ])("$case → $status", async ({ tamper, status }) => {
    const { app } = makeApp();
    const { cookie } = await signIn(app);
    const res = await app.request("/preview/draft", { headers: { Cookie: tamper(decodeURIComponent(cookie)) } });
    expect(res.status).toBe(status);
  });

  it("does not accept a session signed with a previous token (rotation signs everyone out)", async () => {
    const { cookie } = await signIn(makeApp().app);
    const rotated = makeApp({ PREVIEW_TOKEN: "a-new-preview-token-9876543210" }).app;
    expect((await rotated.request("/preview/draft", { headers: { Cookie: cookie } })).status).toBe(404);
  });

  it.each([
    { case: "wrong token", init: form({ token: "wrong-token-0123456789" }), status: 403 },
    { case: "no token", init: form({}), status: 403 },
    { case: "not a form", init: { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }, status: 415 },
    { case: "an oversize form", init: form({ token: "x".repeat(10_000) }), status: 413 },
    { case: "a post from another site", init: form({ token: PREVIEW_TOKEN }, { Origin: "https://evil.example" }), status: 403 },
  ])("refuses to sign in with $case ($status, no cookie)", async ({ init, status }) => {
    const res = await makeApp().app.request(`${ORIGIN}/preview`, init);
    expect(res.status).toBe(status);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(res.headers.get("cache-control")).toBe("private, no-store");
  });

  it("signs out", async () => {
    const { app } = makeApp();
    const { cookie } = await signIn(app);
    const res = await app.request(`${ORIGIN}/preview`, form({ action: "sign-out" }, { Cookie: cookie }));
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toMatch(/Max-Age=0/);
  });

  it("serves the sign-in form, never cached, posting to itself", async () => {
    const res = await makeApp().app.request("/preview?slug=draft");
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("content-security-policy")).toContain("form-action 'self'");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(body).toMatch(/<form method="post">/);
    expect(body).toContain('type="password" name="token"');
    expect(body).toContain('name="slug" value="draft"');
  });

  it("has no sign-in page without PREVIEW_TOKEN", async () => {
    const { app } = makeApp({});
    expect((await app.request("/preview")).status).toBe(404);
    expect((await app.request(`${ORIGIN}/preview`, form({ token: PREVIEW_TOKEN }))).status).toBe(404);
  });
});
