/** §14: the memory profile the worker logged it was using. */
import * as checks from '../../checks/index.js';
import { instantText } from '../../present/format.js';
import { truncate } from '../../present/terminal.js';
import type { Command } from '../command.js';

export const memoryProfileCommand: Command = {
  name: 'memory-profile',
  section: '§14',
  summary: 'The memory profile the worker logged it was using',
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  async run({ read }, { positionals }) {
    const result = await checks.memory(read, positionals[0]!);
    return { result, text: printMemoryProfile(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type MemoryProfileResult = Awaited<ReturnType<typeof checks.memory>>;

/** One line: the profile read from the line (or `unreadable`), with the line itself. */
export function printMemoryProfile(result: MemoryProfileResult): string[] {
  return [
    result.line === null
      ? `No memory profile line logged by ${result.worker_id}`
      : `Memory Profile: ${result.memory_profile ?? 'unreadable'}   (${instantText(result.at)}: ${truncate(result.line, 200)})`,
  ];
}
