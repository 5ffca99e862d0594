/** §14: the memory profile the worker logged it was using. */
import * as checks from '../../checks/index.js';
import { THRESHOLDS } from '../../config/thresholds.js';
import { coverageNotes } from '../../present/crash-patterns.js';
import { instantText } from '../../present/format.js';
import { VERDICT_ICONS } from '../../present/icons.js';
import { table, truncate } from '../../present/terminal.js';
import type { Command } from '../command.js';

export const memoryProfileCommand: Command = {
  name: 'memory-profile',
  section: '§14',
  summary: 'The memory profile the worker logged it was using, its [RAM] samples and VRAM',
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  async run({ read }, { positionals }) {
    const result = await checks.memory(read, positionals[0]!);
    return { result, text: printMemoryProfile(result) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type MemoryProfileResult = Awaited<ReturnType<typeof checks.memory>>;

/** The terminal shows the newest samples only; --json holds them all. */
const RAM_SAMPLES_SHOWN = 10;

/** The profile read from the line (or `unreadable`), VRAM from the heartbeat, then the newest `[RAM]` samples. */
export function printMemoryProfile(result: MemoryProfileResult): string[] {
  const samples = result.ram_samples;
  const shown = samples.slice(-RAM_SAMPLES_SHOWN);
  const vram = result.vram;
  return [
    result.line === null
      ? `No memory profile line logged by ${result.worker_id}`
      : `Memory Profile: ${result.memory_profile ?? 'unreadable'}   (${instantText(result.at)}: ${truncate(result.line, 200)})`,
    vram === null ? 'VRAM: not reported in the heartbeat' : `VRAM: ${vram.used_mb ?? '?'} MB used of ${vram.total_mb ?? '?'} MB (heartbeat metadata)`,
    '',
    ...(samples.length === 0
      ? coverageNotes(result.coverage, ['ram']).map((note) => `${VERDICT_ICONS.info}  ${note}`)
      : [
          `[RAM] samples: ${samples.length}${samples.length > shown.length ? ` (the last ${shown.length} shown)` : ''}`,
          ...table(shown, [
            { header: 'at', value: (r) => instantText(r.at) },
            { header: 'label', value: (r) => r.label, max: 40 },
            { header: 'process MB', value: (r) => r.process_mb, align: 'right' },
            {
              header: 'system used',
              value: (r) => (r.system_used_pct === null ? null : `${r.system_used_pct} %${r.system_used_pct >= THRESHOLDS.ramHighUsedPct ? ' (high)' : ''}`),
              align: 'right',
            },
            { header: 'available GB', value: (r) => (r.available_gb === null ? null : `${r.available_gb} / ${r.total_gb ?? '?'}`), align: 'right' },
          ]),
        ]),
  ];
}
