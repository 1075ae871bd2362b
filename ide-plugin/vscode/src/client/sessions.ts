// Byte-stream sessions with a device: its console (Console.Attach), an RTT channel
// (Rtt.Stream + Rtt.Write) and its shell (Shell.Session). The editor's terminals sit on these.
import * as grpc from '@grpc/grpc-js';
import { GaleConnection } from './connection';
import { describeError, GaleError } from './errors';

export interface SessionHandlers {
  onData(data: Buffer): void;
  /// A line about the session itself (a device exited, bytes dropped, waiting for RTT).
  onStatus?(text: string): void;
  /// The stream ended: cleanly (no error) or with one a user can act on.
  onEnd(error?: GaleError): void;
}

export interface ByteSession {
  write(data: string | Buffer): void;
  close(): void;
}

function endOnce(handlers: SessionHandlers) {
  let ended = false;
  return (error?: GaleError) => {
    if (!ended) {
      ended = true;
      handlers.onEnd(error);
    }
  };
}

export function openConsole(c: GaleConnection, deviceId: string, handlers: SessionHandlers, options: { noReplay?: boolean } = {}): ByteSession {
  const call: grpc.ClientDuplexStream<any, any> = c.service('Console').Attach();
  const end = endOnce(handlers);
  let closing = false;
  call.on('data', (out: any) => {
    if (out.dropped > 0) {
      handlers.onStatus?.(`${out.dropped} bytes of output were lost before this point`);
    }
    if (out.data && out.data.length > 0) {
      handlers.onData(Buffer.from(out.data));
    }
    if (out.exited) {
      handlers.onStatus?.(`the image exited with status ${out.exit_code}`);
    }
  });
  call.on('error', (e: grpc.ServiceError) => end(closing ? undefined : describeError(e, `the console of ${deviceId || 'the device'}`, c.address)));
  call.on('end', () => end());
  call.write({ open: { device_id: deviceId, no_replay: !!options.noReplay, until_exit: false } });
  return {
    write: (data) => call.write({ data: Buffer.from(data) }),
    close: () => {
      closing = true;
      call.cancel();
    },
  };
}

export function openRtt(c: GaleConnection, deviceId: string, channel: number, handlers: SessionHandlers): ByteSession {
  const call: grpc.ClientReadableStream<any> = c.service('Rtt').Stream({ device_id: deviceId, channel, no_replay: false });
  const end = endOnce(handlers);
  let closing = false;
  call.on('data', (out: any) => {
    if (out.status) {
      handlers.onStatus?.(out.status);
    }
    if (out.dropped_by_target > 0 || out.dropped_by_host > 0) {
      handlers.onStatus?.(`lost bytes: ${out.dropped_by_target} by the target, ${out.dropped_by_host} by this client`);
    }
    if (out.data && out.data.length > 0) {
      handlers.onData(Buffer.from(out.data));
    }
  });
  call.on('error', (e: grpc.ServiceError) => end(closing ? undefined : describeError(e, `RTT channel ${channel} of ${deviceId || 'the device'}`, c.address)));
  call.on('end', () => end());
  return {
    write: (data) => {
      c.unary('Rtt', 'Write', { device_id: deviceId, channel, data: Buffer.from(data) }, `writing to RTT channel ${channel}`)
        .catch((e: GaleError) => handlers.onStatus?.(e.message));
    },
    close: () => {
      closing = true;
      call.cancel();
    },
  };
}

export function openShell(c: GaleConnection, deviceId: string, handlers: SessionHandlers, options: { backend?: 'uart' | 'rtt'; readOnly?: boolean } = {}): ByteSession {
  const call: grpc.ClientDuplexStream<any, any> = c.service('Shell').Session();
  const end = endOnce(handlers);
  let closing = false;
  let owner: boolean | undefined;
  call.on('data', (out: any) => {
    if (out.status) {
      handlers.onStatus?.(out.status);
    }
    if (owner !== out.input_owner) {
      owner = out.input_owner;
      if (!owner && !options.readOnly) {
        handlers.onStatus?.('another session owns this shell\'s input: this one is read-only');
      }
    }
    if (out.data && out.data.length > 0) {
      handlers.onData(Buffer.from(out.data));
    }
  });
  call.on('error', (e: grpc.ServiceError) => end(closing ? undefined : describeError(e, `the shell of ${deviceId || 'the device'}`, c.address)));
  call.on('end', () => end());
  call.write({ open: { device_id: deviceId, backend: options.backend ?? 'uart', read_only: !!options.readOnly } });
  return {
    write: (data) => call.write({ data: Buffer.from(data) }),
    close: () => {
      closing = true;
      call.cancel();
    },
  };
}
