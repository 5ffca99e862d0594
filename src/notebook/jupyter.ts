/**
 * Finding a Python with Jupyter (nbclient, nbconvert) and the tslab kernel registered with it, and
 * running python/run_notebook.py. The first `python3` on PATH is often one without Jupyter (pyenv,
 * a virtualenv), so Debian's /usr/bin/python3 is tried before it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../errors.js';
import { packageRoot } from '../package-root.js';

export const RUNNER = path.join(packageRoot(), 'python', 'run_notebook.py');
export const PYTHON_ENV_VAR = 'WORKER_FORENSICS_PYTHON';
const FALLBACK_PYTHONS = ['/usr/bin/python3', 'python3'];
const SETUP_HINT = 'run `npm run setup`';
/** Exit code of `run_notebook.py probe` for a Python that lacks a Jupyter package. */
const PROBE_MISSING_PACKAGES = 3;
/** What run_notebook.py takes as "stop now" (see STOP_SIGNAL there). */
const STOP_SIGNAL = 'SIGUSR1';
const STOP_GRACE_MS = 5_000;

/** Stops of the runs in progress: a process.exit (the CLI's --timeout) must not leave them behind. */
const runsInProgress = new Set<() => void>();
let stopsRunsOnExit = false;

export interface KernelSpec {
  argv: string[];
  resource_dir: string;
}

export interface JupyterInstallation {
  python: string;
  nbclient: string;
  nbconvert: string;
  nbformat: string;
  kernels: Record<string, KernelSpec>;
}

export interface PythonRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface PythonRunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  signal?: AbortSignal;
  /** Called once per line written on stderr, as it arrives. */
  onStderrLine?: (line: string) => void;
  /** Called when the run is stopped (to kill what the process started). */
  onAbort?: () => void;
}

/** The environment every Jupyter process gets (silences a harmless debugger warning of Debian's Python). */
export function jupyterEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { PYDEVD_DISABLE_FILE_VALIDATION: '1', ...env };
}

/**
 * Runs `python args…` with `input` on stdin. Never rejects for a non-zero exit; rejects with the
 * signal's reason when aborted (the process is stopped), or when the program cannot start.
 */
export function runPython(python: string, args: readonly string[], options: PythonRunOptions = {}): Promise<PythonRun> {
  return new Promise((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) return reject(signal.reason);
    const child = spawn(python, [...args], { cwd: options.cwd, env: jupyterEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onStderrLine?.(line);
    });
    // The runner answers STOP_SIGNAL by killing its kernel (which lives in its own session) and
    // exiting; `onAbort` kills the kernel from here too, and a runner that does not exit is killed.
    const stop = () => {
      child.kill(STOP_SIGNAL);
      options.onAbort?.();
    };
    runsInProgress.add(stop);
    if (!stopsRunsOnExit) {
      process.on('exit', () => runsInProgress.forEach((stopRun) => stopRun()));
      stopsRunsOnExit = true;
    }
    let forceKill: NodeJS.Timeout | undefined;
    const onAbort = () => {
      stop();
      forceKill = setTimeout(() => {
        options.onAbort?.();
        child.kill('SIGKILL');
      }, STOP_GRACE_MS);
      forceKill.unref();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(forceKill);
      runsInProgress.delete(stop);
      signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error) => {
      cleanup();
      reject(error);
    });
    child.on('close', (code, exitSignal) => {
      cleanup();
      resolve({ code, signal: exitSignal, stdout: Buffer.concat(stdout).toString('utf8'), stderr });
    });
    // A runner that exits early closes stdin: the resulting EPIPE is reported through its exit code.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

function candidates(env: NodeJS.ProcessEnv): string[] {
  const chosen = env[PYTHON_ENV_VAR];
  return chosen ? [chosen] : FALLBACK_PYTHONS;
}

async function probe(python: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<JupyterInstallation | string> {
  let run: PythonRun;
  try {
    run = await runPython(python, [RUNNER, 'probe'], { env, ...(signal ? { signal } : {}) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return `${python}: not found`;
    throw error;
  }
  if (run.code === PROBE_MISSING_PACKAGES) return run.stderr.trim();
  if (run.code !== 0) return `${python}: ${run.stderr.trim().split('\n').pop() ?? `exit code ${run.code}`}`;
  return JSON.parse(run.stdout) as JupyterInstallation;
}

const located = new Map<string, Promise<JupyterInstallation>>();

/**
 * The first Python with nbclient, nbconvert and nbformat: `$WORKER_FORENSICS_PYTHON` if set (and
 * only it), else /usr/bin/python3, else `python3`. Cached per process for the same environment.
 */
export function locateJupyter(env: NodeJS.ProcessEnv = process.env, signal?: AbortSignal): Promise<JupyterInstallation> {
  // Kernelspec discovery depends on these; anything else in the environment does not change the answer.
  const key = JSON.stringify([env[PYTHON_ENV_VAR], env['PATH'], env['HOME'], env['JUPYTER_PATH'], env['JUPYTER_DATA_DIR']]);
  let found = located.get(key);
  if (!found) {
    found = (async () => {
      const reasons: string[] = [];
      for (const python of candidates(env)) {
        const result = await probe(python, env, signal);
        if (typeof result !== 'string') return result;
        reasons.push(result);
      }
      throw new UsageError(`Jupyter is not installed: ${SETUP_HINT} (${reasons.join('; ')})`);
    })();
    located.set(key, found);
    found.catch(() => located.delete(key));
  }
  return found;
}

/** The kernelspec `name` registered with `jupyter`'s Python; a UsageError saying how to fix it otherwise. */
export function requireKernel(jupyter: JupyterInstallation, name = 'tslab'): KernelSpec {
  const spec = jupyter.kernels[name];
  if (!spec) throw new UsageError(`the ${name} kernel is not registered with ${jupyter.python}: ${SETUP_HINT}`);
  const program = spec.argv[0];
  if (program && path.isAbsolute(program) && !existsSync(program)) {
    throw new UsageError(`the ${name} kernel registered with ${jupyter.python} runs ${program}, which does not exist: ${SETUP_HINT}`);
  }
  return spec;
}
