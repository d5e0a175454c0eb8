// A stand-in for the `vscode` module, which exists only inside VS Code.
// It records what the extension asks of the editor.

export interface Recorded {
  commands: Map<string, (...args: unknown[]) => unknown>;
  errors: string[];
  infos: string[];
  opened: string[];
  config: Record<string, unknown>;
}

export const recorded: Recorded = { commands: new Map(), errors: [], infos: [], opened: [], config: {} };

class Disposable {
  constructor(private readonly fn: () => void = () => {}) {}
  dispose(): void {
    this.fn();
  }
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
}

class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  event = (l: (e: T) => void) => {
    this.listeners.push(l);
    return new Disposable();
  };
  fire(e: T): void {
    this.listeners.forEach((l) => l(e));
  }
  dispose(): void {}
}

const channel = { append() {}, appendLine() {}, clear() {}, show() {}, hide() {}, dispose() {}, replace() {}, name: "connls" };

export const vscodeStub: Record<string, unknown> = {
  Disposable,
  EventEmitter,
  Uri: { parse: (s: string) => ({ toString: () => s, fsPath: s }), file: (s: string) => ({ toString: () => "file://" + s, fsPath: s }) },
  window: {
    createOutputChannel: () => channel,
    showErrorMessage: async (msg: string, ...items: string[]) => {
      recorded.errors.push(msg);
      return items[0];
    },
    showInformationMessage: async (msg: string) => {
      recorded.infos.push(msg);
      return undefined;
    },
    showWarningMessage: async (msg: string) => {
      recorded.errors.push(msg);
      return undefined;
    },
    activeTextEditor: undefined,
  },
  commands: {
    registerCommand: (name: string, fn: (...args: unknown[]) => unknown) => {
      recorded.commands.set(name, fn);
      return new Disposable();
    },
  },
  workspace: {
    getConfiguration: () => ({ get: <T>(key: string, def: T): T => (key in recorded.config ? (recorded.config[key] as T) : def) }),
    onDidChangeConfiguration: () => new Disposable(),
    workspaceFolders: [],
  },
  env: {
    openExternal: async (uri: { toString(): string }) => {
      recorded.opened.push(uri.toString());
      return true;
    },
  },
};

// anything stands for every part of the API the tests do not use (the
// language client extends some of its classes when it loads): a class
// whose every property is another such class.
function anything(): unknown {
  const C = class {
    constructor(..._args: unknown[]) {}
  };
  return new Proxy(C, {
    get(target, prop) {
      if (prop in target) {
        return (target as unknown as Record<string | symbol, unknown>)[prop];
      }
      return anything();
    },
  });
}

const vscodeModule = new Proxy(vscodeStub, {
  get(target, prop) {
    return typeof prop === "string" && prop in target ? target[prop] : anything();
  },
});

// install makes require("vscode") return the stand-in.
export function install(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require("module");
  const load = Module._load;
  Module._load = function (request: string, ...rest: unknown[]) {
    if (request === "vscode") {
      return vscodeModule;
    }
    return load.call(this, request, ...rest);
  };
}
