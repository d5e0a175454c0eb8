#!/usr/bin/env node
// vscode:prepublish, run by `vsce package` and `vsce publish`: compiles
// the extension and bundles the connls binary built from this checkout,
// so the extension works without connls on the PATH.
"use strict";

const cp = require("child_process");
const fs = require("fs");
const path = require("path");

const ext = path.resolve(__dirname, "..");
const repo = path.resolve(ext, "..", "..");

function run(cmd, args, cwd) {
  const r = cp.spawnSync(cmd, args, { cwd, stdio: "inherit", env: { ...process.env, PATH: `${process.env.PATH}${path.delimiter}/usr/local/go/bin` } });
  if (r.error) {
    throw new Error(`${cmd}: ${r.error.message}`);
  }
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status}`);
  }
}

const exe = process.platform === "win32" ? "connls.exe" : "connls";
fs.mkdirSync(path.join(ext, "bin"), { recursive: true });
run("go", ["build", "-trimpath", "-ldflags=-s -w", "-o", path.join(ext, "bin", exe), "./cmd/connls"], repo);
run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "."], ext);
