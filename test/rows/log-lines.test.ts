/**
 * Line kinds by the markers of config/markers.ts, matched case-insensitively as substrings (the
 * guide's `ilike('%…%')`); only lines the worker wrote itself count as its heartbeats, switches,
 * VLM, memory-profile and error lines (schema page: orchestrator lines carry the worker_id too).
 */
import { describe, expect, it } from 'vitest';
import { isLoggedHeartbeat, isMemoryProfileLine, isModelSwitch, isVlmLoading, isWorkerError, isWorkerLine } from '../../src/rows/log-lines.js';
import { log } from '../support/rows.js';

const worker = (message: string, level = 'INFO') => log('13:00:00', message, { level });
const orchestrator = (message: string, level = 'INFO') => log('13:00:00', message, { level, source: 'orchestrator_gpu' });

describe('isWorkerLine', () => {
  it('source_type worker only', () => {
    expect(isWorkerLine(worker('x'))).toBe(true);
    for (const source of ['orchestrator_gpu', 'orchestrator_api', 'edge_function', 'Worker']) expect(isWorkerLine(log('13:00:00', 'x', { source }))).toBe(false);
  });
});

describe.each([
  ['isLoggedHeartbeat', isLoggedHeartbeat, ['✅ [HEARTBEAT] Worker w active', '[heartbeat] ✅ Sent for worker w with 3 logs', 'Heartbeat']],
  ['isModelSwitch', isModelSwitch, ['🔄 MODEL SWITCH: a -> b', '🔄 model switch: Switching from a to b', 'MODEL SWITCH']],
  ['isVlmLoading', isVlmLoading, ['Before VLM loading', '[RAM] before vlm loading: Process=5450MB']],
  ['isMemoryProfileLine', isMemoryProfileLine, ['🧠 Using Memory Profile 4', 'memory profile: 3']],
] as const)('%s', (_name, is, matching) => {
  it('the marker in any case, anywhere in a worker line', () => {
    for (const message of matching) expect(is(worker(message))).toBe(true);
  });

  it('not in an orchestrator line quoting it, nor in other text', () => {
    for (const message of matching) expect(is(orchestrator(message))).toBe(false);
    expect(is(worker('Generation complete in 83.2s'))).toBe(false);
  });
});

it('a look-alike with a non-ASCII letter is not the marker (HEARTBEAT with a Cyrillic Е)', () => {
  expect(isLoggedHeartbeat(worker('[HЕARTBEAT] Worker w active'))).toBe(false);
});

describe('isWorkerError', () => {
  it('ERROR and CRITICAL lines of the worker, in any case as written', () => {
    expect(isWorkerError(worker('x', 'ERROR'))).toBe(true);
    expect(isWorkerError(worker('x', 'critical'))).toBe(true);
    expect(isWorkerError(worker('x', 'WARNING'))).toBe(false);
    expect(isWorkerError(worker('CUDA error: out of memory', 'INFO'))).toBe(false);
    expect(isWorkerError(orchestrator('Marking worker as error', 'ERROR'))).toBe(false);
  });
});
