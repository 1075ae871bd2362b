// The VS Code glue activated under Node with a recording stand-in for the editor API
// (test/vscode-stub.ts) and a real galed: the commands it registers, the default build task
// failing on a broken app with the error in the Problems panel, a fixed build, the Devices view
// fed live by Devices.Watch, Flash, the console terminal, and Debug starting a launch
// configuration for the device's GDB server.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { installVscodeStub, recorder, runTask } from './vscode-stub';
import { copyApp, startTestDaemon, TestDaemon } from './daemon';
import * as api from '../src/client/api';

installVscodeStub();
// eslint-disable-next-line @typescript-eslint/no-var-requires
const extension = require('../src/extension') as typeof import('../src/extension');

const kBoard = 'qemu_cortex_m3';
let daemon: TestDaemon;
let app: string;
let main: string;
let badLine = 0;
const context = { subscriptions: [] as { dispose(): void }[], workspaceState: { get: () => undefined, update: async () => undefined } };
let deviceId = '';

function until(what: string, check: () => boolean, ms = 30000): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) {
        resolve();
      } else if (Date.now() > end) {
        reject(new Error(`timed out waiting for ${what}`));
      } else {
        setTimeout(poll, 100);
      }
    };
    poll();
  });
}

before(async () => {
  daemon = await startTestDaemon();
  app = copyApp('hello_world', path.join(daemon.root, 'ws'));
  main = path.join(app, 'src', 'main.c');
  const lines = fs.readFileSync(main, 'utf8').split('\n');
  badLine = lines.findIndex((l) => l.includes('return 0;')) + 1;
  lines[badLine - 1] = '\treturn no_such_symbol;';
  fs.writeFileSync(main, lines.join('\n'));
  recorder.folders = [{ uri: { fsPath: app, scheme: 'file' } as any, name: 'app', index: 0 }];
  recorder.settings['gale.socket'] = daemon.connection.address;
  recorder.settings['gale.board'] = kBoard;
  recorder.settings['gale.buildDir'] = 'build';
  await extension.activate(context as any);
});

after(async () => {
  for (const d of context.subscriptions) {
    d.dispose();
  }
  await daemon?.stop();
});

test('activation registers every command of the manifest and the gale task provider', () => {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8'));
  for (const c of manifest.contributes.commands) {
    assert.ok(recorder.commands.has(c.command), c.command);
  }
  const tasks = recorder.taskProviders.get('gale').provideTasks();
  assert.deepEqual(tasks.map((t: any) => t.definition.command), ['build', 'pristineBuild', 'flash', 'run', 'tests']);
});

test('Build of a broken app fails and puts the compiler error in the Problems panel', async () => {
  await recorder.commands.get('gale.build')!();
  const task = recorder.executedTasks.pop()!;
  assert.equal(task.definition.command, 'build');
  const { text, code } = await runTask(task);
  assert.equal(code, 1, text);
  assert.match(text, /no_such_symbol/);
  const problems = recorder.problems.get(main) ?? [];
  const error = problems.find((d) => /no_such_symbol/.test(d.message));
  assert.ok(error, `a problem in ${main}: ${JSON.stringify([...recorder.problems.entries()])}`);
  assert.equal(error.severity, 0 /* Error */);
  assert.equal(error.range.start.line, badLine - 1);
});

test('the fixed app builds and its problems are cleared', async () => {
  fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('return no_such_symbol;', 'return 0;'));
  await recorder.commands.get('gale.build')!();
  const { text, code } = await runTask(recorder.executedTasks.pop()!);
  assert.equal(code, 0, text);
  assert.match(text, /built: .*gale\.elf/);
  assert.equal(recorder.problems.get(main), undefined);
});

test('the Devices view shows a device as soon as galed starts it', async () => {
  const view = recorder.treeProviders.get('gale.devices');
  const device = await api.createDevice(daemon.connection, kBoard);
  deviceId = device.id;
  await until(`${deviceId} in the Devices view`, () => view.getChildren().some((i: any) => i.device?.id === deviceId));
  const item = view.getChildren().find((i: any) => i.device?.id === deviceId);
  assert.equal(item.contextValue, 'device-emulated');
  assert.match(item.description, new RegExp(kBoard));
});

test('Flash, then the console terminal shows the greeting', async () => {
  await recorder.commands.get('gale.flash')!(deviceId);
  const { text, code } = await runTask(recorder.executedTasks.pop()!);
  assert.equal(code, 0, text);
  assert.match(text, new RegExp(`flashed \\d+ B to ${deviceId}, verified`));

  await recorder.commands.get('gale.openConsole')!(deviceId);
  const terminal = recorder.terminals.pop()!;
  assert.match(terminal.name, new RegExp(deviceId));
  let shown = '';
  terminal.pty.onDidWrite((s: string) => (shown += s));
  terminal.pty.open(undefined);
  await until('the greeting in the console terminal', () => /Hello World! qemu_cortex_m3\r\n/.test(shown));
  terminal.pty.close();
});

test('Debug writes the launch configuration and starts it with the installed debugger', async () => {
  recorder.installedExtensions.add('marus25.cortex-debug');
  await recorder.commands.get('gale.debug')!(deviceId);
  assert.deepEqual(recorder.messages.filter((m) => m.startsWith('error')), []);
  const config = recorder.debugSessions.pop();
  assert.ok(config, 'a debug session was started');
  assert.equal(config.type, 'cortex-debug');
  assert.match(config.gdbTarget, /^127\.0\.0\.1:\d+$/);
  assert.equal(config.executable, path.join(app, 'build', 'gale', 'gale.elf'));
  const launch = JSON.parse(fs.readFileSync(path.join(app, '.vscode', 'launch.json'), 'utf8'));
  assert.deepEqual(launch.configurations, [config]);
});

test('Debug without the debugger extension says which one to install', async () => {
  recorder.installedExtensions.clear();
  recorder.settings['gale.debug.flavour'] = 'cppdbg';
  await recorder.commands.get('gale.debug')!(deviceId);
  assert.equal(recorder.debugSessions.length, 0);
  assert.ok(recorder.messages.some((m) => /C\/C\+\+ \(ms-vscode\.cpptools\) extension .* is not installed/.test(m)), recorder.messages.join('\n'));
  const launch = JSON.parse(fs.readFileSync(path.join(app, '.vscode', 'launch.json'), 'utf8'));
  assert.deepEqual(launch.configurations.map((c: any) => c.type), ['cortex-debug', 'cppdbg']);
});

test('a console for an unknown device says so in its terminal', async () => {
  await recorder.commands.get('gale.openConsole')!('emu-nothing-7');
  const terminal = recorder.terminals.pop()!;
  let shown = '';
  terminal.pty.onDidWrite((s: string) => (shown += s));
  terminal.pty.open(undefined);
  await until('the console error', () => /emu-nothing-7/.test(shown) && /\[gale\]/.test(shown));
  await api.deleteDevice(daemon.connection, deviceId);
});
