// Turns gRPC failures into sentences a user can act on.
import * as grpc from '@grpc/grpc-js';

export class GaleError extends Error {
  constructor(message: string, readonly code?: grpc.status) {
    super(message);
    this.name = 'GaleError';
  }
}

function isServiceError(e: unknown): e is grpc.ServiceError {
  return typeof e === 'object' && e !== null && 'code' in e && 'details' in e;
}

/// What went wrong, in one line: the daemon's own message when it gave one (it names the input
/// and what to do), else what the status means for a user.
export function describeError(e: unknown, what: string, address?: string): GaleError {
  if (e instanceof GaleError) {
    return e;
  }
  if (!isServiceError(e)) {
    return new GaleError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const details = e.details || '';
  switch (e.code) {
    case grpc.status.UNAVAILABLE:
      return new GaleError(
        `${what}: galed is not reachable${address ? ` at ${address}` : ''} (${details || 'unavailable'}); ` +
          'run "Gale: Start Daemon" or `gale daemon status`',
        e.code,
      );
    case grpc.status.DEADLINE_EXCEEDED:
      return new GaleError(`${what}: galed did not answer in time; it may be busy or stuck (see its log)`, e.code);
    case grpc.status.UNIMPLEMENTED:
      return new GaleError(`${what}: this galed does not offer it (${details || 'unimplemented'}); update Gale`, e.code);
    case grpc.status.CANCELLED:
      return new GaleError(`${what}: cancelled`, e.code);
    default:
      return new GaleError(`${what}: ${details || grpc.status[e.code]}`, e.code);
  }
}
