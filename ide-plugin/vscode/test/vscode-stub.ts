// A recording stand-in for the `vscode` module, enough to activate the extension under plain
// Node and drive its commands, tasks, views and terminals against a real galed. It records what
// the extension asks of the editor (commands, tasks, terminals, problems, messages, debug
// sessions); the editor's own behaviour is not what these tests check.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const Module = require('module');

export class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  event = (listener: (e: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) {
      l(e);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

const disposable = () => ({ dispose() {} });

export class Uri {
  constructor(readonly fsPath: string, readonly scheme = 'file') {}
  static file(p: string): Uri {
    return new Uri(p);
  }
  toString(): string {
    return `file://${this.fsPath}`;
  }
}

export class Position {
  constructor(readonly line: number, readonly character: number) {}
  translate(dl: number, dc: number): Position {
    return new Position(this.line + dl, this.character + dc);
  }
}
export class Range {
  constructor(readonly start: Position, readonly end: Position) {}
}
export class Diagnostic {
  source?: string;
  constructor(readonly range: Range, readonly message: string, readonly severity: number) {}
}
export class TreeItem {
  description?: string;
  tooltip?: string;
  iconPath?: unknown;
  contextValue?: string;
  command?: unknown;
  constructor(readonly label: string, readonly collapsibleState?: number) {}
}
export class ThemeIcon {
  constructor(readonly id: string, readonly color?: unknown) {}
}
export class ThemeColor {
  constructor(readonly id: string) {}
}
export class CustomExecution {
  constructor(readonly callback: (def: any) => Promise<any>) {}
}
export class Task {
  group?: unknown;
  presentationOptions?: unknown;
  constructor(readonly definition: any, readonly scope: unknown, readonly name: string, readonly source: string,
    readonly execution: CustomExecution) {}
}

export interface Recorder {
  settings: Record<string, unknown>;
  folders: { uri: Uri; name: string; index: number }[];
  commands: Map<string, (...args: any[]) => any>;
  taskProviders: Map<string, any>;
  treeProviders: Map<string, any>;
  executedTasks: Task[];
  terminals: { name: string; pty: any }[];
  problems: Map<string, Diagnostic[]>;
  messages: string[];
  debugSessions: any[];
  installedExtensions: Set<string>;
}

export const recorder: Recorder = {
  settings: {},
  folders: [],
  commands: new Map(),
  taskProviders: new Map(),
  treeProviders: new Map(),
  executedTasks: [],
  terminals: [],
  problems: new Map(),
  messages: [],
  debugSessions: [],
  installedExtensions: new Set(),
};

function configuration(section: string) {
  return {
    get: (key: string, def?: unknown) => {
      const v = recorder.settings[`${section}.${key}`];
      return v === undefined ? def : v;
    },
    update: async (key: string, value: unknown) => {
      recorder.settings[`${section}.${key}`] = value;
    },
  };
}

export const vscodeStub = {
  EventEmitter, Uri, Position, Range, Diagnostic, TreeItem, ThemeIcon, ThemeColor, CustomExecution, Task,
  StatusBarAlignment: { Left: 1, Right: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  TaskGroup: { Build: { id: 'build' }, Test: { id: 'test' } },
  TaskScope: { Global: 1, Workspace: 2 },
  TaskRevealKind: { Always: 1, Silent: 2, Never: 3 },
  TaskPanelKind: { Shared: 1, Dedicated: 2, New: 3 },
  window: {
    activeTextEditor: undefined,
    createOutputChannel: () => ({ appendLine() {}, append() {}, show() {}, dispose() {} }),
    createStatusBarItem: () => ({ text: '', tooltip: '', show() {}, hide() {}, dispose() {} }),
    registerTreeDataProvider: (id: string, provider: unknown) => {
      recorder.treeProviders.set(id, provider);
      return disposable();
    },
    withProgress: (_options: unknown, task: (p: unknown) => Promise<unknown>) => task({ report() {} }),
    showErrorMessage: async (m: string) => {
      recorder.messages.push(`error: ${m}`);
      return undefined;
    },
    showWarningMessage: async (m: string) => {
      recorder.messages.push(`warning: ${m}`);
      return undefined;
    },
    showInformationMessage: async (m: string) => {
      recorder.messages.push(`info: ${m}`);
      return undefined;
    },
    showQuickPick: async () => undefined,
    showTextDocument: async () => undefined,
    createTerminal: (options: { name: string; pty: any }) => {
      recorder.terminals.push({ name: options.name, pty: options.pty });
      return { show() {}, dispose() {} };
    },
  },
  workspace: {
    get workspaceFolders() {
      return recorder.folders;
    },
    getConfiguration: (section: string) => configuration(section),
    getWorkspaceFolder: (uri: Uri) => recorder.folders.find((f) => uri.fsPath.startsWith(f.uri.fsPath)),
    onDidChangeConfiguration: () => disposable(),
    onDidChangeWorkspaceFolders: () => disposable(),
  },
  commands: {
    registerCommand: (id: string, fn: (...args: any[]) => any) => {
      recorder.commands.set(id, fn);
      return disposable();
    },
    executeCommand: async () => undefined,
  },
  tasks: {
    registerTaskProvider: (type: string, provider: unknown) => {
      recorder.taskProviders.set(type, provider);
      return disposable();
    },
    executeTask: async (task: Task) => {
      recorder.executedTasks.push(task);
      return {};
    },
  },
  languages: {
    createDiagnosticCollection: () => ({
      set: (uri: Uri, list: Diagnostic[]) => recorder.problems.set(uri.fsPath, list),
      delete: (uri: Uri) => recorder.problems.delete(uri.fsPath),
      dispose() {},
    }),
  },
  extensions: {
    getExtension: (id: string) => (recorder.installedExtensions.has(id) ? { id } : undefined),
  },
  debug: {
    startDebugging: async (_folder: unknown, config: unknown) => {
      recorder.debugSessions.push(config);
      return true;
    },
  },
};

/// Makes `require('vscode')` return the stub.
export function installVscodeStub(): void {
  const mod = Module as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = mod._load;
  mod._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') {
      return vscodeStub;
    }
    return load.call(this, request, ...rest);
  };
}

/// Runs a CustomExecution task to its end: what its terminal showed, and its exit code.
export async function runTask(task: Task, timeoutMs = 600000): Promise<{ text: string; code: number }> {
  const pty = await task.execution.callback(task.definition);
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`task ${task.name} did not end in time; it showed:\n${text}`)), timeoutMs);
    pty.onDidWrite((s: string) => (text += s));
    pty.onDidClose((code: number) => {
      clearTimeout(timer);
      resolve({ text, code });
    });
    pty.open(undefined);
  });
}
