/**
 * Configuration from the environment and `.env` files (the working directory's, then the
 * checkout's). Variables already set in the environment win. A malformed `.env` line stops the
 * tool with its file and line: running on half a configuration could silently read the wrong
 * source (a mistyped SUPABASE_URL line would fall back to the demo fleet).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './errors.js';
import { packageRoot } from './package-root.js';
import { registerSecretsFromEnv } from './redact.js';

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

/** Parses `.env` text; throws UsageError naming `file:line` for a line it cannot read. */
export function parseDotenv(text: string, file: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(#.*)?$/.test(line)) continue;
    const match = LINE.exec(line);
    if (!match) throw new UsageError(`${file}:${i + 1}: expected NAME=value (a malformed .env line)`);
    const name = match[1]!;
    let value = match[2]!;
    const quote = value[0];
    if (quote === '"' || quote === "'") {
      const end = value.indexOf(quote, 1);
      if (end < 0) throw new UsageError(`${file}:${i + 1}: ${name} has an unterminated ${quote} quote`);
      const rest = value.slice(end + 1).trim();
      if (rest !== '' && !rest.startsWith('#')) throw new UsageError(`${file}:${i + 1}: unexpected text after the quoted value of ${name}`);
      value = value.slice(1, end);
      if (quote === '"') value = value.replace(/\\n/g, '\n');
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    values[name] = value;
  }
  return values;
}

/** The `.env` files read, in order of precedence (first wins). */
export function dotenvFiles(cwd: string = process.cwd()): string[] {
  const files = [path.join(cwd, '.env'), path.join(packageRoot(), '.env')];
  return [...new Set(files.map((f) => path.resolve(f)))].filter((f) => existsSync(f));
}

/**
 * Loads `.env` files into `env` (without overriding what is set) and registers every secret value
 * for redaction. Returns the files read.
 */
export function loadEnvironment(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string[] {
  const files = dotenvFiles(cwd);
  for (const file of files) {
    const values = parseDotenv(readFileSync(file, 'utf8'), path.relative(cwd, file) || file);
    for (const [name, value] of Object.entries(values)) if (env[name] === undefined) env[name] = value;
  }
  registerSecretsFromEnv(env);
  return files;
}
