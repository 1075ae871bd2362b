// The Devices view (live through Devices.Watch) and the Jobs view (Jobs.ListJobs).
import * as vscode from 'vscode';
import * as api from '../client/api';
import { stateWord } from '../client/jobs';
import { deviceStateWord, GaleState } from './state';

export class DeviceItem extends vscode.TreeItem {
  constructor(readonly device: api.Device, selected: boolean) {
    super(device.name && device.name !== device.id ? device.name : device.id, vscode.TreeItemCollapsibleState.None);
    const physical = device.kind === 'DEVICE_KIND_PHYSICAL';
    this.description = `${device.board || 'unbound'} · ${deviceStateWord(device)}${selected ? ' · selected' : ''}`;
    const lines = [`${device.id}`, `board: ${device.board || '(none: bind it with gale devices assign)'}`, `state: ${deviceStateWord(device)}`];
    if (device.image) {
      lines.push(`image: ${device.image}`);
    }
    if (physical) {
      lines.push(`probe: ${device.probe_description || device.probe} (serial ${device.serial})`);
      if (device.tty) {
        lines.push(`serial port: ${device.tty}`);
      }
      if (device.permission_problem) {
        lines.push(`no access: ${device.permission_problem}`);
      }
    }
    this.tooltip = lines.join('\n');
    this.iconPath = new vscode.ThemeIcon(
      device.permission_problem ? 'warning' : physical ? 'plug' : 'vm',
      device.state === 'DEVICE_STATE_RUNNING' ? new vscode.ThemeColor('testing.iconPassed')
        : device.state === 'DEVICE_STATE_OFFLINE' ? new vscode.ThemeColor('testing.iconFailed') : undefined);
    this.contextValue = physical ? 'device-physical' : 'device-emulated';
    this.command = { command: 'gale.useDevice', title: 'Use this device', arguments: [device.id] };
  }
}

export class DevicesView implements vscode.TreeDataProvider<vscode.TreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private stopWatch?: () => void;
  private retry?: NodeJS.Timeout;
  private status = 'connecting to galed…';
  private disposed = false;

  constructor(private readonly state: GaleState) {}

  /// (Re)starts Devices.Watch; when the stream ends the daemon is gone: reconnect in a while.
  async watch(): Promise<void> {
    this.stopWatch?.();
    clearTimeout(this.retry);
    try {
      const conn = await this.state.connect();
      this.state.devices.clear();
      this.status = '';
      this.stopWatch = api.watchDevices(conn, (e) => {
        if (e.kind === 'KIND_REMOVED') {
          this.state.devices.delete(e.device.id);
        } else {
          this.state.devices.set(e.device.id, e.device);
        }
        this.state.refreshStatusBar();
        this.changed.fire();
      }, (error) => {
        this.status = error ? error.message : 'galed closed the device watch';
        this.state.log(`devices: ${this.status}; reconnecting in 5 s`);
        this.state.dropConnection();
        this.changed.fire();
        this.scheduleRetry();
      });
    } catch (e) {
      this.status = e instanceof Error ? e.message : String(e);
      this.state.log(`devices: ${this.status}`);
      this.changed.fire();
      this.scheduleRetry();
    }
  }

  private scheduleRetry(): void {
    if (!this.disposed) {
      this.retry = setTimeout(() => void this.watch(), 5000);
    }
  }

  redraw(): void {
    this.changed.fire();
  }

  getTreeItem(item: vscode.TreeItem): vscode.TreeItem {
    return item;
  }

  getChildren(): vscode.TreeItem[] {
    if (this.status) {
      const item = new vscode.TreeItem(this.status);
      item.iconPath = new vscode.ThemeIcon('warning');
      item.tooltip = this.status;
      return [item];
    }
    const selected = this.state.device();
    return [...this.state.devices.values()].map((d) => new DeviceItem(d, d.id === selected || d.name === selected));
  }

  dispose(): void {
    this.disposed = true;
    this.stopWatch?.();
    clearTimeout(this.retry);
    this.changed.dispose();
  }
}

export class JobItem extends vscode.TreeItem {
  constructor(readonly job: api.Job) {
    super(job.summary || `${job.kind} ${job.id}`, vscode.TreeItemCollapsibleState.None);
    const seconds = job.finished_us && job.started_us ? ` · ${((job.finished_us - job.started_us) / 1e6).toFixed(1)} s` : '';
    this.description = `${stateWord(job.state)}${seconds}`;
    this.tooltip = [`${job.id} (${job.kind})`, `state: ${stateWord(job.state)}`,
      `created: ${new Date(job.created_us / 1000).toLocaleString()}`, job.error ? `error: ${job.error}` : ''].filter(Boolean).join('\n');
    const running = job.state === 'JOB_STATE_RUNNING' || job.state === 'JOB_STATE_QUEUED';
    this.iconPath = new vscode.ThemeIcon(
      running ? 'sync~spin' : job.state === 'JOB_STATE_SUCCEEDED' ? 'pass' : job.state === 'JOB_STATE_FAILED' ? 'error' : 'circle-slash');
    this.contextValue = running ? 'job-running' : 'job';
    this.command = { command: 'gale.showJobLog', title: 'Show job events', arguments: [this] };
  }
}

export class JobsView implements vscode.TreeDataProvider<JobItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private jobs: api.Job[] = [];
  private status = '';
  private timer?: NodeJS.Timeout;

  constructor(private readonly state: GaleState) {}

  async refresh(): Promise<void> {
    try {
      this.jobs = await api.listJobs(await this.state.connect(), 50);
      this.status = '';
    } catch (e) {
      this.status = e instanceof Error ? e.message : String(e);
    }
    this.changed.fire();
    // While a job runs, follow it.
    clearTimeout(this.timer);
    if (this.jobs.some((j) => j.state === 'JOB_STATE_RUNNING' || j.state === 'JOB_STATE_QUEUED')) {
      this.timer = setTimeout(() => void this.refresh(), 2000);
    }
  }

  getTreeItem(item: JobItem): vscode.TreeItem {
    return item;
  }

  getChildren(): JobItem[] {
    if (this.status) {
      const item = new vscode.TreeItem(this.status);
      item.iconPath = new vscode.ThemeIcon('warning');
      return [item as JobItem];
    }
    return this.jobs.map((j) => new JobItem(j));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
  }
}
