import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvironment, parseDotenv } from '../src/env.js';
import { redact } from '../src/redact.js';

describe('.env', () => {
  it('reads NAME=value, export, quotes, comments and blank lines', () => {
    expect(
      parseDotenv(['# comment', '', 'A=1', 'export B = two words # note', 'C="x # not a comment"', "D='single'", 'E="line\\nbreak"', 'F='].join('\n'), '.env'),
    ).toEqual({ A: '1', B: 'two words', C: 'x # not a comment', D: 'single', E: 'line\nbreak', F: '' });
  });

  it.each([
    ['no equals sign', 'JUSTANAME', /\.env:1: expected NAME=value/],
    ['bad name', '1A=x', /\.env:1: expected NAME=value/],
    ['unterminated quote', 'A="open', /\.env:1: A has an unterminated " quote/],
    ['text after a quoted value', 'A="x" y', /\.env:1: unexpected text after the quoted value of A/],
  ])('%s is an error naming file and line', (_what, text, message) => {
    expect(() => parseDotenv(text, '.env')).toThrow(message);
  });

  it('the environment wins over .env, and secret values from .env are redacted everywhere', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wf-dotenv-'));
    writeFileSync(path.join(dir, '.env'), 'SUPABASE_URL=https://from-file.supabase.co\nSUPABASE_SERVICE_ROLE_KEY=file-key-0123456789\n');
    const env: NodeJS.ProcessEnv = { SUPABASE_URL: 'https://from-env.supabase.co' };
    loadEnvironment(env, dir);
    expect(env['SUPABASE_URL']).toBe('https://from-env.supabase.co');
    expect(env['SUPABASE_SERVICE_ROLE_KEY']).toBe('file-key-0123456789');
    expect(redact('key=file-key-0123456789')).toBe('key=[REDACTED]');
  });
});
