// Drives the real connls binary through vscode-languageserver-protocol,
// the protocol library VS Code's own language client is built on.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as cp from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import {
  ApplyWorkspaceEditParams,
  CodeAction,
  createProtocolConnection,
  Diagnostic,
  ProtocolConnection,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver-protocol/node";
import { extensionCommands } from "../src/commands";

const repo = path.resolve(__dirname, "..", "..", "..", "..");
const binary = process.env.CONNLS_BIN ?? path.join(repo, "bin", "connls");

function copyDir(src: string): string {
  const dst = fs.mkdtempSync(path.join(os.tmpdir(), "connls-vscode-"));
  fs.cpSync(src, dst, { recursive: true });
  return dst;
}

interface Session {
  conn: ProtocolConnection;
  proc: cp.ChildProcess;
  diagnostics: Map<string, Diagnostic[]>;
  versions: Map<string, number | undefined>;
  edits: ApplyWorkspaceEditParams[];
  progress: { token: string | number; kind: string }[];
  serverCommands: string[];
  questions: string[]; // window/showMessageRequest messages
  waitDiagnostics(uri: string, pred: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]>;
  close(): Promise<void>;
}

async function startSession(root: string): Promise<Session> {
  assert.ok(fs.existsSync(binary), `build connls first (${binary})`);
  const proc = cp.spawn(binary, ["serve"], { stdio: ["pipe", "pipe", "pipe"] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const s: Session = {
    conn,
    proc,
    diagnostics: new Map(),
    versions: new Map(),
    edits: [],
    progress: [],
    serverCommands: [],
    questions: [],
    waitDiagnostics: (uri, pred) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for diagnostics of ${uri}`)), 15000);
        const check = () => {
          const d = s.diagnostics.get(uri);
          if (d && pred(d)) {
            clearTimeout(timer);
            resolve(d);
            return true;
          }
          return false;
        };
        if (!check()) {
          waiters.push(check);
        }
      }),
    close: async () => {
      await conn.sendRequest("shutdown");
      await conn.sendNotification("exit");
      await new Promise((r) => proc.once("exit", r));
      conn.dispose();
    },
  };
  const waiters: (() => boolean)[] = [];
  conn.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
    s.diagnostics.set(p.uri, p.diagnostics);
    s.versions.set(p.uri, p.version);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]()) {
        waiters.splice(i, 1);
      }
    }
  });
  conn.onNotification("$/progress", (p: { token: string | number; value: { kind: string } }) =>
    s.progress.push({ token: p.token, kind: p.value.kind }),
  );
  conn.onRequest("window/workDoneProgress/create", () => null);
  conn.onRequest("client/registerCapability", () => null);
  conn.onNotification("window/showMessage", () => {});
  // A change to hand-written code is applied only after the user says so;
  // this client has no change annotations, so the server asks.
  conn.onRequest("window/showMessageRequest", (p: { message: string; actions?: { title: string }[] }) => {
    s.questions.push(p.message);
    return (p.actions || []).find((a) => a.title === "Apply") || null;
  });
  conn.onRequest("workspace/applyEdit", (p: ApplyWorkspaceEditParams) => {
    s.edits.push(p);
    return { applied: true };
  });
  conn.listen();
  const init = (await conn.sendRequest("initialize", {
    processId: process.pid,
    rootUri: pathToFileURL(root).toString(),
    workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: "ws" }],
    capabilities: {
      window: { workDoneProgress: true },
      workspace: { applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ["create"] } },
      textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix", "source"] } } } },
    },
  })) as { capabilities: { textDocumentSync: { change: number }; executeCommandProvider: { commands: string[] } } };
  assert.equal(init.capabilities.textDocumentSync.change, 2, "incremental sync");
  s.serverCommands = init.capabilities.executeCommandProvider.commands;
  await conn.sendNotification("initialized", {});
  return s;
}

test("the extension registers none of the commands the server executes", async () => {
  // vscode-languageclient registers a VS Code command for each of the
  // server's commands; a second registration stops the client.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(path.join(repo, "editors", "vscode", "package.json"));
  const s = await startSession(copyDir(path.join(repo, "testdata", "ticketdesk")));
  try {
    assert.ok(s.serverCommands.includes("connls.checkWorkspace"), `server commands: ${s.serverCommands}`);
    const mine: readonly string[] = extensionCommands;
    for (const c of mine) {
      assert.ok(!s.serverCommands.includes(c), `${c} is registered by both the extension and the language client`);
    }
    const palette: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
    for (const c of palette) {
      assert.ok(mine.includes(c) || s.serverCommands.includes(c), `palette command ${c} has no handler`);
    }
  } finally {
    await s.close();
  }
});

test("diagnostics, a quick fix and their clearing, over vscode-languageserver-protocol", async () => {
  const root = copyDir(path.join(repo, "testdata", "broken"));
  const s = await startSession(root);
  try {
    const file = path.join(root, "Customer.native.schema.groovy");
    const uri = pathToFileURL(file).toString();
    const text = fs.readFileSync(file, "utf8");
    await s.conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "scimrest-groovy", version: 1, text } });
    const diags = await s.waitDiagnostics(uri, (d) => d.some((x) => x.code === "unknown-dsl"));
    const typo = diags.find((x) => x.code === "unknown-dsl")!;
    const actions = (await s.conn.sendRequest("textDocument/codeAction", {
      textDocument: { uri },
      range: typo.range,
      context: { diagnostics: [typo], only: ["quickfix"] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.title === "Change to updateable");
    assert.ok(fix?.edit, "the quick fix carries its edit");
    const change = fix.edit.documentChanges![0] as { textDocument: { version: number }; edits: { range: unknown; newText: string }[] };
    assert.equal(change.textDocument.version, 1);
    await s.conn.sendNotification("textDocument/didChange", {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: change.edits[0].range, text: change.edits[0].newText }],
    });
    await s.waitDiagnostics(uri, (d) => !d.some((x) => x.code === "unknown-dsl"));
    assert.equal(s.versions.get(uri), 2);
  } finally {
    await s.close();
  }
});

test("generating an update operation: progress, then a versioned applyEdit", async () => {
  const root = copyDir(path.join(repo, "testdata", "ticketdesk"));
  fs.rmSync(path.join(root, "Group.update.op.groovy"));
  const s = await startSession(root);
  try {
    const result = (await s.conn.sendRequest("workspace/executeCommand", {
      command: "connls.generate",
      arguments: [{ class: "Group", kind: "update" }],
      workDoneToken: "gen-1",
    })) as { status: string; applied: boolean };
    assert.deepEqual([result.status, result.applied], ["created", true]);
    assert.equal(s.edits.length, 1);
    const changes = s.edits[0].edit.documentChanges as { kind?: string; uri?: string; edits?: { newText: string }[] }[];
    assert.equal(changes[0].kind, "create");
    assert.match(changes[0].uri!, /Group\.update\.op\.groovy$/);
    assert.match(changes[1].edits![0].newText, /endpoint\(PUT, "\/groups\/\{id\}"\)/);
    const kinds = s.progress.filter((p) => p.token === "gen-1").map((p) => p.kind);
    assert.equal(kinds[0], "begin");
    assert.equal(kinds[kinds.length - 1], "end");
    assert.ok(kinds.includes("report"), `progress reports: ${kinds.join(",")}`);
  } finally {
    await s.close();
  }
});

test("the palette's generate command finds the class under the cursor and regenerates in place, once the user agrees", async () => {
  const root = copyDir(path.join(repo, "testdata", "ticketdesk"));
  const file = path.join(root, "Group.connid.schema.groovy");
  // A hand-made wrong mapping that regeneration must replace.
  fs.writeFileSync(file, 'objectClass("Group") {\n    connIdAttribute "UID", "name"\n    connIdAttribute "NAME", "name"\n}\n');
  const s = await startSession(root);
  try {
    const uri = pathToFileURL(file).toString();
    const text = fs.readFileSync(file, "utf8");
    await s.conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "scimrest-groovy", version: 7, text } });
    // The same arguments the extension's command sends for a cursor inside the block.
    const args = { uri, position: { line: 1, character: 8 }, kind: "connid", fresh: true };
    const result = (await s.conn.sendRequest("workspace/executeCommand", { command: "connls.generate", arguments: [args] })) as {
      status: string;
      applied: boolean;
    };
    assert.equal(result.applied, true, JSON.stringify(result));
    assert.equal(s.questions.length, 1, "the user is asked before hand-written code is replaced");
    assert.match(s.questions[0], /-    connIdAttribute "UID", "name"/, "the question shows the diff");
    const change = s.edits[0].edit.documentChanges![0] as { textDocument: { uri: string; version: number }; edits: { newText: string }[] };
    assert.equal(change.textDocument.uri, uri);
    assert.equal(change.textDocument.version, 7, "the edit is versioned against the open buffer");
    const newText = change.edits.map((e) => e.newText).join("");
    assert.match(newText, /connIdAttribute\("UID", "id"\)|connIdAttribute "UID", "id"/);
  } finally {
    await s.close();
  }
});

test("a cursor outside any class is answered, not an error", async () => {
  const root = copyDir(path.join(repo, "testdata", "ticketdesk"));
  const s = await startSession(root);
  try {
    const uri = pathToFileURL(path.join(root, "README.md")).toString();
    const result = (await s.conn.sendRequest("workspace/executeCommand", {
      command: "connls.generate",
      arguments: [{ uri, position: { line: 0, character: 0 }, kind: "connid" }],
    })) as { status: string };
    assert.equal(result.status, "failed");
    assert.equal(s.edits.length, 0);
  } finally {
    await s.close();
  }
});
