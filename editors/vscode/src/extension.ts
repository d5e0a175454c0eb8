// The VS Code face of connls: it starts `connls serve` and adds nothing
// the server cannot do itself. Commands ask the server to run its own
// commands; progress, diagnostics and edits come from the server.

import * as cp from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import {
  Executable,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  Trace,
} from "vscode-languageclient/node";
import { extensionCommands } from "./commands";

export const README = "https://github.com/connls/connls#install-and-use-in-vs-code";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

// Settings the server reads, passed as initializationOptions.
export interface ServerSettings {
  logLevel: string;
  llm: { backend: string; model: string; baseUrl: string; apiKey: string };
}

export function readSettings(config: { get<T>(key: string, def: T): T }): ServerSettings {
  return {
    logLevel: config.get<string>("server.logLevel", "info"),
    llm: {
      backend: config.get<string>("llm.backend", "none"),
      model: config.get<string>("llm.model", ""),
      baseUrl: config.get<string>("llm.baseUrl", ""),
      apiKey: config.get<string>("llm.apiKey", ""),
    },
  };
}

// findServer resolves the connls binary: the setting, then the binary
// bundled in the extension, then connls on the PATH.
export function findServer(setting: string, extensionDir: string, envPath: string | undefined, exists: (p: string) => boolean): string | undefined {
  const exe = process.platform === "win32" ? "connls.exe" : "connls";
  if (setting) {
    return exists(setting) ? setting : undefined;
  }
  const bundled = path.join(extensionDir, "bin", exe);
  if (exists(bundled)) {
    return bundled;
  }
  for (const dir of (envPath ?? "").split(path.delimiter)) {
    if (dir && exists(path.join(dir, exe))) {
      return path.join(dir, exe);
    }
  }
  return undefined;
}

// serverArgs builds the command line of `connls serve`. The API key is
// passed in the environment, never on the command line, where other
// users could read it.
export function serverArgs(settings: ServerSettings): { args: string[]; env: Record<string, string> } {
  const args = ["serve", "--log-level", settings.logLevel];
  const env: Record<string, string> = {};
  if (settings.llm.backend && settings.llm.backend !== "none") {
    args.push("--llm", settings.llm.backend);
    if (settings.llm.model) {
      args.push("--llm-model", settings.llm.model);
    }
    if (settings.llm.baseUrl) {
      args.push("--llm-base-url", settings.llm.baseUrl);
    }
    if (settings.llm.apiKey) {
      env[settings.llm.backend === "gemini" ? "GEMINI_API_KEY" : "OPENAI_API_KEY"] = settings.llm.apiKey;
    }
  }
  return { args, env };
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("connls");
  context.subscriptions.push(output);
  const handlers: Record<(typeof extensionCommands)[number], () => unknown> = {
    "connls.generateConnid": () => generate("connid", false),
    "connls.regenerateConnid": () => generate("connid", true),
    "connls.generateUpdate": () => generate("update", false),
    "connls.regenerateUpdate": () => generate("update", true),
    "connls.restartServer": () => restart(context),
    "connls.showServerLog": () => output?.show(true),
    "connls.showConnectorPicture": () => showPicture(context),
    "connls.scaffoldConnector": () => scaffold(),
  };
  context.subscriptions.push(
    ...extensionCommands.map((c) => vscode.commands.registerCommand(c, handlers[c])),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("connls")) {
        void restart(context);
      }
    }),
  );
  await startClient(context);
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration("connls");
  const settings = readSettings(config);
  const binary = findServer(config.get<string>("server.path", ""), context.extensionPath, process.env.PATH, isExecutable);
  if (!binary) {
    const open = "Open the README";
    const choice = await vscode.window.showErrorMessage(
      "connls: the connls binary was not found. Set connls.server.path, or put connls on the PATH.",
      open,
    );
    if (choice === open) {
      void vscode.env.openExternal(vscode.Uri.parse(README));
    }
    return;
  }
  const { args, env } = serverArgs(settings);
  const run: Executable = { command: binary, args, options: { env: { ...process.env, ...env } } };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "scimrest-groovy" },
      { scheme: "file", language: "groovy" },
      { scheme: "file", pattern: "**/connector.manifest.{json,yaml,yml}" },
      { scheme: "file", pattern: "**/sailpoint.connector.json" },
      { scheme: "file", pattern: "**/*.{schema,op}.{yaml,yml}" },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    initializationOptions: { logLevel: settings.logLevel, llm: { backend: settings.llm.backend, model: settings.llm.model } },
    middleware: {
      // The client registers a VS Code command for every command the
      // server executes (connls.checkWorkspace among them, which the
      // palette lists): the extension must not register them again, and
      // adds only the summary of a check here.
      executeCommand: async (command, args, next) => {
        const result = await next(command, args);
        if (command === "connls.checkWorkspace") {
          void vscode.window.showInformationMessage(checkSummary(result as Record<string, number> | null));
        }
        return result;
      },
    },
  };
  client = new LanguageClient("connls", "connls", serverOptions, clientOptions);
  const trace = config.get<string>("trace.server", "off");
  await client.start();
  await client.setTrace(Trace.fromString(trace));
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  if (client && client.state === State.Running) {
    await client.stop();
  }
  client = undefined;
  await startClient(context);
}

// generate asks the server to generate for the class under the cursor;
// the server reports progress and applies the result itself.
async function generate(kind: "connid" | "update", fresh: boolean): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor) {
    void vscode.window.showWarningMessage("connls: open a connector script first");
    return;
  }
  const args = generateArguments(editor.document.uri.toString(), editor.selection.active, kind, fresh);
  await client.sendRequest("workspace/executeCommand", { command: "connls.generate", arguments: [args] });
}

// scaffold starts a connector from the API description in the active
// editor: the server builds every script and the manifest and creates
// them with one workspace edit, reporting progress.
async function scaffold(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor) {
    void vscode.window.showWarningMessage("connls: open the API description (OpenAPI, Swagger or SCIM) first");
    return;
  }
  await client.sendRequest("workspace/executeCommand", { command: "connls.scaffold", arguments: [{ uri: editor.document.uri.toString() }] });
}

export function generateArguments(uri: string, pos: { line: number; character: number }, kind: string, fresh: boolean): object {
  return { uri, position: { line: pos.line, character: pos.character }, kind, fresh };
}

// showPicture draws the connector of the active editor's folder (else the
// first folder) with `connls inspect --format mermaid`, writes it as
// Markdown in the extension's storage (never in the workspace) and opens
// the Markdown preview on it.
async function showPicture(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration("connls");
  const binary = findServer(config.get<string>("server.path", ""), context.extensionPath, process.env.PATH, isExecutable);
  const editor = vscode.window.activeTextEditor;
  const folder = (editor && vscode.workspace.getWorkspaceFolder(editor.document.uri)) || vscode.workspace.workspaceFolders?.[0];
  if (!binary || !folder) {
    void vscode.window.showWarningMessage(binary ? "connls: open a connector folder first" : "connls: the connls binary was not found");
    return;
  }
  let diagram: string;
  try {
    diagram = await runConnls(binary, ["inspect", "--format", "mermaid", folder.uri.fsPath]);
  } catch (err) {
    void vscode.window.showErrorMessage(`connls: ${(err as Error).message}`);
    return;
  }
  const dir = context.globalStorageUri.fsPath;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${pictureFileName(folder.name)}.md`);
  fs.writeFileSync(file, pictureMarkdown(folder.name, diagram));
  await vscode.commands.executeCommand("markdown.showPreview", vscode.Uri.file(file));
}

function runConnls(binary: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    cp.execFile(binary, args, { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(stderr.trim() || err.message));
        return;
      }
      resolve(stdout);
    });
  });
}

// pictureFileName keeps a folder name safe as a file name.
export function pictureFileName(folder: string): string {
  return "connector-" + (folder.replace(/[^A-Za-z0-9._-]+/g, "_") || "workspace");
}

// pictureMarkdown wraps a Mermaid class diagram in a Markdown page.
export function pictureMarkdown(folder: string, diagram: string): string {
  return [
    `# The connector in ${folder}`,
    "",
    "Object classes with their UID and NAME mappings, and the references between them",
    "(relationships, reference attributes, embedded classes), as `connls inspect --format mermaid` draws them.",
    "The Markdown preview renders the diagram with a Mermaid extension (such as Markdown Preview Mermaid Support);",
    "GitHub and GitLab render it in a README.",
    "",
    "```mermaid",
    diagram.trimEnd(),
    "```",
    "",
  ].join("\n");
}

export function checkSummary(counts: Record<string, number> | null): string {
  const parts = ["error", "warning", "info"].filter((k) => counts && counts[k]).map((k) => `${counts![k]} ${k}${counts![k] === 1 ? "" : "s"}`);
  return parts.length ? `connls: ${parts.join(", ")} in the workspace` : "connls: no findings in the workspace";
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}
