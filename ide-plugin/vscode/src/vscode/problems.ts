// Build diagnostics into the Problems panel.
import * as vscode from 'vscode';
import { Diagnostic, groupDiagnostics, problemLocation } from '../client/jobs';

const kSeverity = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export class Problems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('gale');
  /// Files each app's last build reported on, to clear them on its next build.
  private readonly byApp = new Map<string, vscode.Uri[]>();

  clear(app: string): void {
    for (const uri of this.byApp.get(app) ?? []) {
      this.collection.delete(uri);
    }
    this.byApp.delete(app);
  }

  /// Sets the app's problems to `list` (all diagnostics so far of its current build).
  set(app: string, list: Diagnostic[]): void {
    this.clear(app);
    const uris: vscode.Uri[] = [];
    const perFile = new Map<string, vscode.Diagnostic[]>();
    for (const [, diags] of groupDiagnostics(list)) {
      for (const d of diags) {
        const where = problemLocation(d, app);
        const pos = new vscode.Position(where.line0, where.character0);
        const diag = new vscode.Diagnostic(new vscode.Range(pos, pos.translate(0, 1)), d.message, kSeverity[where.severity]);
        diag.source = d.tool ? `gale (${d.tool})` : 'gale';
        const entries = perFile.get(where.file) ?? [];
        entries.push(diag);
        perFile.set(where.file, entries);
      }
    }
    for (const [file, diags] of perFile) {
      const uri = vscode.Uri.file(file);
      uris.push(uri);
      this.collection.set(uri, diags);
    }
    this.byApp.set(app, uris);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
