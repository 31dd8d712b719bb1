// The mock's web console as a person uses it, in headless Chromium driven by playwright-core:
// the journal shows the requests, an unmatched one opens with the keyboard to its near-miss diff
// side by side, the filter narrows to unmatched, a scenario's state is set and reset with the
// keyboard, nothing is loaded from anywhere but the mock, and a screenshot is written.
//   node console-check.js BASE_URL OUT.png      (NODE_PATH: where playwright-core is installed)
"use strict";
const { chromium } = require("playwright-core");

const [base, png] = process.argv.slice(2);
const fail = (msg) => { console.error("console: " + msg); process.exit(1); };

async function admin(path, init) {
  const r = await fetch(base + "/__admin/" + path, init);
  return r.json();
}

async function tabTo(page, predicate, what) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(predicate)) return;
  }
  fail("the keyboard never reached " + what);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const foreign = [];
  page.on("request", (r) => { if (!r.url().startsWith(base)) foreign.push(r.url()); });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(base + "/__admin/ui");
  await page.waitForSelector("#requests tbody tr.req", { timeout: 10000 });
  const health = await page.textContent("#health");
  if (!/interactions/.test(health)) fail("health says: " + health);
  const rows = await page.$$eval("#requests tbody tr.req", (trs) => trs.map((t) => t.textContent));
  if (!rows.some((t) => t.includes("unmatched"))) fail("no unmatched row in: " + rows.join(" | "));
  if (!rows.some((t) => t.includes("queue-429-retry-after-then-ok/"))) fail("no matched row in: " + rows.join(" | "));

  // The unmatched request, opened with the keyboard: its near miss, expected beside actual.
  await tabTo(page, () => document.activeElement.matches("tr.req") && document.activeElement.textContent.includes("unmatched"),
              "the unmatched row");
  await page.keyboard.press("Enter");
  await page.waitForSelector("tr.detail .diff", { timeout: 5000 });
  const diff = await page.textContent("tr.detail");
  for (const want of ["expected", "actual", "closest:"])
    if (!diff.includes(want)) fail("the near-miss detail lacks " + want + ": " + diff);

  await page.screenshot({ path: png, fullPage: true });

  // The filter: unmatched only, ticked with the keyboard (then unticked).
  await page.focus("#f-unmatched");
  await page.keyboard.press("Space");
  await page.waitForFunction(() => {
    const shown = [...document.querySelectorAll("#requests tbody tr.req")];
    return shown.length === 1 && shown[0].textContent.includes("unmatched");
  }, null, { timeout: 5000 });
  await page.keyboard.press("Space");
  await page.waitForFunction(() => document.querySelectorAll("#requests tbody tr.req").length === 2, null, { timeout: 5000 });

  // A scenario's state, chosen with the keyboard, then reset with the keyboard (which also clears
  // the journal entries that named it).
  await tabTo(page, () => document.activeElement.matches("select[aria-label^='state of queue-429']"), "the state select");
  await page.keyboard.press("ArrowDown");
  await page.waitForTimeout(300);
  let sc = (await admin("scenarios")).scenarios.find((s) => s.name === "queue-429-retry-after-then-ok");
  const machine = Object.keys(sc.states)[0];
  if (sc.states[machine] === "Started") fail("the state select did not set the state: " + JSON.stringify(sc.states));
  await page.focus("button[aria-label='Reset queue-429-retry-after-then-ok']");
  await page.keyboard.press("Enter");
  await page.waitForTimeout(300);
  sc = (await admin("scenarios")).scenarios.find((s) => s.name === "queue-429-retry-after-then-ok");
  if (sc.states[machine] !== "Started" || sc.calls !== 0) fail("reset did not reset: " + JSON.stringify(sc));
  await page.waitForFunction(() => document.querySelectorAll("#requests tbody tr.req").length === 0, null, { timeout: 5000 });

  await browser.close();
  if (foreign.length) fail("the page loaded from elsewhere: " + foreign.join(", "));
  if (errors.length) fail("the page threw: " + errors.join("; "));
  console.log("console: journal, near-miss diff, state set and reset, filter: all by keyboard; screenshot " + png);
})().catch((e) => fail(e.stack || String(e)));
