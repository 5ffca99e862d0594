/**
 * Who wrote a line and whether it is an error: only lines the worker wrote itself count as its
 * own (schema page: orchestrator lines carry the worker_id too). Which event a line reports is the
 * vocabulary's business (test/config/vocabulary.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { isWorkerError, isWorkerLine } from '../../src/rows/log-lines.js';
import { log } from '../support/rows.js';

const worker = (message: string, level = 'INFO') => log('13:00:00', message, { level });
const orchestrator = (message: string, level = 'INFO') => log('13:00:00', message, { level, source: 'orchestrator_gpu' });

describe('isWorkerLine', () => {
  it('source_type worker only', () => {
    expect(isWorkerLine(worker('x'))).toBe(true);
    for (const source of ['orchestrator_gpu', 'orchestrator_api', 'edge_function', 'Worker']) expect(isWorkerLine(log('13:00:00', 'x', { source }))).toBe(false);
  });
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
