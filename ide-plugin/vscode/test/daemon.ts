// A private galed for the tests: its own XDG_RUNTIME_DIR and XDG_STATE_HOME under a temporary
// folder, started by the extension's own GaleConnection.ensureDaemon.
//
// galed is taken from $GALE_BIN_DIR (default: the repository's build/bin).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GaleConnection } from '../src/client/connection';
import { defaultSocketAddress } from '../src/client/paths';

export const kRepo = path.resolve(__dirname, '..', '..', '..', '..');

export function binDir(): string {
  return process.env.GALE_BIN_DIR ? path.resolve(process.env.GALE_BIN_DIR) : path.join(kRepo, 'build', 'bin');
}

export function galedPath(): string {
  const galed = path.join(binDir(), 'galed');
  if (!fs.existsSync(galed)) {
    throw new Error(`${galed} is missing: build Gale's host tools (ninja -C build galed) or set GALE_BIN_DIR to the folder that holds galed`);
  }
  return galed;
}

export interface TestDaemon {
  root: string;
  env: Record<string, string | undefined>;
  connection: GaleConnection;
  started: boolean;
  pid: number;
  stop(): Promise<void>;
}

export async function startTestDaemon(): Promise<TestDaemon> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gale-vscode-'));
  const run = path.join(root, 'run');
  const state = path.join(root, 'state');
  fs.mkdirSync(run, { mode: 0o700 });
  fs.mkdirSync(state);
  const env: Record<string, string | undefined> = { ...process.env, XDG_RUNTIME_DIR: run, XDG_STATE_HOME: state };
  delete env.GALE_SOCKET;
  const connection = new GaleConnection(defaultSocketAddress(env));
  const { status, started } = await connection.ensureDaemon({ galed: galedPath(), env, waitMs: 30000 });
  const pid = Number(status.pid);
  return {
    root,
    env,
    connection,
    started,
    pid,
    stop: async () => {
      try {
        await connection.unary('Sdk', 'Shutdown', {}, 'stopping the test daemon', 20000);
      } catch {
        // killed below
      }
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
      connection.close();
      if (!process.env.GALE_KEEP_TEST_DIR) {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

/// A copy of a sample application in the test folder (without its build folder).
export function copyApp(sample: string, into: string): string {
  return copyTree(path.join('samples', sample), into);
}

/// A copy of a folder of the repository (e.g. a test suite), without its build folder.
export function copyTree(relative: string, into: string): string {
  const dest = path.join(into, relative.replace(/\//g, '_'));
  fs.cpSync(path.join(kRepo, relative), dest, {
    recursive: true,
    filter: (src) => path.basename(src) !== 'build',
  });
  return dest;
}
