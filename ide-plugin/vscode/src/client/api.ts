// The calls the extension makes, as plain async functions over a GaleConnection. No `vscode`
// here: everything is testable under Node against a real galed.
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { GaleConnection } from './connection';
import { describeError, GaleError } from './errors';
import { consumeJob, JobHandlers, JobOutcome } from './jobs';

export interface Board {
  name: string;
  full_name: string;
  vendor: string;
  arch: string;
  soc: string;
  cpu: string;
  emulator: string;
  qemu_machine: string;
  ram_kb: number;
  flash_kb: number;
  dir: string;
}

export interface Device {
  id: string;
  name: string;
  board: string;
  kind: string; // DEVICE_KIND_*
  state: string; // DEVICE_STATE_*
  exit_code: number;
  image: string;
  error: string;
  serial: string;
  probe: string;
  probe_description: string;
  tty: string;
  permission_problem: string;
  bound: boolean;
}

export interface DebugServer {
  address: string;
  image: string;
  gdb: string;
  arch: string;
}

export interface Job {
  id: string;
  kind: string;
  state: string;
  summary: string;
  device_id: string;
  board: string;
  created_us: number;
  started_us: number;
  finished_us: number;
  error: string;
  exit_code: number;
}

function absolute(p: string, what: string): string {
  if (!p) {
    throw new GaleError(`${what} is empty`);
  }
  return path.resolve(p);
}

export async function listBoards(c: GaleConnection, arch = ''): Promise<Board[]> {
  const res = await c.unary('Boards', 'ListBoards', { arch }, 'listing boards');
  return res.boards as Board[];
}

export async function listDevices(c: GaleConnection): Promise<Device[]> {
  const res = await c.unary('Devices', 'ListDevices', {}, 'listing devices');
  return res.devices as Device[];
}

export function createDevice(c: GaleConnection, board: string, name = ''): Promise<Device> {
  return c.unary('Devices', 'Create', { board, name }, `starting an emulated ${board}`, 60000);
}

export function deleteDevice(c: GaleConnection, id: string): Promise<unknown> {
  return c.unary('Devices', 'Delete', { id }, `stopping ${id}`);
}

export function resetDevice(c: GaleConnection, id: string): Promise<Device> {
  return c.unary('Devices', 'Reset', { id }, `resetting ${id}`);
}

export function debugServer(c: GaleConnection, id: string): Promise<DebugServer> {
  return c.unary('Devices', 'Debug', { id }, `starting the GDB server of ${id}`, 60000);
}

export async function listJobs(c: GaleConnection, limit = 50): Promise<Job[]> {
  const res = await c.unary('Jobs', 'ListJobs', { limit }, 'listing jobs');
  return res.jobs as Job[];
}

export function cancelJob(c: GaleConnection, id: string): Promise<Job> {
  return c.unary('Jobs', 'Cancel', { id }, `cancelling ${id}`);
}

export interface DeviceEvent {
  kind: 'KIND_ADDED' | 'KIND_CHANGED' | 'KIND_REMOVED' | 'KIND_UNSPECIFIED';
  device: Device;
}

/// Devices.Watch: every current device as ADDED, then changes. Returns a function that stops.
export function watchDevices(c: GaleConnection, onEvent: (e: DeviceEvent) => void, onEnd: (error?: GaleError) => void): () => void {
  const call: grpc.ClientReadableStream<DeviceEvent> = c.service('Devices').Watch({});
  let stopped = false;
  call.on('data', onEvent);
  call.on('error', (e: grpc.ServiceError) => {
    if (!stopped) {
      onEnd(describeError(e, 'watching devices', c.address));
    }
  });
  call.on('end', () => {
    if (!stopped) {
      onEnd();
    }
  });
  return () => {
    stopped = true;
    call.cancel();
  };
}

export interface BuildOptions {
  appDir: string;
  board: string;
  buildDir?: string;
  pristine?: boolean;
  cmakeArgs?: string[];
}

function buildRequest(o: BuildOptions) {
  if (!o.board) {
    throw new GaleError('no board chosen: pick one first (Gale: Select Board)');
  }
  return {
    app_dir: absolute(o.appDir, 'the application folder'),
    board: o.board,
    build_dir: o.buildDir ? path.resolve(o.appDir, o.buildDir) : '',
    pristine: !!o.pristine,
    cmake_args: o.cmakeArgs ?? [],
  };
}

/// A running job: its outcome, and a way to cancel it (the daemon then cancels the job).
export interface RunningJob {
  outcome: Promise<JobOutcome>;
  cancel(): void;
}

function startJob(call: grpc.ClientReadableStream<any>, handlers: JobHandlers, what: string): RunningJob {
  return { outcome: consumeJob(call, handlers, what), cancel: () => call.cancel() };
}

export function build(c: GaleConnection, o: BuildOptions, handlers: JobHandlers = {}): RunningJob {
  const request = buildRequest(o);
  return startJob(c.service('Builds').Build(request), handlers, `building ${request.app_dir} for ${o.board}`);
}

export function run(c: GaleConnection, o: BuildOptions & { timeoutS?: number }, handlers: JobHandlers = {}): RunningJob {
  const request = { build: buildRequest(o), timeout_s: o.timeoutS ?? 0, icount_shift: 0 };
  return startJob(c.service('Builds').Run(request), handlers, `running ${request.build.app_dir} on ${o.board}`);
}

export interface FlashOptions {
  deviceId?: string;
  buildDir?: string;
  elf?: string;
  noVerify?: boolean;
  noRun?: boolean;
}

export function flash(c: GaleConnection, o: FlashOptions, handlers: JobHandlers = {}): RunningJob {
  if (!o.buildDir && !o.elf) {
    throw new GaleError('nothing to flash: build the application first (Gale: Build)');
  }
  const request = {
    device_id: o.deviceId ?? '',
    build_dir: o.buildDir ? absolute(o.buildDir, 'the build folder') : '',
    elf: o.elf ? absolute(o.elf, 'the image') : '',
    runner: '',
    no_verify: !!o.noVerify,
    no_run: !!o.noRun,
  };
  const target = o.deviceId || 'the only device';
  return startJob(c.service('Flash').Flash(request), handlers, `flashing ${target}`);
}

export interface TestOptions {
  paths: string[];
  boards: string[];
  tags?: string[];
  junitPath?: string;
  parallel?: number;
}

export function runTests(c: GaleConnection, o: TestOptions, handlers: JobHandlers = {}): RunningJob {
  const request = {
    paths: o.paths.map((p) => absolute(p, 'a test folder')),
    boards: o.boards,
    tags: o.tags ?? [],
    junit_path: o.junitPath ? absolute(o.junitPath, 'the JUnit file') : '',
    parallel: o.parallel ?? 0,
    work_dir: '',
  };
  return startJob(c.service('Tests').Run(request), handlers, `running the tests in ${o.paths.join(', ')}`);
}

export function watchJob(c: GaleConnection, id: string, handlers: JobHandlers = {}): RunningJob {
  return startJob(c.service('Jobs').Watch({ id }), handlers, `watching job ${id}`);
}
