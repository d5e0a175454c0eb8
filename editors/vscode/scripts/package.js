#!/usr/bin/env node
// Builds connls-<version>.vsix with @vscode/vsce, which runs the
// vscode:prepublish script (compile, bundle the binary) first. The same as
// `npx vsce package`, with a fixed output name. Works offline.
"use strict";

const cp = require("child_process");
const path = require("path");

const ext = path.resolve(__dirname, "..");
const version = require(path.join(ext, "package.json")).version;
const out = path.join(ext, `connls-${version}.vsix`);
// --skip-license: the repository's license applies; vsce would otherwise stop to ask.
const r = cp.spawnSync(process.execPath, [require.resolve("@vscode/vsce/vsce"), "package", "--skip-license", "--out", out], { cwd: ext, stdio: "inherit" });
if (r.error || r.status !== 0) {
  console.error(`vsce package failed${r.error ? ": " + r.error.message : ""}`);
  process.exit(1);
}
console.log(`built ${path.relative(process.cwd(), out)}`);
