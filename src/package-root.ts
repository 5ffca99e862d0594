import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/** The worker-forensics checkout or installed package (the folder of its package.json). */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).name === 'worker-forensics') return (cached = dir);
      } catch {
        /* another package.json: keep walking */
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('worker-forensics: cannot find its own package.json');
    dir = parent;
  }
}

export function toolVersion(): string {
  return `worker-forensics ${JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version}`;
}
