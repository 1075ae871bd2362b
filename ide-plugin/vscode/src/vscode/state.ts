// The extension's state: the connection to galed (started on demand), the selected
// application, board and device, and the status-bar pickers.
import * as path from 'path';
import * as vscode from 'vscode';
import * as api from '../client/api';
import { GaleConnection } from '../client/connection';
import { GaleError } from '../client/errors';
import { findApps, appOf } from '../client/app';
import { findGaled, socketAddress } from '../client/paths';

export class GaleState implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel('Gale');
  private connection?: GaleConnection;
  private connecting?: Promise<GaleConnection>;
  private readonly boardItem: vscode.StatusBarItem;
  private readonly deviceItem: vscode.StatusBarItem;
  private readonly appItem: vscode.StatusBarItem;
  private app?: string;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /// Devices as Devices.Watch last told them, by id.
  readonly devices = new Map<string, api.Device>();

  constructor(private readonly memento: vscode.Memento) {
    this.appItem = vscode.window.createStatusBarItem('gale.app', vscode.StatusBarAlignment.Left, 52);
    this.appItem.name = 'Gale application';
    this.appItem.command = 'gale.selectApp';
    this.boardItem = vscode.window.createStatusBarItem('gale.board', vscode.StatusBarAlignment.Left, 51);
    this.boardItem.name = 'Gale board';
    this.boardItem.command = 'gale.selectBoard';
    this.deviceItem = vscode.window.createStatusBarItem('gale.device', vscode.StatusBarAlignment.Left, 50);
    this.deviceItem.name = 'Gale device';
    this.deviceItem.command = 'gale.selectDevice';
    this.app = memento.get<string>('gale.app');
    this.refreshStatusBar();
    this.appItem.show();
    this.boardItem.show();
    this.deviceItem.show();
  }

  config(scope?: string): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('gale', scope ? vscode.Uri.file(scope) : undefined);
  }

  log(line: string): void {
    this.output.appendLine(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  }

  /// The connection, starting galed first when none answers (and the setting allows it).
  async connect(): Promise<GaleConnection> {
    if (this.connection) {
      return this.connection;
    }
    if (!this.connecting) {
      this.connecting = this.openConnection().finally(() => (this.connecting = undefined));
    }
    return this.connecting;
  }

  private async openConnection(): Promise<GaleConnection> {
    const address = socketAddress(this.config().get<string>('socket'));
    const conn = new GaleConnection(address);
    try {
      if (!this.config().get<boolean>('startDaemon', true)) {
        await conn.status(3000, true).catch((e) => {
          throw new GaleError(`no galed answers at ${address} (${e.details ?? e}); start it with \`gale daemon start\` or enable gale.startDaemon`);
        });
        this.connection = conn;
        return conn;
      }
      const galed = findGaled(this.config().get<string>('galedPath') || undefined);
      const { status, started } = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Gale: connecting to galed' },
        async () => {
          try {
            return await conn.ensureDaemon({ galed: galed.path ?? '' });
          } catch (e) {
            if (!galed.path && e instanceof GaleError && /cannot start the daemon/.test(e.message)) {
              throw new GaleError(`no galed answers at ${address}, and it cannot be started: ${galed.error}`);
            }
            throw e;
          }
        });
      this.log(`${started ? 'started' : 'connected to'} galed ${status.version} (pid ${status.pid}) at ${address}`);
      this.connection = conn;
      return conn;
    } catch (e) {
      conn.close();
      throw e;
    }
  }

  /// Forget the connection after the daemon went away; the next call reconnects (or restarts it).
  dropConnection(): void {
    this.connection?.close();
    this.connection = undefined;
  }

  // --- application -------------------------------------------------------------------------

  apps(): string[] {
    const apps: string[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      apps.push(...findApps(folder.uri.fsPath));
    }
    return apps;
  }

  /// The application to act on: the one holding the active editor's file, else the chosen one,
  /// else the only one, else ask.
  async currentApp(ask = true): Promise<string | undefined> {
    const editor = vscode.window.activeTextEditor?.document.uri;
    if (editor?.scheme === 'file') {
      const folder = vscode.workspace.getWorkspaceFolder(editor)?.uri.fsPath;
      const owner = appOf(editor.fsPath, folder);
      if (owner) {
        return owner;
      }
    }
    const apps = this.apps();
    if (this.app && apps.includes(this.app)) {
      return this.app;
    }
    if (apps.length === 1) {
      return apps[0];
    }
    if (!ask) {
      return undefined;
    }
    return this.selectApp();
  }

  async selectApp(): Promise<string | undefined> {
    const apps = this.apps();
    if (apps.length === 0) {
      vscode.window.showErrorMessage('Gale: no application in this workspace (a folder whose CMakeLists.txt calls find_package(Gale)); open one, e.g. samples/hello_world');
      return undefined;
    }
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '/';
    const pick = await vscode.window.showQuickPick(
      apps.map((a) => ({ label: path.basename(a), description: path.relative(root, a) || '.', app: a })),
      { placeHolder: 'Gale application to build, flash and debug' });
    if (pick) {
      this.app = pick.app;
      await this.memento.update('gale.app', pick.app);
      this.refreshStatusBar();
    }
    return pick?.app;
  }

  buildDir(app: string): string {
    return path.resolve(app, this.config(app).get<string>('buildDir') || 'build');
  }

  // --- board -------------------------------------------------------------------------------

  board(app?: string): string {
    return this.config(app).get<string>('board') ?? '';
  }

  async requireBoard(app?: string): Promise<string | undefined> {
    return this.board(app) || this.selectBoard(app);
  }

  async selectBoard(app?: string): Promise<string | undefined> {
    const boards = (async () => {
      const conn = await this.connect();
      const list = await api.listBoards(conn);
      return list.map((b) => ({
        label: b.name,
        description: b.emulator ? `${b.full_name} · emulated by ${b.emulator}` : b.full_name,
        detail: `${b.vendor} ${b.soc} (${b.cpu}), ${b.flash_kb} KiB flash, ${b.ram_kb} KiB RAM`,
      }));
    })();
    const pick = await vscode.window.showQuickPick(boards, { placeHolder: 'Board to build for', matchOnDescription: true, matchOnDetail: true });
    if (!pick) {
      return undefined;
    }
    const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await this.config(app).update('board', pick.label, target);
    this.refreshStatusBar();
    return pick.label;
  }

  // --- device ------------------------------------------------------------------------------

  device(): string {
    return this.config().get<string>('device') ?? '';
  }

  /// The device to use: the chosen one, else the only one, else ask.
  async requireDevice(): Promise<string | undefined> {
    const chosen = this.device();
    if (chosen) {
      return chosen;
    }
    const conn = await this.connect();
    const devices = (await api.listDevices(conn)).filter((d) => d.state !== 'DEVICE_STATE_ABSENT');
    if (devices.length === 1) {
      return devices[0].id;
    }
    return this.selectDevice(devices);
  }

  async selectDevice(known?: api.Device[]): Promise<string | undefined> {
    const items = (async () => {
      const devices = known ?? (await api.listDevices(await this.connect()));
      const picks: (vscode.QuickPickItem & { id?: string; action?: string })[] = devices.map((d) => ({
        label: d.name && d.name !== d.id ? `${d.name}` : d.id,
        description: `${d.board || 'unbound probe'} · ${deviceStateWord(d)}`,
        detail: d.kind === 'DEVICE_KIND_PHYSICAL' ? `${d.probe_description || d.probe} serial ${d.serial}${d.tty ? `, ${d.tty}` : ''}${d.permission_problem ? ` — ${d.permission_problem}` : ''}` : d.id,
        id: d.id,
      }));
      picks.push({ label: '$(add) Start an emulated device…', action: 'create' });
      if (this.device()) {
        picks.push({ label: '$(close) No fixed device (use the only one)', action: 'clear' });
      }
      return picks;
    })();
    const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Device to flash, debug and talk to' });
    if (!pick) {
      return undefined;
    }
    let id = pick.id ?? '';
    if (pick.action === 'create') {
      const created = await this.startEmulator();
      if (!created) {
        return undefined;
      }
      id = created.id;
    }
    await this.config().update('device', id, vscode.ConfigurationTarget.Workspace);
    this.refreshStatusBar();
    return id || undefined;
  }

  async startEmulator(): Promise<api.Device | undefined> {
    const conn = await this.connect();
    const boards = (await api.listBoards(conn)).filter((b) => b.emulator);
    const current = this.board();
    const pick = await vscode.window.showQuickPick(
      boards.map((b) => ({ label: b.name, description: `${b.full_name} (${b.emulator})`, picked: b.name === current }))
        .sort((a, b) => (a.label === current ? -1 : b.label === current ? 1 : 0)),
      { placeHolder: 'Board to emulate' });
    if (!pick) {
      return undefined;
    }
    const device = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Gale: starting an emulated ${pick.label}` },
      () => api.createDevice(conn, pick.label));
    this.log(`started ${device.id}`);
    return device;
  }

  refreshStatusBar(): void {
    const board = this.board();
    this.appItem.text = `$(folder) ${this.app ? path.basename(this.app) : 'Gale app'}`;
    this.appItem.tooltip = this.app ? `Gale application: ${this.app} (click to change)` : 'Gale: choose the application';
    this.boardItem.text = `$(circuit-board) ${board || 'no board'}`;
    this.boardItem.tooltip = board ? `Gale board: ${board} (click to change)` : 'Gale: choose the board to build for';
    const id = this.device();
    const dev = id ? this.devices.get(id) : undefined;
    this.deviceItem.text = `$(plug) ${id || 'any device'}${dev ? ` · ${deviceStateWord(dev)}` : ''}`;
    this.deviceItem.tooltip = id ? `Gale device: ${id} (click to change)` : 'Gale: the only device is used; click to choose one';
    this.changed.fire();
  }

  dispose(): void {
    this.connection?.close();
    this.appItem.dispose();
    this.boardItem.dispose();
    this.deviceItem.dispose();
    this.output.dispose();
    this.changed.dispose();
  }
}

export function deviceStateWord(d: api.Device): string {
  const word = d.state.replace(/^DEVICE_STATE_/, '').toLowerCase();
  if (d.state === 'DEVICE_STATE_EXITED') {
    return `exited (${d.exit_code})`;
  }
  if (d.state === 'DEVICE_STATE_OFFLINE' && d.error) {
    return `offline: ${d.error}`;
  }
  return word;
}
