// `gale` tasks: build, pristine build, flash, run and tests, each a galed job shown in a task
// terminal (progress, tool output, diagnostics printed like a compiler's and put in the Problems
// panel). The commands Build, Flash, ... run these tasks, so the keybindings and tasks.json
// entries a user makes behave alike.
import * as path from 'path';
import * as vscode from 'vscode';
import * as api from '../client/api';
import { GaleError } from '../client/errors';
import { Diagnostic, formatDiagnostic, JobHandlers, JobOutcome, jobSucceeded, stateWord } from '../client/jobs';
import { Problems } from './problems';
import { GaleState } from './state';

export type GaleTaskCommand = 'build' | 'pristineBuild' | 'flash' | 'run' | 'tests';

export interface GaleTaskDefinition extends vscode.TaskDefinition {
  type: 'gale';
  command: GaleTaskCommand;
  app?: string;
  board?: string;
  device?: string;
}

const kLabels: Record<GaleTaskCommand, string> = {
  build: 'build',
  pristineBuild: 'pristine build',
  flash: 'flash',
  run: 'run on an emulator',
  tests: 'run tests',
};

export class GaleTasks implements vscode.TaskProvider, vscode.Disposable {
  static readonly type = 'gale';
  private readonly registration: vscode.Disposable;
  private readonly finished = new vscode.EventEmitter<{ command: GaleTaskCommand; outcome?: JobOutcome }>();
  readonly onDidFinishJob = this.finished.event;

  constructor(private readonly state: GaleState, private readonly problems: Problems) {
    this.registration = vscode.tasks.registerTaskProvider(GaleTasks.type, this);
  }

  provideTasks(): vscode.Task[] {
    const tasks: vscode.Task[] = [];
    for (const command of Object.keys(kLabels) as GaleTaskCommand[]) {
      tasks.push(this.task({ type: 'gale', command }));
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const def = task.definition as GaleTaskDefinition;
    if (!(def.command in kLabels)) {
      return undefined;
    }
    return this.task(def, task.scope, task.name);
  }

  task(def: GaleTaskDefinition, scope?: vscode.TaskScope | vscode.WorkspaceFolder, name?: string): vscode.Task {
    const folder = scope ?? vscode.workspace.workspaceFolders?.[0] ?? vscode.TaskScope.Workspace;
    const task = new vscode.Task(def, folder, name ?? kLabels[def.command], 'gale',
      new vscode.CustomExecution(async (resolved) => new JobTerminal(this.state, this.problems, resolved as GaleTaskDefinition,
        (outcome) => this.finished.fire({ command: def.command, outcome }))));
    if (def.command === 'build' || def.command === 'pristineBuild') {
      task.group = vscode.TaskGroup.Build;
    } else if (def.command === 'tests') {
      task.group = vscode.TaskGroup.Test;
    }
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true, panel: vscode.TaskPanelKind.Shared };
    return task;
  }

  async run(def: GaleTaskDefinition): Promise<void> {
    await vscode.tasks.executeTask(this.task(def));
  }

  dispose(): void {
    this.registration.dispose();
    this.finished.dispose();
  }
}

const kRed = '\x1b[31m';
const kYellow = '\x1b[33m';
const kDim = '\x1b[2m';
const kGreen = '\x1b[32m';
const kReset = '\x1b[0m';

class JobTerminal implements vscode.Pseudoterminal {
  private readonly write = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.write.event;
  readonly onDidClose = this.closed.event;
  private job?: api.RunningJob;
  private lastProgress = '';

  constructor(private readonly state: GaleState, private readonly problems: Problems,
    private readonly def: GaleTaskDefinition, private readonly done: (outcome?: JobOutcome) => void) {}

  private line(text: string, color = ''): void {
    this.write.fire(`${color}${text.replace(/\r?\n/g, '\r\n')}${color ? kReset : ''}\r\n`);
  }

  open(): void {
    this.start().then(
      (outcome) => {
        this.done(outcome);
        this.closed.fire(outcome && jobSucceeded(outcome.result) ? 0 : 1);
      },
      (e) => {
        this.line(`gale: ${e instanceof Error ? e.message : String(e)}`, kRed);
        if (e instanceof GaleError && /not reachable/.test(e.message)) {
          this.state.dropConnection();
        }
        this.done();
        this.closed.fire(1);
      });
  }

  handleInput(data: string): void {
    if (data === '\x03' && this.job) {
      this.line('cancelling…', kYellow);
      this.job.cancel();
    }
  }

  private async start(): Promise<JobOutcome | undefined> {
    const def = this.def;
    const app = def.app ? path.resolve(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '/', def.app) : await this.state.currentApp();
    if (!app) {
      throw new GaleError('no application chosen (Gale: Select Application)');
    }
    const conn = await this.state.connect();
    const diagnostics: Diagnostic[] = [];
    const handlers: JobHandlers = {
      onJobId: (id) => this.line(`job ${id}`, kDim),
      onProgress: (p) => {
        const text = p.message || p.phase;
        if (text && text !== this.lastProgress) {
          this.lastProgress = text;
          this.line(`${p.percent >= 0 ? `[${Math.round(p.percent).toString().padStart(3)}%] ` : ''}${p.phase}: ${text}`, kDim);
        }
      },
      onDiagnostic: (d) => {
        diagnostics.push(d);
        this.problems.set(app, diagnostics);
        const color = d.severity === 'SEVERITY_ERROR' || d.severity === 'SEVERITY_FATAL' ? kRed : d.severity === 'SEVERITY_WARNING' ? kYellow : '';
        this.line(formatDiagnostic(d), color);
      },
      onLog: (l) => this.line(l.text, l.stream === 'stderr' ? kYellow : ''),
      onTestCase: (t) => this.line(`${t.status.padEnd(7)} ${t.scenario} ${t.suite}.${t.name}${t.message ? ` — ${t.message}` : ''}`,
        t.status === 'passed' ? kGreen : t.status === 'failed' ? kRed : kDim),
    };
    switch (def.command) {
      case 'build':
      case 'pristineBuild': {
        const board = def.board || (await this.state.requireBoard(app));
        if (!board) {
          throw new GaleError('no board chosen: pick one in the status bar (Gale: Select Board)');
        }
        this.problems.clear(app);
        this.line(`${def.command === 'pristineBuild' ? 'pristine build' : 'build'} ${app} for ${board}`);
        this.job = api.build(conn, {
          appDir: app, board, buildDir: this.state.buildDir(app), pristine: def.command === 'pristineBuild',
          cmakeArgs: this.state.config(app).get<string[]>('cmakeArgs') ?? [],
        }, handlers);
        break;
      }
      case 'run': {
        const board = def.board || (await this.state.requireBoard(app));
        if (!board) {
          throw new GaleError('no board chosen: pick one in the status bar (Gale: Select Board)');
        }
        this.problems.clear(app);
        this.line(`run ${app} on an emulated ${board}`);
        this.job = api.run(conn, { appDir: app, board, buildDir: this.state.buildDir(app), cmakeArgs: this.state.config(app).get<string[]>('cmakeArgs') ?? [] }, handlers);
        break;
      }
      case 'flash': {
        const device = def.device || (await this.state.requireDevice());
        if (!device) {
          throw new GaleError('no device chosen (Gale: Select Device, or start an emulated one)');
        }
        this.line(`flash ${this.state.buildDir(app)} to ${device}`);
        this.job = api.flash(conn, { deviceId: device, buildDir: this.state.buildDir(app) }, handlers);
        break;
      }
      case 'tests': {
        const boards = def.board ? [def.board] : (this.state.config(app).get<string[]>('tests.boards') ?? []);
        if (boards.length === 0) {
          const board = await this.state.requireBoard(app);
          if (!board) {
            throw new GaleError('no board to run the tests on: set gale.tests.boards or pick a board');
          }
          boards.push(board);
        }
        this.line(`tests under ${app} on ${boards.join(', ')}`);
        this.job = api.runTests(conn, { paths: [app], boards }, handlers);
        break;
      }
    }
    const outcome = await this.job!.outcome;
    this.report(outcome);
    return outcome;
  }

  private report(outcome: JobOutcome): void {
    const r = outcome.result;
    if (!jobSucceeded(r)) {
      this.line(`${stateWord(r.state)}: ${r.error || 'see the job\'s events'} (job ${outcome.jobId})`, kRed);
      return;
    }
    if (r.build) {
      this.line(`${r.build.up_to_date ? 'up to date' : 'built'}: ${r.build.elf} (flash ${r.build.flash_bytes} B, ram ${r.build.ram_bytes} B)`, kGreen);
    } else if (r.flash) {
      this.line(`flashed ${r.flash.bytes_written} B to ${r.flash.device_id}${r.flash.verified ? ', verified' : ''}, in ${r.flash.seconds.toFixed(2)} s`, kGreen);
    } else if (r.tests) {
      const t = r.tests;
      this.line(`${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped, ${t.errors} errors (run ${t.run_id})`, t.failed || t.errors ? kRed : kGreen);
    } else {
      this.line(`succeeded${r.exit_code ? `, exit code ${r.exit_code}` : ''}`, kGreen);
    }
  }

  close(): void {
    this.job?.cancel();
  }
}
