// The client modules against a real galed started by the test (private socket and state):
// boards, a build with structured diagnostics from a broken app, a good build, an emulated
// device flashed and its console read, the GDB server's launch configuration used by a real gdb.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as child_process from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as api from '../src/client/api';
import { GaleConnection } from '../src/client/connection';
import { GaleError } from '../src/client/errors';
import { groupDiagnostics, jobSucceeded, Progress } from '../src/client/jobs';
import { cortexDebugConfig, cppdbgConfig, writeLaunchConfig } from '../src/client/launch';
import { openConsole } from '../src/client/sessions';
import { copyApp, copyTree, galedPath, startTestDaemon, TestDaemon } from './daemon';

const kBoard = 'qemu_cortex_m3';
let daemon: TestDaemon;
let c: GaleConnection;
let app: string;
let device: api.Device;

before(async () => {
  daemon = await startTestDaemon();
  c = daemon.connection;
  app = copyApp('hello_world', daemon.root);
});

after(async () => {
  if (daemon) {
    await daemon.stop();
  }
});

test('the extension starts galed when none answers, and finds it running the next time', async () => {
  assert.equal(daemon.started, true);
  assert.ok(daemon.pid > 0);
  const again = new GaleConnection(c.address);
  try {
    const { status, started } = await again.ensureDaemon({ galed: galedPath(), env: daemon.env });
    assert.equal(started, false);
    assert.equal(Number(status.pid), daemon.pid);
    assert.ok(status.listen.includes(c.address), `${status.listen} lists ${c.address}`);
  } finally {
    again.close();
  }
});

test('a daemon that cannot start is reported with its log', async () => {
  const bad = new GaleConnection(`unix:${daemon.root}/nobody/galed.sock`);
  try {
    await assert.rejects(bad.ensureDaemon({ galed: path.join(daemon.root, 'no-such-galed'), env: daemon.env }),
      (e: Error) => e instanceof GaleError && /no-such-galed is not there/.test(e.message));
  } finally {
    bad.close();
  }
});

test('Boards.ListBoards lists the emulated boards', async () => {
  const boards = await api.listBoards(c);
  const m3 = boards.find((b) => b.name === kBoard);
  assert.ok(m3, `${kBoard} among ${boards.map((b) => b.name).join(', ')}`);
  assert.equal(m3.emulator, 'qemu');
  assert.equal(m3.arch, 'arm');
});

test('a bad board is refused with a message naming it', async () => {
  const job = api.build(c, { appDir: app, board: 'no_such_board' });
  await assert.rejects(job.outcome, (e: Error) => e instanceof GaleError && /no_such_board/.test(e.message));
});

test('a broken app yields structured diagnostics at its file and line', async () => {
  const broken = copyApp('hello_world', path.join(daemon.root, 'broken'));
  const main = path.join(broken, 'src', 'main.c');
  const lines = fs.readFileSync(main, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.includes('return 0;'));
  assert.ok(at >= 0);
  lines[at] = '\treturn undeclared_thing;';
  fs.writeFileSync(main, lines.join('\n'));
  const seen: string[] = [];
  const outcome = await api.build(c, { appDir: broken, board: kBoard }, {
    onDiagnostic: (d) => seen.push(d.file),
  }).outcome;
  assert.equal(outcome.result.state, 'JOB_STATE_FAILED');
  assert.ok(outcome.result.error.length > 0, 'a failed build says why');
  const errors = groupDiagnostics(outcome.diagnostics).get(main) ?? [];
  const hit = errors.find((d) => d.severity === 'SEVERITY_ERROR' && /undeclared_thing/.test(d.message));
  assert.ok(hit, `an error about undeclared_thing in ${main}; got ${JSON.stringify(outcome.diagnostics)}`);
  assert.equal(hit.line, at + 1);
  assert.ok(hit.column > 0);
  assert.equal(hit.tool, 'gcc');
  assert.ok(seen.includes(main), 'diagnostics arrive as events while the build runs');
});

test('Builds.Build builds hello_world with progress and a summary', async () => {
  const phases = new Set<string>();
  let jobId = '';
  const outcome = await api.build(c, { appDir: app, board: kBoard, pristine: true }, {
    onJobId: (id) => (jobId = id),
    onProgress: (p: Progress) => phases.add(p.phase),
  }).outcome;
  assert.ok(jobSucceeded(outcome.result), outcome.result.error);
  assert.equal(outcome.jobId, jobId);
  assert.ok(jobId.length > 0);
  assert.ok(phases.size > 0, 'progress events');
  assert.equal(outcome.result.detail, 'build');
  const summary = outcome.result.build!;
  assert.equal(summary.elf, path.join(app, 'build', 'gale', 'gale.elf'));
  assert.ok(fs.statSync(summary.elf).size > 0);
  assert.ok(summary.flash_bytes > 0);
});

test('an emulated device is created, seen by Devices.Watch, flashed, and greets on its console', async () => {
  const added = new Promise<api.Device>((resolve, reject) => {
    const stop = api.watchDevices(c, (e) => {
      if (e.kind === 'KIND_ADDED' && e.device.board === kBoard) {
        stop();
        resolve(e.device);
      }
    }, (err) => reject(err ?? new Error('the watch ended')));
  });
  device = await api.createDevice(c, kBoard);
  assert.match(device.id, /^emu-qemu_cortex_m3-/);
  assert.equal((await added).id, device.id);
  const listed = await api.listDevices(c);
  assert.ok(listed.some((d) => d.id === device.id));

  const flashed = await api.flash(c, { deviceId: device.id, buildDir: path.join(app, 'build') }).outcome;
  assert.ok(jobSucceeded(flashed.result), flashed.result.error);
  assert.equal(flashed.result.flash!.device_id, device.id);
  assert.ok(flashed.result.flash!.verified);

  let text = '';
  const greeting = new RegExp(`Hello World! ${kBoard}\r?\n`);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      session.close();
      reject(new Error(`no greeting on the console within 60 s; got ${JSON.stringify(text)}`));
    }, 60000);
    const session = openConsole(c, device.id, {
      onData: (data) => {
        text += data.toString('utf8');
        if (greeting.test(text)) {
          clearTimeout(timer);
          session.close();
          resolve();
        }
      },
      onEnd: (err) => {
        if (!greeting.test(text)) {
          clearTimeout(timer);
          reject(err ?? new Error(`the console ended without a greeting: ${JSON.stringify(text)}`));
        }
      },
    });
  });
  assert.match(text, /\*\*\* Booting Gale OS/);
});

test('flashing an unknown device is refused naming it', async () => {
  await assert.rejects(api.flash(c, { deviceId: 'emu-nothing-9', buildDir: path.join(app, 'build') }).outcome,
    (e: Error) => e instanceof GaleError && /emu-nothing-9/.test(e.message));
});

test('Devices.Debug gives a launch configuration that a real gdb can use', async () => {
  assert.ok(device, 'the device of the previous test');
  const server = await api.debugServer(c, device.id);
  assert.match(server.address, /^127\.0\.0\.1:\d+$/);
  assert.equal(server.image, path.join(app, 'build', 'gale', 'gale.elf'));
  const file = writeLaunchConfig(app, cortexDebugConfig({ server, deviceId: device.id, cwd: app }));
  writeLaunchConfig(app, cppdbgConfig({ server, deviceId: device.id, cwd: app }));
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(doc.configurations.length, 2);
  const [cd, cpp] = doc.configurations;
  assert.equal(cd.type, 'cortex-debug');
  assert.equal(cd.gdbTarget, server.address);
  assert.equal(cd.executable, server.image);
  assert.equal(cpp.type, 'cppdbg');
  assert.equal(cpp.miDebuggerServerAddress, server.address);
  assert.equal(cpp.program, server.image);

  // What cppdbg does with it: the debugger named there connects to the address with the ELF.
  const gdb = child_process.spawnSync(cpp.miDebuggerPath, [
    '-nx', '-batch', '-ex', `set architecture ${server.arch}`, '-ex', `file ${cpp.program}`,
    '-ex', `target remote ${cpp.miDebuggerServerAddress}`, '-ex', 'info symbol main', '-ex', 'detach',
  ], { encoding: 'utf8', timeout: 60000 });
  if (gdb.error) {
    assert.fail(`${cpp.miDebuggerPath} could not be run (${gdb.error.message}); install gdb-multiarch`);
  }
  assert.match(gdb.stdout, /main in section \.text/, gdb.stdout + gdb.stderr);
});

test('Builds.Run builds and boots a suite on a fresh emulator, streams its console, and ends with its exit code', async () => {
  const suite = copyTree('tests/subsys/testsuite/ztest_self', path.join(daemon.root, 'run'));
  const lines: string[] = [];
  const outcome = await api.run(c, { appDir: suite, board: kBoard, timeoutS: 300 }, {
    onLog: (l) => lines.push(`${l.stream}: ${l.text}`),
  }).outcome;
  assert.ok(jobSucceeded(outcome.result), outcome.result.error);
  assert.equal(outcome.result.exit_code, 0);
  assert.ok(lines.some((l) => l.startsWith('console: ') && l.includes('Booting Gale OS')), lines.join('\n'));
});

test('Tests.Run runs a ztest suite and streams its cases', async () => {
  const suite = copyTree('tests/subsys/testsuite/ztest_self', path.join(daemon.root, 'tests'));
  fs.writeFileSync(path.join(suite, 'testcase.yaml'), 'tests:\n  vscode.ztest_self:\n    tags: vscode\n');
  const junit = path.join(daemon.root, 'junit.xml');
  const cases: any[] = [];
  const outcome = await api.runTests(c, { paths: [suite], boards: [kBoard], junitPath: junit }, {
    onTestCase: (t) => cases.push(t),
  }).outcome;
  assert.ok(jobSucceeded(outcome.result), `${outcome.result.error}; cases ${JSON.stringify(cases)}`);
  const summary = outcome.result.tests!;
  assert.ok(summary.passed > 0);
  assert.equal(summary.failed, 0);
  assert.equal(summary.errors, 0);
  assert.equal(cases.length, summary.passed + summary.skipped);
  assert.ok(cases.every((t) => t.scenario === 'vscode.ztest_self' && t.board === kBoard));
  assert.match(fs.readFileSync(junit, 'utf8'), /<testcase/);
});

test('Jobs.ListJobs shows the build and flash jobs', async () => {
  const jobs = await api.listJobs(c);
  const kinds = new Set(jobs.map((j) => j.kind));
  assert.ok(kinds.has('build') && kinds.has('flash'), [...kinds].join(', '));
  assert.ok(jobs.some((j) => j.state === 'JOB_STATE_FAILED' && j.kind === 'build'), 'the broken build is recorded as failed');
});

test('the device is stopped and forgotten', async () => {
  await api.deleteDevice(c, device.id);
  const listed = await api.listDevices(c);
  assert.ok(!listed.some((d) => d.id === device.id));
});
