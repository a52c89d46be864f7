// Debian's Chromium, headless, for the browser tests: off the network (no background requests, updates or sync).
import { type Browser, chromium } from "playwright-core";

/** Launches /usr/bin/chromium headless; as root it needs --no-sandbox. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--headless",
    ],
  });
}
