// Debug launch configurations for a device's GDB server (Devices.Debug: "127.0.0.1:PORT" and
// the ELF), in the flavours of the cortex-debug and the C/C++ (cppdbg) extensions, and writing
// them into .vscode/launch.json without losing the user's other configurations.
import * as fs from 'fs';
import * as path from 'path';
import { DebugServer } from './api';
import { GaleError } from './errors';

export type Flavour = 'cortex-debug' | 'cppdbg';

export interface LaunchInput {
  server: DebugServer;
  deviceId: string;
  cwd: string; // the application folder
}

function requireImage(input: LaunchInput): void {
  if (!input.server.image) {
    throw new GaleError(`${input.deviceId} has not been flashed yet, so there are no symbols to debug: flash it first (Gale: Flash)`);
  }
  if (!/^[^:]+:\d+$/.test(input.server.address)) {
    throw new GaleError(`the GDB server address of ${input.deviceId} is "${input.server.address}", not HOST:PORT`);
  }
}

export function launchName(flavour: Flavour, deviceId: string): string {
  return `Gale: debug ${deviceId} (${flavour})`;
}

export function cortexDebugConfig(input: LaunchInput): Record<string, unknown> {
  requireImage(input);
  return {
    name: launchName('cortex-debug', input.deviceId),
    type: 'cortex-debug',
    request: 'attach',
    servertype: 'external',
    gdbTarget: input.server.address,
    executable: input.server.image,
    gdbPath: input.server.gdb || 'gdb-multiarch',
    cwd: input.cwd,
    showDevDebugOutput: 'none',
  };
}

export function cppdbgConfig(input: LaunchInput): Record<string, unknown> {
  requireImage(input);
  const setup: { text: string; description: string; ignoreFailures?: boolean }[] = [];
  if (input.server.arch) {
    setup.push({ text: `set architecture ${input.server.arch}`, description: 'the device\'s architecture' });
  }
  return {
    name: launchName('cppdbg', input.deviceId),
    type: 'cppdbg',
    request: 'launch',
    program: input.server.image,
    cwd: input.cwd,
    MIMode: 'gdb',
    miDebuggerPath: input.server.gdb || 'gdb-multiarch',
    miDebuggerServerAddress: input.server.address,
    stopAtConnect: true,
    setupCommands: setup,
    externalConsole: false,
  };
}

export function launchConfig(flavour: Flavour, input: LaunchInput): Record<string, unknown> {
  return flavour === 'cortex-debug' ? cortexDebugConfig(input) : cppdbgConfig(input);
}

/// launch.json is JSON with comments and trailing commas: strip those, outside strings.
export function parseJsonc(text: string): any {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') {
        j += text[j] === '\\' ? 2 : 1;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') {
        i++;
      }
    } else if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else {
      out += ch;
      i++;
    }
  }
  out = out.replace(/,(\s*[}\]])/g, '$1');
  return out.trim() === '' ? {} : JSON.parse(out);
}

/// Adds or replaces (by name) `config` in FOLDER/.vscode/launch.json; returns the file's path.
export function writeLaunchConfig(folder: string, config: Record<string, unknown>): string {
  const dir = path.join(folder, '.vscode');
  const file = path.join(dir, 'launch.json');
  let doc: any = { version: '0.2.0', configurations: [] };
  if (fs.existsSync(file)) {
    try {
      doc = parseJsonc(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new GaleError(`${file} is not valid JSON (${(e as Error).message}); fix it, or move it away and debug again`);
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      throw new GaleError(`${file} does not hold a JSON object; fix it, or move it away and debug again`);
    }
    if (!Array.isArray(doc.configurations)) {
      doc.configurations = [];
    }
    doc.version ??= '0.2.0';
  }
  const index = doc.configurations.findIndex((c: any) => c && c.name === config.name);
  if (index >= 0) {
    doc.configurations[index] = config;
  } else {
    doc.configurations.push(config);
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  return file;
}
