/**
 * The shape of a CLI command: a typed function over a read context that returns the result object
 * (printed as-is by `--json`) and its human rendering. Commands never print or exit themselves.
 */
import { UsageError, type ForensicsError } from '../errors.js';
import type { ReadContext } from '../checks/load.js';
import { parseInstant, type Instant } from '../rows/time.js';
import { shownInput } from '../redact.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  /** Placeholder shown in help, e.g. `N`. */
  value?: string;
  multiple?: boolean;
  short?: string;
}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | boolean | string[] | undefined>;
}

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stderr is a terminal: progress may be shown. */
  interactive: boolean;
  /** The wall clock (injected so that tests control it). */
  now(): Instant;
}

export interface CommandContext {
  /** The opened source and as-of; absent for commands with `readsSource: false`. */
  read: ReadContext;
  /** Fires when the whole command's --timeout runs out. */
  signal: AbortSignal;
  io: CliIO;
  json: boolean;
  /** Reports an error that does not stop the command (e.g. one unknown worker among several): printed, and sets the exit code. */
  defer(error: ForensicsError): void;
  /** One line on stderr (not in --json output). */
  notice(line: string): void;
}

export interface CommandOutput {
  result: object;
  text: string[];
  /**
   * The exit code when the command succeeded (with or without --json), for a result that is itself
   * an alarm (`health`: WARNING, BLOCKED); one of EXIT_CODES. Absent: 0. A deferred error wins over it.
   */
  exitCode?: number;
}

export interface Command {
  name: string;
  /** The guide section it implements (`§1`), or a short tag. */
  section: string;
  summary: string;
  /** Argument synopsis after the command name, e.g. `<worker>`. */
  args: string;
  positionals: { min: number; max: number };
  options?: Record<string, OptionSpec>;
  /** Extra help text (examples, what the result holds). */
  details?: string[];
  /** False for commands that open no source here (the notebook renderers: the kernel opens its own). */
  readsSource?: boolean;
  /** Default --timeout in seconds, when the command's work is longer than a query (notebooks). */
  defaultTimeoutS?: number;
  run(ctx: CommandContext, args: ParsedArgs): Promise<CommandOutput>;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
}

/** Beyond this a window or timeout (hours, minutes, seconds) means nothing; instants would overflow. */
export const MAX_NUMBER_OPTION = 1_000_000;

export function positiveNumberOption(args: ParsedArgs, name: string, fallback: number): number {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`--${name} must be a positive number, got "${shownInput(text)}"`);
  }
  if (value > MAX_NUMBER_OPTION) throw new UsageError(`--${name} must be at most ${MAX_NUMBER_OPTION}, got ${shownInput(text)}`);
  return value;
}

export function positiveIntegerOption(args: ParsedArgs, name: string): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`--${name} must be a positive whole number, got "${text}"`);
  return value;
}

export function instantOption(args: ParsedArgs, name: string): Instant | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const value = parseInstant(text);
  if (value === null) throw new UsageError(`--${name} "${text}" is not an ISO-8601 instant (e.g. 2025-10-17T13:00:00Z)`);
  return value;
}
