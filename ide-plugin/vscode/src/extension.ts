// The VS Code glue: commands, status bar, views, tasks, terminals and debugging over the client
// modules in client/ (which know nothing of VS Code). Nothing here blocks the extension host:
// every daemon call is asynchronous, long ones run as tasks or behind a progress notification.
import * as path from 'path';
import * as vscode from 'vscode';
import * as api from './client/api';
import { watchJob } from './client/api';
import { isGaleApp, findApps } from './client/app';
import { GaleError } from './client/errors';
import { formatDiagnostic } from './client/jobs';
import { Flavour, launchConfig, writeLaunchConfig } from './client/launch';
import { openConsole, openRtt, openShell } from './client/sessions';
import { Problems } from './vscode/problems';
import { GaleState } from './vscode/state';
import { GaleTasks } from './vscode/tasks';
import { openDeviceTerminal } from './vscode/terminals';
import { DevicesView, JobItem, JobsView } from './vscode/trees';

const kDebuggers: Record<Flavour, { extension: string; name: string }> = {
  'cortex-debug': { extension: 'marus25.cortex-debug', name: 'Cortex-Debug' },
  cppdbg: { extension: 'ms-vscode.cpptools', name: 'C/C++ (ms-vscode.cpptools)' },
};

function hasGaleApp(): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some((f) => isGaleApp(f.uri.fsPath) || findApps(f.uri.fsPath, 2).length > 0);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // Activated for any CMake folder: stay quiet unless one is a Gale application.
  if (!hasGaleApp()) {
    const watcher = vscode.workspace.onDidChangeWorkspaceFolders(() => {
      if (hasGaleApp()) {
        watcher.dispose();
        start(context);
      }
    });
    context.subscriptions.push(watcher);
    return;
  }
  start(context);
}

function start(context: vscode.ExtensionContext): void {
  void vscode.commands.executeCommand('setContext', 'gale.active', true);
  const state = new GaleState(context.workspaceState);
  const problems = new Problems();
  const tasks = new GaleTasks(state, problems);
  const devices = new DevicesView(state);
  const jobs = new JobsView(state);
  context.subscriptions.push(state, problems, tasks, devices, jobs,
    vscode.window.registerTreeDataProvider('gale.devices', devices),
    vscode.window.registerTreeDataProvider('gale.jobs', jobs),
    tasks.onDidFinishJob(() => void jobs.refresh()),
    state.onDidChange(() => devices.redraw()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('gale.socket') || e.affectsConfiguration('gale.galedPath')) {
        state.dropConnection();
        void devices.watch();
        void jobs.refresh();
      } else if (e.affectsConfiguration('gale')) {
        state.refreshStatusBar();
      }
    }));

  // Every command reports failures the same way: one message a user can act on, and the log.
  const command = (id: string, body: (...args: any[]) => Promise<unknown> | unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, async (...args: any[]) => {
      try {
        await body(...args);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        state.log(`${id}: ${message}`);
        if (e instanceof GaleError && /not reachable/.test(message)) {
          state.dropConnection();
        }
        const choice = await vscode.window.showErrorMessage(`Gale: ${message}`, 'Show Output');
        if (choice) {
          state.output.show();
        }
      }
    }));

  const deviceArg = (arg: unknown): string | undefined =>
    typeof arg === 'string' ? arg : (arg as { device?: api.Device })?.device?.id;

  command('gale.selectApp', () => state.selectApp());
  command('gale.selectBoard', async () => state.selectBoard(await state.currentApp(false)));
  command('gale.selectDevice', () => state.selectDevice());
  command('gale.useDevice', async (id: string) => {
    await state.config().update('device', id, vscode.ConfigurationTarget.Workspace);
    state.refreshStatusBar();
  });
  command('gale.build', () => tasks.run({ type: 'gale', command: 'build' }));
  command('gale.pristineBuild', () => tasks.run({ type: 'gale', command: 'pristineBuild' }));
  command('gale.run', () => tasks.run({ type: 'gale', command: 'run' }));
  command('gale.runTests', () => tasks.run({ type: 'gale', command: 'tests' }));
  command('gale.flash', async (arg?: unknown) => {
    const device = deviceArg(arg) ?? (await state.requireDevice());
    if (device) {
      await tasks.run({ type: 'gale', command: 'flash', device });
    }
  });
  command('gale.startEmulator', async () => {
    const device = await state.startEmulator();
    if (device && !state.device()) {
      const use = await vscode.window.showInformationMessage(`Gale: ${device.id} is up, held at reset until flashed.`, 'Use It', 'Flash It');
      if (use) {
        await state.config().update('device', device.id, vscode.ConfigurationTarget.Workspace);
        state.refreshStatusBar();
      }
      if (use === 'Flash It') {
        await tasks.run({ type: 'gale', command: 'flash', device: device.id });
      }
    }
  });
  command('gale.stopDevice', async (arg?: unknown) => {
    const id = deviceArg(arg) ?? (await state.requireDevice());
    if (id) {
      await api.deleteDevice(await state.connect(), id);
      if (state.device() === id) {
        await state.config().update('device', undefined, vscode.ConfigurationTarget.Workspace);
        state.refreshStatusBar();
      }
    }
  });
  command('gale.resetDevice', async (arg?: unknown) => {
    const id = deviceArg(arg) ?? (await state.requireDevice());
    if (id) {
      await api.resetDevice(await state.connect(), id);
    }
  });
  command('gale.refreshDevices', () => devices.watch());
  command('gale.refreshJobs', () => jobs.refresh());
  command('gale.cancelJob', async (item: JobItem) => {
    await api.cancelJob(await state.connect(), item.job.id);
    await jobs.refresh();
  });
  command('gale.showJobLog', async (item: JobItem) => {
    const conn = await state.connect();
    state.output.show(true);
    state.output.appendLine(`--- ${item.job.id}: ${item.job.summary}`);
    const outcome = await watchJob(conn, item.job.id, {
      onProgress: (p) => p.message && state.output.appendLine(`${p.phase}: ${p.message}`),
      onDiagnostic: (d) => state.output.appendLine(formatDiagnostic(d)),
      onLog: (l) => state.output.appendLine(l.text),
    }).outcome;
    state.output.appendLine(`--- ${outcome.result.state.replace('JOB_STATE_', '').toLowerCase()}${outcome.result.error ? `: ${outcome.result.error}` : ''}`);
  });
  command('gale.startDaemon', async () => {
    state.dropConnection();
    await state.connect();
    void devices.watch();
    void jobs.refresh();
  });
  command('gale.showOutput', () => state.output.show());

  const terminal = (kind: 'console' | 'rtt' | 'shell') => async (arg?: unknown) => {
    const id = deviceArg(arg) ?? (await state.requireDevice());
    if (!id) {
      return;
    }
    const conn = await state.connect();
    if (kind === 'console') {
      openDeviceTerminal(`Gale console: ${id}`, conn, (c, h) => openConsole(c, id, h),
        `console of ${id} (retained output first; keys go to the device)`);
    } else if (kind === 'rtt') {
      const channel = state.config().get<number>('rtt.channel') ?? 0;
      openDeviceTerminal(`Gale RTT ${channel}: ${id}`, conn, (c, h) => openRtt(c, id, channel, h),
        `RTT channel ${channel} of ${id}`);
    } else {
      const backend = state.config().get<'uart' | 'rtt'>('shell.backend') ?? 'uart';
      openDeviceTerminal(`Gale shell: ${id}`, conn, (c, h) => openShell(c, id, h, { backend }),
        `shell of ${id} over ${backend}`);
    }
  };
  command('gale.openConsole', terminal('console'));
  command('gale.openRtt', terminal('rtt'));
  command('gale.openShell', terminal('shell'));

  command('gale.debug', async (arg?: unknown) => {
    const id = deviceArg(arg) ?? (await state.requireDevice());
    if (!id) {
      return;
    }
    const app = (await state.currentApp()) ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!app) {
      throw new GaleError('open a Gale application folder first');
    }
    const conn = await state.connect();
    const server = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Gale: starting the GDB server of ${id}` },
      () => api.debugServer(conn, id));
    if (!server.image) {
      const flash = await vscode.window.showWarningMessage(
        `Gale: ${id} has not been flashed yet, so there are no symbols to debug. Flash it first.`, 'Flash');
      if (flash) {
        await tasks.run({ type: 'gale', command: 'flash', device: id });
      }
      return;
    }
    const flavour = state.config().get<Flavour>('debug.flavour') ?? 'cortex-debug';
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(app)) ?? vscode.workspace.workspaceFolders?.[0];
    const config = launchConfig(flavour, { server, deviceId: id, cwd: app });
    const file = writeLaunchConfig(folder?.uri.fsPath ?? app, config);
    state.log(`wrote "${config.name}" to ${file}: ${server.address}, ${server.image}`);
    const debuggerExt = kDebuggers[flavour];
    if (!vscode.extensions.getExtension(debuggerExt.extension)) {
      const other: Flavour = flavour === 'cortex-debug' ? 'cppdbg' : 'cortex-debug';
      const choice = await vscode.window.showWarningMessage(
        `Gale: wrote the launch configuration "${config.name}" to ${path.relative(folder?.uri.fsPath ?? app, file)}, ` +
        `but the ${debuggerExt.name} extension that runs it is not installed. Install it, or switch gale.debug.flavour to ${other}.`,
        'Open launch.json');
      if (choice) {
        await vscode.window.showTextDocument(vscode.Uri.file(file));
      }
      return;
    }
    const started = await vscode.debug.startDebugging(folder, config as vscode.DebugConfiguration);
    if (!started) {
      throw new GaleError(`the debugger did not start "${config.name}"; see the Debug Console`);
    }
  });

  state.refreshStatusBar();
  void devices.watch();
  void jobs.refresh();
}

export function deactivate(): void {
  // Subscriptions are disposed by VS Code; the daemon keeps running for other clients.
}
