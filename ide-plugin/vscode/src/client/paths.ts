// Where the extension finds galed, the way the `gale` CLI does (sdk/host paths.h, cli/).
//
//   socket:    the gale.socket setting, else $GALE_SOCKET, else
//              unix:$XDG_RUNTIME_DIR/gale/galed.sock, else unix:/tmp/gale-UID/galed.sock
//   state dir: $XDG_STATE_HOME/gale, else $HOME/.local/state/gale, else
//              /tmp/gale-UID/.local/state/gale; galed's log is STATE_DIR/galed.log
//   galed:     the gale.galedPath setting, else $GALE_GALED, else beside `gale` on PATH,
//              else `galed` on PATH
import * as fs from 'fs';
import * as path from 'path';

export type Env = Record<string, string | undefined>;

function uid(): number {
  return typeof process.getuid === 'function' ? process.getuid() : 0;
}

export function defaultSocketAddress(env: Env = process.env, user: number = uid()): string {
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime) {
    return `unix:${runtime}/gale/galed.sock`;
  }
  return `unix:/tmp/gale-${user}/galed.sock`;
}

/// "unix:/p", "unix:///p" or a bare path with a '/' -> "unix:/p"; anything else as is.
export function normalizeAddress(address: string, cwd: string = process.cwd()): string {
  let p: string | undefined;
  if (address.startsWith('unix://')) {
    p = address.slice(7);
  } else if (address.startsWith('unix:')) {
    p = address.slice(5);
  } else if (address.includes('/') && !address.includes('://')) {
    p = address;
  }
  if (p === undefined) {
    return address;
  }
  return 'unix:' + (path.isAbsolute(p) ? p : path.resolve(cwd, p));
}

export function socketAddress(setting: string | undefined, env: Env = process.env): string {
  if (setting) {
    return normalizeAddress(setting);
  }
  if (env.GALE_SOCKET) {
    return normalizeAddress(env.GALE_SOCKET);
  }
  return defaultSocketAddress(env);
}

/// The socket file of a unix address, or undefined for a TCP one.
export function unixSocketPath(address: string): string | undefined {
  return address.startsWith('unix:') ? address.slice(5) : undefined;
}

export function defaultStateDir(env: Env = process.env, user: number = uid()): string {
  if (env.XDG_STATE_HOME) {
    return `${env.XDG_STATE_HOME}/gale`;
  }
  if (env.HOME) {
    return `${env.HOME}/.local/state/gale`;
  }
  return `/tmp/gale-${user}/.local/state/gale`;
}

export function daemonLogPath(env: Env = process.env): string {
  return path.join(defaultStateDir(env), 'galed.log');
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/// The first executable NAME on PATH, with symlinks resolved (like /proc/self/exe is).
export function whichOnPath(name: string, env: Env = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) {
      try {
        return fs.realpathSync(candidate);
      } catch {
        return candidate;
      }
    }
  }
  return undefined;
}

/// Where galed is, or an error message that says how to make it findable.
export function findGaled(setting: string | undefined, env: Env = process.env): { path?: string; error?: string } {
  if (setting) {
    return isExecutable(setting)
      ? { path: setting }
      : { error: `the gale.galedPath setting names ${setting}, which is not an executable file; fix the setting or clear it to use the galed beside gale on PATH` };
  }
  if (env.GALE_GALED) {
    return isExecutable(env.GALE_GALED)
      ? { path: env.GALE_GALED }
      : { error: `GALE_GALED is ${env.GALE_GALED}, which is not an executable file` };
  }
  const gale = whichOnPath('gale', env);
  if (gale) {
    const beside = path.join(path.dirname(gale), 'galed');
    if (isExecutable(beside)) {
      return { path: beside };
    }
  }
  const galed = whichOnPath('galed', env);
  if (galed) {
    return { path: galed };
  }
  return {
    error: gale
      ? `no galed beside ${gale}; build it (ninja -C build galed) or set gale.galedPath`
      : 'neither gale nor galed is on PATH; add the Gale build/bin folder to PATH or set gale.galedPath',
  };
}
