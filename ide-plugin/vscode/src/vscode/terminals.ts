// A device's console, RTT channel or shell as a VS Code terminal (Pseudoterminal).
import * as vscode from 'vscode';
import { GaleConnection } from '../client/connection';
import { ByteSession, SessionHandlers } from '../client/sessions';

export type Opener = (c: GaleConnection, handlers: SessionHandlers) => ByteSession;

/// Terminal output needs CRLF; device output may have bare LF.
function toTerminal(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

export function openDeviceTerminal(name: string, conn: GaleConnection, open: Opener, banner: string): vscode.Terminal {
  const write = new vscode.EventEmitter<string>();
  const close = new vscode.EventEmitter<number | void>();
  let session: ByteSession | undefined;
  const decoder = new TextDecoder('utf-8');
  const pty: vscode.Pseudoterminal = {
    onDidWrite: write.event,
    onDidClose: close.event,
    open: () => {
      write.fire(`\x1b[2m${banner}\x1b[0m\r\n`);
      session = open(conn, {
        onData: (data) => write.fire(toTerminal(decoder.decode(data, { stream: true }))),
        onStatus: (text) => write.fire(`\r\n\x1b[33m[gale] ${text}\x1b[0m\r\n`),
        onEnd: (error) => {
          write.fire(error
            ? `\r\n\x1b[31m[gale] ${error.message}\x1b[0m\r\n`
            : '\r\n\x1b[2m[gale] the stream ended\x1b[0m\r\n');
          session = undefined;
        },
      });
    },
    close: () => {
      session?.close();
      session = undefined;
    },
    handleInput: (data) => {
      if (session) {
        session.write(data);
      } else {
        close.fire();
      }
    },
  };
  const terminal = vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon('plug') });
  terminal.show();
  return terminal;
}
