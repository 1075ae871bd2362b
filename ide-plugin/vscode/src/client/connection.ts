// A connection to galed: the service stubs, promise-returning unary calls, and starting galed
// when none answers (as `gale` does: galed --listen ADDR, detached, output to its log).
import * as child_process from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { galeV1 } from './protos';
import { describeError, GaleError } from './errors';
import { daemonLogPath, Env, unixSocketPath } from './paths';

type Stub = grpc.Client & Record<string, (...args: any[]) => any>;

export const kServices = [
  'Sdk', 'Boards', 'Builds', 'Devices', 'Flash', 'Jobs', 'Console', 'Rtt', 'Shell', 'Tests', 'Config', 'Logs',
] as const;
export type ServiceName = (typeof kServices)[number];

export interface StartOptions {
  galed: string; // the executable
  env?: Env; // environment of the started daemon (default: this process's)
  logPath?: string; // default STATE_DIR/galed.log
  waitMs?: number; // how long to wait for it to answer (default 15 s)
}

export class GaleConnection {
  private readonly stubs = new Map<ServiceName, Stub>();
  private readonly channel: grpc.Channel;

  constructor(readonly address: string) {
    this.channel = new grpc.Channel(address, grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
    });
  }

  service(name: ServiceName): Stub {
    let stub = this.stubs.get(name);
    if (!stub) {
      const ctor = galeV1()[name] as grpc.ServiceClientConstructor;
      stub = new ctor(this.address, grpc.credentials.createInsecure(), {
        channelOverride: this.channel,
      }) as unknown as Stub;
      this.stubs.set(name, stub);
    }
    return stub;
  }

  /// A unary call; rejects with a GaleError whose message says what failed.
  unary<Res = any>(service: ServiceName, method: string, request: object, what: string, timeoutMs = 30000): Promise<Res> {
    const stub = this.service(service);
    return new Promise((resolve, reject) => {
      const deadline = timeoutMs > 0 ? new Date(Date.now() + timeoutMs) : Infinity;
      stub[method](request, { deadline }, (err: grpc.ServiceError | null, res: Res) => {
        if (err) {
          reject(describeError(err, what, this.address));
        } else {
          resolve(res);
        }
      });
    });
  }

  /// Sdk.GetStatus with a short deadline; waitForReady drives the connection attempt itself.
  async status(timeoutMs = 1000, waitForReady = false): Promise<any> {
    const stub = this.service('Sdk');
    return new Promise((resolve, reject) => {
      stub.GetStatus({}, { deadline: new Date(Date.now() + timeoutMs), waitForReady } as grpc.CallOptions,
        (err: grpc.ServiceError | null, res: any) => (err ? reject(err) : resolve(res)));
    });
  }

  /// Answers with the daemon's status, starting galed first when none answers on a unix socket.
  /// Resolves { status, started }.
  async ensureDaemon(options: StartOptions): Promise<{ status: any; started: boolean }> {
    try {
      return { status: await this.status(), started: false };
    } catch (e) {
      const err = e as grpc.ServiceError;
      if (err.code !== grpc.status.UNAVAILABLE && err.code !== grpc.status.DEADLINE_EXCEEDED) {
        throw describeError(e, `galed at ${this.address} does not answer`, this.address);
      }
    }
    const socket = unixSocketPath(this.address);
    if (!socket) {
      throw new GaleError(`no daemon answers at ${this.address}; the extension starts one only on a unix socket`);
    }
    const env = options.env ?? process.env;
    const logPath = options.logPath ?? daemonLogPath(env);
    const child = spawnDaemon(options.galed, this.address, logPath, env);
    const logOffset = child.logOffset;
    let exited: string | undefined;
    child.process.once('exit', (code, signal) => {
      exited = code !== null ? `exited with status ${code}` : `was killed by signal ${signal}`;
    });
    child.process.once('error', (e) => {
      exited = `could not be started (${e.message})`;
    });
    const failure = (what: string) => {
      const tail = readLogTail(logPath, logOffset, 20);
      return new GaleError(`${what}; its log is ${logPath}${tail ? `, ending with:\n${tail}` : ''}`);
    };
    const deadline = Date.now() + (options.waitMs ?? 15000);
    let last = '';
    while (Date.now() < deadline) {
      if (exited !== undefined) {
        // Another client may have started one at the same moment: ours then exits.
        try {
          return { status: await this.status(), started: false };
        } catch {
          throw failure(`galed (${options.galed}) ${exited} before answering at ${this.address}`);
        }
      }
      try {
        return { status: await this.status(300, true), started: true };
      } catch (e) {
        last = (e as grpc.ServiceError).details ?? String(e);
      }
    }
    throw failure(`galed (pid ${child.process.pid}) started but did not answer at ${this.address} within ${Math.round((options.waitMs ?? 15000) / 1000)} s (${last})`);
  }

  close(): void {
    for (const stub of this.stubs.values()) {
      stub.close();
    }
    this.stubs.clear();
    this.channel.close();
  }
}

function spawnDaemon(galed: string, address: string, logPath: string, env: Env) {
  try {
    fs.accessSync(galed, fs.constants.X_OK);
  } catch (e) {
    throw new GaleError(`cannot start the daemon: ${galed} is not there or not executable; build it (ninja -C build galed) or set gale.galedPath`);
  }
  const logDir = path.dirname(logPath);
  if (!fs.existsSync(logDir)) {
    fs.mkdirSync(logDir, { recursive: true, mode: 0o700 });
  }
  let logOffset = 0;
  try {
    logOffset = fs.statSync(logPath).size;
  } catch {
    // a new log
  }
  const fd = fs.openSync(logPath, 'a', 0o600);
  try {
    const proc = child_process.spawn(galed, ['--listen', address], {
      cwd: '/',
      detached: true, // its own session: it outlives VS Code's window, like a daemon `gale` starts
      stdio: ['ignore', fd, fd],
      env: env as NodeJS.ProcessEnv,
    });
    proc.unref();
    return { process: proc, logOffset };
  } finally {
    fs.closeSync(fd);
  }
}

export function readLogTail(file: string, offset: number, lines: number): string {
  try {
    const text = fs.readFileSync(file).subarray(offset).toString('utf8');
    return text.split('\n').filter((l) => l.length > 0).slice(-lines).join('\n');
  } catch {
    return '';
  }
}
