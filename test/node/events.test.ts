// The event log: one JSON line per event, texts capped, and faults at error level on the console.
import { afterEach, describe, expect, it, vi } from "vitest";
import { consoleSink, createEventLog, formatEvent, type LogEvent } from "../../src/core/events.ts";

afterEach(() => vi.restoreAllMocks());

describe("event lines", () => {
  it("name the event first and cap long texts at 1,000 characters", () => {
    const line = formatEvent({ event: "error", message: "x".repeat(5000), path: "/rss.xml" });
    expect(line.startsWith('{"event":"error"')).toBe(true);
    const parsed = JSON.parse(line) as { message: string };
    expect(parsed.message).toHaveLength(1000);
    expect(parsed.message.endsWith("…")).toBe(true);
  });

  it.each<[LogEvent, "error" | "log"]>([
    [{ event: "storage-fault", store: "d1", operation: "query", message: "down" }, "error"],
    [{ event: "error", message: "boom" }, "error"],
    [{ event: "publish", file: "a.md", result: "created", slug: "a" }, "log"],
    [{ event: "rejection", file: "a.md", reason: "check" }, "log"],
    [{ event: "release", slug: "a", published: "2026-01-01T00:00:00Z" }, "log"],
    [{ event: "hub-notification", hub: "https://hub.example/", feed: "https://x/rss.xml", outcome: "accepted" }, "log"],
  ])("go to the console at the level of their kind: %j → console.%s", (event, level) => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    createEventLog(consoleSink)(event);
    expect((level === "error" ? error : log).mock.calls).toEqual([[formatEvent(event)]]);
    expect((level === "error" ? log : error).mock.calls).toEqual([]);
  });
});
