// Unit tests of the extension with a stand-in for the vscode module.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { install, recorded } from "./vscode-stub";

install();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ext = require("../src/extension") as typeof import("../src/extension");

test("findServer prefers the setting, then the bundled binary, then PATH", () => {
  const have = new Set(["/opt/connls", "/ext/bin/connls", "/usr/local/bin/connls"]);
  const exists = (p: string) => have.has(p);
  assert.equal(ext.findServer("/opt/connls", "/ext", "/usr/local/bin", exists), "/opt/connls");
  assert.equal(ext.findServer("/missing/connls", "/ext", "/usr/local/bin", exists), undefined, "a wrong setting is not silently replaced");
  assert.equal(ext.findServer("", "/ext", "/usr/local/bin", exists), "/ext/bin/connls");
  assert.equal(ext.findServer("", "/other", ["/nope", "/usr/local/bin"].join(path.delimiter), exists), "/usr/local/bin/connls");
  assert.equal(ext.findServer("", "/other", "/nope", exists), undefined);
});

test("serverArgs passes the log level and the LLM options, the key only in the environment", () => {
  const none = ext.serverArgs({ logLevel: "debug", llm: { backend: "none", model: "", baseUrl: "", apiKey: "" } });
  assert.deepEqual(none.args, ["serve", "--log-level", "debug"]);
  assert.deepEqual(none.env, {});
  const gemini = ext.serverArgs({ logLevel: "info", llm: { backend: "gemini", model: "gemini-2.5-flash", baseUrl: "", apiKey: "secret-key" } });
  assert.deepEqual(gemini.args, ["serve", "--log-level", "info", "--llm", "gemini", "--llm-model", "gemini-2.5-flash"]);
  assert.deepEqual(gemini.env, { GEMINI_API_KEY: "secret-key" });
  assert.ok(!gemini.args.join(" ").includes("secret-key"), "the key never reaches the command line");
  const openai = ext.serverArgs({ logLevel: "info", llm: { backend: "openai", model: "llama3", baseUrl: "http://localhost:11434/v1", apiKey: "k" } });
  assert.deepEqual(openai.args.slice(3), ["--llm", "openai", "--llm-model", "llama3", "--llm-base-url", "http://localhost:11434/v1"]);
  assert.deepEqual(openai.env, { OPENAI_API_KEY: "k" });
});

test("readSettings reads the connls settings with their defaults", () => {
  const s = ext.readSettings({ get: <T>(key: string, def: T): T => (key === "llm.model" ? ("m" as unknown as T) : def) });
  assert.deepEqual(s, { logLevel: "info", llm: { backend: "none", model: "m", baseUrl: "", apiKey: "" } });
});

test("generate commands ask for the class at the cursor", () => {
  assert.deepEqual(ext.generateArguments("file:///w/User.native.schema.groovy", { line: 3, character: 7 }, "update", true), {
    uri: "file:///w/User.native.schema.groovy",
    position: { line: 3, character: 7 },
    kind: "update",
    fresh: true,
  });
});

test("checkSummary counts findings", () => {
  assert.equal(ext.checkSummary({ error: 2, warning: 1 }), "connls: 2 errors, 1 warning in the workspace");
  assert.equal(ext.checkSummary({}), "connls: no findings in the workspace");
  assert.equal(ext.checkSummary(null), "connls: no findings in the workspace");
});

test("activate registers the commands and explains a missing binary", async () => {
  recorded.config["server.path"] = "/definitely/not/here/connls";
  const subscriptions: { dispose(): unknown }[] = [];
  await ext.activate({ subscriptions, extensionPath: "/nowhere" } as never);
  for (const c of ["connls.generateConnid", "connls.regenerateConnid", "connls.generateUpdate", "connls.regenerateUpdate",
    "connls.restartServer", "connls.showServerLog", "connls.showConnectorPicture"]) {
    assert.ok(recorded.commands.has(c), `command ${c} registered`);
  }
  assert.ok(!recorded.commands.has("connls.checkWorkspace"), "the language client registers the server's commands");
  assert.equal(recorded.errors.length, 1);
  assert.match(recorded.errors[0], /connls binary was not found/);
  assert.deepEqual(recorded.opened, [ext.README]);
});

test("the manifest's entry point, commands and grammar exist", () => {
  const root = path.resolve(__dirname, "..", "..");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(path.join(root, "package.json"));
  assert.ok(fs.existsSync(path.join(root, pkg.main)), `main ${pkg.main} is built`);
  const declared = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
  // The server's connls.checkWorkspace is in the palette too; the
  // language client registers it (see the integration test).
  assert.deepEqual(declared, [...recorded.commands.keys(), "connls.checkWorkspace"].sort(), "every palette command is registered, and only those");
  for (const g of pkg.contributes.grammars) {
    JSON.parse(fs.readFileSync(path.join(root, g.path), "utf8"));
  }
  const patterns: string[] = pkg.contributes.languages[0].filenamePatterns;
  for (const name of ["User.native.schema.groovy", "User.update.op.groovy", "User.search.groovy", "User.email.search.groovy"]) {
    assert.ok(patterns.some((p) => new RegExp("^" + p.replace(/\./g, "\\.").replace(/\*/g, ".*") + "$").test(name)), `${name} is a DSL file`);
  }
});

test("the connector picture is a Markdown page around the Mermaid diagram", () => {
  const md = ext.pictureMarkdown("ticketdesk", "classDiagram\n    class User[\"User\"]\n");
  assert.match(md, /^# The connector in ticketdesk\n/);
  assert.ok(md.includes("```mermaid\nclassDiagram\n    class User[\"User\"]\n```\n"), md);
  assert.equal(ext.pictureFileName("my connector/x"), "connector-my_connector_x");
  assert.equal(ext.pictureFileName(""), "connector-workspace");
});
