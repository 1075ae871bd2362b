// Which folders are Gale applications: a CMakeLists.txt that calls find_package(Gale ...).
import * as fs from 'fs';
import * as path from 'path';

export function isGaleCMakeLists(text: string): boolean {
  // Comments out, then the call in any case (CMake commands are case-insensitive).
  const code = text.replace(/#[^\n]*/g, '');
  return /\bfind_package\s*\(\s*Gale\b/i.test(code);
}

export function isGaleApp(folder: string): boolean {
  try {
    return isGaleCMakeLists(fs.readFileSync(path.join(folder, 'CMakeLists.txt'), 'utf8'));
  } catch {
    return false;
  }
}

/// Gale applications at most `depth` levels under `root` (build folders and hidden ones skipped).
export function findApps(root: string, depth = 3): string[] {
  const found: string[] = [];
  const walk = (dir: string, level: number) => {
    if (isGaleApp(dir)) {
      found.push(dir);
    }
    if (level >= depth) {
      return;
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'build' && e.name !== 'node_modules') {
        walk(path.join(dir, e.name), level + 1);
      }
    }
  };
  walk(root, 0);
  return found;
}

/// The application that holds FILE: the nearest folder upwards with a Gale CMakeLists.txt.
export function appOf(file: string, stopAt?: string): string | undefined {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    if (isGaleApp(dir)) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir || (stopAt && dir === path.resolve(stopAt))) {
      return undefined;
    }
    dir = parent;
  }
}
