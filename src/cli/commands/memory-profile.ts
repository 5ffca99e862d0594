import * as checks from '../../checks/index.js';
import type { Command } from '../command.js';
import { truncate } from '../../present/terminal.js';
import { instantText } from '../../present/format.js';

export const memoryProfileCommand: Command = {
  name: 'memory-profile',
  section: '§14',
  summary: 'The memory profile the worker logged it was using',
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  async run({ read }, { positionals }) {
    const result = await checks.memory(read, positionals[0]!);
    return {
      result,
      text: [
        result.line === null
          ? `No memory profile line logged by ${result.worker_id}`
          : `Memory Profile: ${result.memory_profile ?? 'unreadable'}   (${instantText(result.at)}: ${truncate(result.line, 200)})`,
      ],
    };
  },
};
