/**
 * The CLI entry: parses arguments, opens the source, runs one command, prints its result (a table
 * or, with --json, one JSON document) and maps typed errors to exit codes. It is the only place
 * that knows about exit codes; `bin/worker-forensics.js` only calls `main` and exits.
 */
import { parseArgs } from 'node:util';
import { EXIT_CODES, SourceError, UsageError, isForensicsError, messageOf, type ForensicsError } from '../errors.js';
import { toolVersion } from '../package-root.js';
import { redact, redactDeep, shownInput } from '../redact.js';
import { checkSessionOptions, openSession, type Session } from '../checks/session.js';
import { readContext, type ReadContext } from '../checks/load.js';
import { UNOPENED_SOURCE } from '../sources/unopened.js';
import type { ReadProgress } from '../sources/types.js';
import { SOURCE_SPEC_HELP } from '../sources/open.js';
import { instantFromDate } from '../rows/time.js';
import type { CliIO, Command, CommandContext, OptionSpec, ParsedArgs } from './command.js';
import { COMMANDS } from './commands/index.js';
import { createProgressReporter } from './progress.js';
import { jsonDocument } from '../present/json.js';
import { MARKERS_ENV } from '../config/vocabulary.js';

export const TOOL = 'worker-forensics';
const DEFAULT_TIMEOUT_S = 300;
const MAX_PROBLEM_LINES = 20;

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  source: {
    type: 'string',
    value: SOURCE_SPEC_HELP,
    description: 'where to read (default: supabase if SUPABASE_URL is set, else postgres if DATABASE_URL is, else the demo fleet)',
  },
  'as-of': {
    type: 'string',
    value: 'ISO',
    description: 'judge as of this instant (default: now; for the demo fleet and snapshots, the instant they describe)',
  },
  markers: {
    type: 'string',
    value: 'FILE',
    description: `a markers file: JSON {"<family>": ["<regular expression>", …]} replacing those families of the built-in vocabulary (default: $${MARKERS_ENV})`,
  },
  json: { type: 'boolean', description: 'print one JSON document on stdout (instants ISO-8601 UTC, durations in seconds)' },
  timeout: { type: 'string', value: 'S', description: `give up after S seconds (default ${DEFAULT_TIMEOUT_S})` },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

export function defaultIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    interactive: Boolean(process.stderr.isTTY),
    now: () => instantFromDate(new Date()),
  };
}

function optionHelp(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`;
    return `  ${flag.padEnd(44)} ${o.description}`;
  });
}

export function toolHelp(commands: readonly Command[] = COMMANDS): string {
  return [
    `${TOOL}: why did the GPU worker die? The debugging guide's checks over Supabase, Postgres, evidence snapshots or the embedded demo fleet.`,
    '',
    `Usage: ${TOOL} <command> [args] [--source ${SOURCE_SPEC_HELP}] [--as-of ISO] [--json]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${`${c.name} ${c.args}`.padEnd(34)} ${c.section.padEnd(5)} ${c.summary}`),
    '',
    'Options for every command:',
    ...optionHelp(GLOBAL_OPTIONS),
    '',
    `Exit codes: 0 ok, ${EXIT_CODES.usage} usage error, ${EXIT_CODES.notFound} worker not found, ${EXIT_CODES.source} source/network error or malformed rows (the good rows are still used and shown); health: ${EXIT_CODES.healthWarning} WARNING, ${EXIT_CODES.healthBlocked} BLOCKED.`,
    `Run \`${TOOL} <command> --help\` for a command's own options.`,
    '',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  return [
    `${TOOL} ${command.name} ${command.args}`.trimEnd(),
    '',
    `${command.section}: ${command.summary}`,
    ...(command.details ?? []).map((d) => d),
    '',
    ...(command.options ? ['Options:', ...optionHelp(command.options), ''] : []),
    'Options for every command:',
    ...optionHelp(GLOBAL_OPTIONS),
    '',
  ].join('\n');
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export function findCommand(name: string, commands: readonly Command[] = COMMANDS): Command {
  const command = commands.find((c) => c.name === name);
  if (command) return command;
  const closest = [...commands].sort((a, b) => editDistance(name, a.name) - editDistance(name, b.name))[0];
  const hint = closest && editDistance(name, closest.name) <= 3 ? `; did you mean "${closest.name}"?` : '';
  throw new UsageError(`unknown command "${shownInput(name)}"${hint} (run ${TOOL} --help for the list)`);
}

export function parseCommandArgs(command: Command, argv: readonly string[]): ParsedArgs {
  const specs = { ...GLOBAL_OPTIONS, ...(command.options ?? {}) };
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const text = messageOf(error);
    const unknown = /Unknown option '([^']+)'/.exec(text);
    if (unknown) throw new UsageError(`unknown option ${unknown[1]} for "${command.name}" (see ${TOOL} ${command.name} --help)`);
    const missing = /Option '([^']+?)(?: <value>)?' argument missing/.exec(text);
    if (missing) throw new UsageError(`option ${missing[1]} needs a value`);
    const ambiguous = /Option '([^']+?)(?: <value>)?' argument is ambiguous/.exec(text);
    if (ambiguous) throw new UsageError(`option ${ambiguous[1]} got a value starting with "-"; write ${ambiguous[1]}=<value> if you mean it`);
    throw new UsageError(`${command.name}: ${text.split('\n')[0]}`);
  }
  return { positionals: parsed.positionals, options: parsed.values as ParsedArgs['options'] };
}

function checkPositionals(command: Command, args: ParsedArgs): void {
  const n = args.positionals.length;
  const { min, max } = command.positionals;
  if (n < min) throw new UsageError(`${command.name} needs ${command.args} (see ${TOOL} ${command.name} --help)`);
  if (n > max) {
    throw new UsageError(
      max === 0
        ? `${command.name} takes no arguments, got "${shownInput(args.positionals[0]!)}"`
        : `${command.name} takes ${command.args}, got ${n} arguments`,
    );
  }
}

/** Runs the CLI; returns the exit code. Never throws for expected failures. */
export async function main(argv: readonly string[], io: CliIO = defaultIO(), commands: readonly Command[] = COMMANDS): Promise<number> {
  const out = (text: string) => io.stdout(redact(text));
  const err = (text: string) => io.stderr(redact(text));
  const [name, ...rest] = argv;
  if (name === undefined) {
    err(toolHelp(commands));
    return EXIT_CODES.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    if (name === 'help' && rest[0]) {
      try {
        out(commandHelp(findCommand(rest[0], commands)));
        return EXIT_CODES.ok;
      } catch (error) {
        err(`${TOOL}: ${messageOf(error)}\n`);
        return EXIT_CODES.usage;
      }
    }
    out(toolHelp(commands));
    return EXIT_CODES.ok;
  }
  if (name === '--version') {
    out(`${toolVersion()}\n`);
    return EXIT_CODES.ok;
  }

  let session: Session | undefined;
  const timeout = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let timeoutS = DEFAULT_TIMEOUT_S;
  const progress = createProgressReporter(err);
  try {
    if (name.startsWith('-')) throw new UsageError(`expected a command before ${name} (run ${TOOL} --help)`);
    const command = findCommand(name, commands);
    const args = parseCommandArgs(command, rest);
    if (args.options['help']) {
      out(commandHelp(command));
      return EXIT_CODES.ok;
    }
    checkPositionals(command, args);
    const json = args.options['json'] === true;
    const timeoutText = args.options['timeout'];
    timeoutS = command.defaultTimeoutS ?? DEFAULT_TIMEOUT_S;
    if (typeof timeoutText === 'string') {
      timeoutS = Number(timeoutText);
      if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new UsageError(`--timeout must be a positive number of seconds, got "${timeoutText}"`);
    }
    timer = setTimeout(() => timeout.abort(new SourceError(`gave up after ${timeoutS} s (--timeout)`)), timeoutS * 1000);
    timer.unref();
    const option = (key: string) => (typeof args.options[key] === 'string' ? (args.options[key] as string) : undefined);
    const sessionOptions = {
      ...(option('source') !== undefined ? { source: option('source') } : {}),
      ...(option('as-of') !== undefined ? { asOf: option('as-of') } : {}),
      ...(option('markers') !== undefined ? { markers: option('markers') } : {}),
      env: io.env,
      cwd: io.cwd,
      now: io.now,
      read: { signal: timeout.signal, ...(io.interactive && !json ? { onProgress: (p: ReadProgress) => progress.report(p) } : {}) },
    };
    let read: ReadContext;
    if (command.readsSource === false) {
      // The command hands --source/--as-of on (to a notebook kernel): check them and load .env
      // (the kernel's only way to credentials is this environment), but open nothing here.
      const { vocabulary } = checkSessionOptions(sessionOptions);
      read = readContext(UNOPENED_SOURCE, io.now(), { vocabulary });
    } else {
      session = await withTimeout(openSession(sessionOptions), timeout.signal);
      err(session.notice + '\n');
      read = session.read;
    }
    const deferred: ForensicsError[] = [];
    const ctx: CommandContext = {
      read,
      signal: timeout.signal,
      io,
      json,
      defer: (error) => deferred.push(error),
      notice: (line) => err(line + '\n'),
    };
    const output = await withTimeout(command.run(ctx, args), timeout.signal);
    progress.done();

    const problems = ctx.read.problems.lines();
    if (json) {
      const document = problems.length ? { ...output.result, problems } : output.result;
      // Redacted value by value: a pass over the JSON text could run past a string's closing quote
      // (`"…password=[REDACTED]",`) and leave a document that no longer parses.
      io.stdout(JSON.stringify(redactDeep(jsonDocument(document)), null, 2) + '\n');
    } else {
      out(output.text.join('\n') + '\n');
    }
    for (const line of problems.slice(0, MAX_PROBLEM_LINES)) err(`${TOOL}: data problem: ${line}\n`);
    if (problems.length > MAX_PROBLEM_LINES) err(`${TOOL}: … and ${problems.length - MAX_PROBLEM_LINES} more data problems\n`);
    for (const error of deferred) err(`${TOOL}: ${error.message}\n`);
    if (deferred.length > 0) return deferred[0]!.exitCode;
    if (problems.length > 0) {
      err(`${TOOL}: ${problems.length} data problem(s) (malformed rows skipped); the result above uses every good row\n`);
      // A result that is an alarm (health WARNING/BLOCKED) keeps its code: cron acts on the alarm.
      return output.exitCode !== undefined && output.exitCode !== EXIT_CODES.ok ? output.exitCode : EXIT_CODES.source;
    }
    return output.exitCode ?? EXIT_CODES.ok;
  } catch (error) {
    progress.done();
    const reason = timeout.signal.aborted ? timeout.signal.reason : error;
    if (isForensicsError(reason)) {
      err(`${TOOL}: ${reason.message}\n`);
      return reason.exitCode;
    }
    err(`${TOOL}: internal error: ${messageOf(reason)}${io.env['WORKER_FORENSICS_DEBUG'] ? `\n${(reason as Error)?.stack ?? ''}` : ' (set WORKER_FORENSICS_DEBUG=1 for a stack trace)'}\n`);
    return EXIT_CODES.internal;
  } finally {
    if (timer) clearTimeout(timer);
    await session?.close().catch(() => undefined);
  }
}

/** Rejects with the abort reason as soon as the signal fires, even if the work ignores it. */
function withTimeout<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
