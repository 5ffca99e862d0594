import { iso } from '../../analyses/format.js';
import { memoryProfile } from '../../analyses/memory-profile.js';
import { computeSignalsForWorker } from '../../analyses/worker-signals.js';
import { loadWorkerEvidence } from '../../load.js';
import type { Command } from '../command.js';

export const memoryProfileCommand: Command = {
  name: 'memory-profile',
  section: '§14',
  summary: 'The memory profile the worker logged it was using',
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  async run({ read }, { positionals }) {
    const evidence = await loadWorkerEvidence(read, positionals[0]!, { tasks: false });
    const signals = computeSignalsForWorker(evidence.workerId, evidence.logs, read.asOf);
    const result = { as_of: iso(read.asOf), ...memoryProfile(evidence.workerId, signals.memory_profile_line) };
    return {
      result,
      text: [
        result.line === null
          ? `No memory profile line logged by ${result.worker_id}`
          : `Memory Profile: ${result.memory_profile ?? 'unreadable'}   (${result.at}: ${result.line})`,
      ],
    };
  },
};
