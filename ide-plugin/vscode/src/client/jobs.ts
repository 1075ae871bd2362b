// Job event streams (Builds.Build, Builds.Run, Flash.Flash, Tests.Run, Jobs.Watch): relay each
// event to a handler and resolve with the job's result.
import * as grpc from '@grpc/grpc-js';
import { describeError, GaleError } from './errors';

export type Severity = 'SEVERITY_UNSPECIFIED' | 'SEVERITY_NOTE' | 'SEVERITY_WARNING' | 'SEVERITY_ERROR' | 'SEVERITY_FATAL';

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  message: string;
  tool: string;
}

export interface Progress {
  phase: string;
  percent: number;
  bytes_done: number;
  bytes_total: number;
  message: string;
}

export interface LogLine {
  stream: string;
  text: string;
  device_id: string;
}

export interface JobResult {
  state: string; // JOB_STATE_*
  error: string;
  exit_code: number;
  detail?: 'build' | 'flash' | 'tests';
  build?: { build_id: string; build_dir: string; elf: string; flash_bytes: number; ram_bytes: number; up_to_date: boolean };
  flash?: { device_id: string; bytes_written: number; verified: boolean; entry: number; seconds: number };
  tests?: { run_id: string; passed: number; failed: number; skipped: number; errors: number; junit: string };
}

export interface JobHandlers {
  onJobId?(id: string): void;
  onProgress?(p: Progress): void;
  onDiagnostic?(d: Diagnostic): void;
  onLog?(l: LogLine): void;
  onTestCase?(t: any): void;
}

export interface JobOutcome {
  jobId: string;
  result: JobResult;
  diagnostics: Diagnostic[];
}

/// Consumes a JobEvent stream. Resolves when the result event has come and the call ended;
/// rejects with a GaleError when the request was refused or the stream broke before a result.
export function consumeJob(call: grpc.ClientReadableStream<any>, handlers: JobHandlers, what: string): Promise<JobOutcome> {
  return new Promise((resolve, reject) => {
    let jobId = '';
    let result: JobResult | undefined;
    const diagnostics: Diagnostic[] = [];
    call.on('data', (event: any) => {
      if (event.job_id && !jobId) {
        jobId = event.job_id;
        handlers.onJobId?.(jobId);
      }
      switch (event.event) {
        case 'progress':
          handlers.onProgress?.(event.progress);
          break;
        case 'diagnostic':
          diagnostics.push(event.diagnostic);
          handlers.onDiagnostic?.(event.diagnostic);
          break;
        case 'log':
          handlers.onLog?.(event.log);
          break;
        case 'test_case':
          handlers.onTestCase?.(event.test_case);
          break;
        case 'result':
          result = event.result;
          break;
        default:
          break; // the first message carries only the job id
      }
    });
    call.on('error', (e: grpc.ServiceError) => {
      if (result && e.code === grpc.status.CANCELLED) {
        resolve({ jobId, result, diagnostics });
        return;
      }
      reject(describeError(e, what));
    });
    call.on('end', () => {
      if (result) {
        resolve({ jobId, result, diagnostics });
      } else {
        reject(new GaleError(`${what}: the daemon ended job ${jobId || '(no id)'} without a result; see \`gale jobs show ${jobId}\``));
      }
    });
  });
}

export function jobSucceeded(result: JobResult): boolean {
  return result.state === 'JOB_STATE_SUCCEEDED';
}

export function stateWord(state: string): string {
  return state.replace(/^JOB_STATE_/, '').toLowerCase();
}

/// Diagnostics grouped by file, in arrival order, de-duplicated (a header's warning repeats for
/// every file that includes it).
export function groupDiagnostics(list: Diagnostic[]): Map<string, Diagnostic[]> {
  const byFile = new Map<string, Diagnostic[]>();
  const seen = new Set<string>();
  for (const d of list) {
    const key = `${d.file}\0${d.line}\0${d.column}\0${d.severity}\0${d.message}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    const file = d.file || '';
    const entries = byFile.get(file) ?? [];
    entries.push(d);
    byFile.set(file, entries);
  }
  return byFile;
}

/// A diagnostic as a compiler would print it: "file:line:col: error: message".
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}: ` : '';
  const sev = d.severity.replace(/^SEVERITY_/, '').toLowerCase();
  return `${where}${sev === 'unspecified' ? 'note' : sev}: ${d.message}${d.tool ? ` [${d.tool}]` : ''}`;
}

export interface ProblemLocation {
  file: string; // absolute
  line0: number; // 0-based
  character0: number; // 0-based
  severity: 'error' | 'warning' | 'info';
}

/// Where the Problems panel shows a diagnostic: its file (made absolute against the app
/// folder; the app's CMakeLists.txt when the tool named none), 0-based line and column.
export function problemLocation(d: Diagnostic, appDir: string): ProblemLocation {
  let file = d.file;
  if (!file) {
    file = `${appDir}/CMakeLists.txt`;
  } else if (!file.startsWith('/')) {
    file = `${appDir}/${file}`;
  }
  const severity = d.severity === 'SEVERITY_ERROR' || d.severity === 'SEVERITY_FATAL'
    ? 'error'
    : d.severity === 'SEVERITY_WARNING' ? 'warning' : 'info';
  return { file, line0: Math.max(0, d.line - 1), character0: Math.max(0, d.column - 1), severity };
}
