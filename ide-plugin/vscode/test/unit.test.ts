// The client modules' pure parts: paths, app detection, launch configurations, diagnostics.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultSocketAddress, defaultStateDir, findGaled, normalizeAddress, socketAddress } from '../src/client/paths';
import { isGaleCMakeLists, appOf, findApps } from '../src/client/app';
import { cortexDebugConfig, cppdbgConfig, parseJsonc, writeLaunchConfig } from '../src/client/launch';
import { formatDiagnostic, groupDiagnostics, problemLocation, Diagnostic } from '../src/client/jobs';
import { GaleError } from '../src/client/errors';

test('socket address follows the CLI rule', () => {
  assert.equal(defaultSocketAddress({ XDG_RUNTIME_DIR: '/run/user/7' }, 7), 'unix:/run/user/7/gale/galed.sock');
  assert.equal(defaultSocketAddress({}, 1234), 'unix:/tmp/gale-1234/galed.sock');
  assert.equal(socketAddress(undefined, { GALE_SOCKET: 'unix:///x/y.sock', XDG_RUNTIME_DIR: '/r' }), 'unix:/x/y.sock');
  assert.equal(socketAddress('/a/b.sock', {}), 'unix:/a/b.sock');
  assert.equal(normalizeAddress('localhost:5000'), 'localhost:5000');
  assert.equal(normalizeAddress('rel/g.sock', '/base'), 'unix:/base/rel/g.sock');
  assert.equal(defaultStateDir({ XDG_STATE_HOME: '/s' }), '/s/gale');
  assert.equal(defaultStateDir({ HOME: '/h' }), '/h/.local/state/gale');
});

test('galed is found beside gale on PATH, or the error says how to fix it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gale-find-'));
  try {
    const none = findGaled(undefined, { PATH: dir });
    assert.match(none.error ?? '', /neither gale nor galed is on PATH/);
    fs.writeFileSync(path.join(dir, 'gale'), '#!/bin/sh\n', { mode: 0o755 });
    assert.match(findGaled(undefined, { PATH: dir }).error ?? '', /no galed beside/);
    fs.writeFileSync(path.join(dir, 'galed'), '#!/bin/sh\n', { mode: 0o755 });
    assert.equal(findGaled(undefined, { PATH: dir }).path, fs.realpathSync(path.join(dir, 'galed')));
    assert.match(findGaled('/nonexistent/galed', { PATH: dir }).error ?? '', /gale\.galedPath setting names \/nonexistent\/galed/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a Gale app is a CMakeLists.txt with find_package(Gale', () => {
  assert.ok(isGaleCMakeLists('cmake_minimum_required(VERSION 3.20)\nfind_package(Gale REQUIRED HINTS $ENV{GALE_BASE})\n'));
  assert.ok(isGaleCMakeLists('FIND_PACKAGE( Gale )'));
  assert.ok(!isGaleCMakeLists('# find_package(Gale)\nfind_package(Zephyr)'));
  assert.ok(!isGaleCMakeLists('find_package(GaleFoo)'));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gale-apps-'));
  try {
    fs.mkdirSync(path.join(root, 'a', 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'a', 'CMakeLists.txt'), 'find_package(Gale)\n');
    fs.mkdirSync(path.join(root, 'b'));
    fs.writeFileSync(path.join(root, 'b', 'CMakeLists.txt'), 'project(b)\n');
    assert.deepEqual(findApps(root), [path.join(root, 'a')]);
    assert.equal(appOf(path.join(root, 'a', 'src', 'main.c')), path.join(root, 'a'));
    assert.equal(appOf(path.join(root, 'b', 'x.c'), root), undefined);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

const server = { address: '127.0.0.1:4242', image: '/app/build/gale/gale.elf', gdb: 'gdb-multiarch', arch: 'arm' };

test('launch configurations point at the GDB server and the ELF', () => {
  const cd = cortexDebugConfig({ server, deviceId: 'emu-1', cwd: '/app' });
  assert.equal(cd.type, 'cortex-debug');
  assert.equal(cd.servertype, 'external');
  assert.equal(cd.gdbTarget, '127.0.0.1:4242');
  assert.equal(cd.executable, '/app/build/gale/gale.elf');
  const cpp = cppdbgConfig({ server, deviceId: 'emu-1', cwd: '/app' });
  assert.equal(cpp.type, 'cppdbg');
  assert.equal(cpp.miDebuggerServerAddress, '127.0.0.1:4242');
  assert.equal(cpp.program, '/app/build/gale/gale.elf');
  assert.equal(cpp.miDebuggerPath, 'gdb-multiarch');
  assert.throws(() => cppdbgConfig({ server: { ...server, image: '' }, deviceId: 'emu-1', cwd: '/app' }),
    (e: Error) => e instanceof GaleError && /emu-1 has not been flashed yet/.test(e.message));
});

test('launch.json keeps the user\'s configurations, comments and trailing commas notwithstanding', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gale-launch-'));
  try {
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'launch.json'),
      '{\n  // mine\n  "version": "0.2.0",\n  "configurations": [ { "name": "mine", "url": "http://x//y" }, ],\n}\n');
    const cfg = cortexDebugConfig({ server, deviceId: 'emu-1', cwd: dir });
    const file = writeLaunchConfig(dir, cfg);
    writeLaunchConfig(dir, cfg); // replaced, not duplicated
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(doc.configurations.map((c: any) => c.name), ['mine', cfg.name]);
    assert.equal(doc.configurations[0].url, 'http://x//y');
    fs.writeFileSync(file, '{ not json');
    assert.throws(() => writeLaunchConfig(dir, cfg), /launch\.json is not valid JSON/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(parseJsonc('/* a */ {"a": "/*b*/", "c": [1,],}'), { a: '/*b*/', c: [1] });
});

test('diagnostics are grouped by file, duplicates dropped, printed like a compiler', () => {
  const d = (file: string, line: number, message: string): Diagnostic =>
    ({ file, line, column: 3, severity: 'SEVERITY_ERROR', message, tool: 'gcc' });
  const groups = groupDiagnostics([d('/a.c', 1, 'x'), d('/b.h', 2, 'y'), d('/a.c', 1, 'x'), d('/a.c', 5, 'z')]);
  assert.deepEqual([...groups.keys()], ['/a.c', '/b.h']);
  assert.equal(groups.get('/a.c')!.length, 2);
  assert.equal(formatDiagnostic(d('/a.c', 1, 'x')), '/a.c:1:3: error: x [gcc]');
});

test('diagnostics map to 0-based places in absolute files', () => {
  const base: Diagnostic = { file: 'src/main.c', line: 9, column: 2, severity: 'SEVERITY_FATAL', message: 'm', tool: 'gcc' };
  assert.deepEqual(problemLocation(base, '/app'), { file: '/app/src/main.c', line0: 8, character0: 1, severity: 'error' });
  assert.deepEqual(problemLocation({ ...base, file: '', line: 0, column: 0, severity: 'SEVERITY_WARNING' }, '/app'),
    { file: '/app/CMakeLists.txt', line0: 0, character0: 0, severity: 'warning' });
  assert.equal(problemLocation({ ...base, severity: 'SEVERITY_NOTE' }, '/app').severity, 'info');
});

test('every command the manifest contributes is registered, and the manifest is complete', () => {
  const root = path.resolve(__dirname, '..', '..');
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const source = fs.readFileSync(path.join(root, 'src', 'extension.ts'), 'utf8');
  const registered = new Set([...source.matchAll(/command\('([\w.]+)'/g)].map((m) => m[1]));
  for (const c of manifest.contributes.commands) {
    assert.ok(registered.has(c.command), `${c.command} is contributed but not registered`);
  }
  for (const menu of Object.values(manifest.contributes.menus) as { command: string }[][]) {
    for (const entry of menu) {
      assert.ok(registered.has(entry.command), `menu entry ${entry.command} is not registered`);
    }
  }
  for (const key of ['publisher', 'engines', 'main', 'activationEvents', 'license']) {
    assert.ok(manifest[key], `package.json has ${key}`);
  }
  assert.ok(fs.existsSync(path.join(root, 'LICENSE')), 'vsce needs a LICENSE file');
  assert.equal(manifest.contributes.taskDefinitions[0].type, 'gale');
});
