/**
 * Malformed rows met during a command: collected (once each) while the command goes on with the
 * good rows, then reported together.
 */
import { formatRowProblem, type RowProblem } from './parse.js';

export class ProblemLog {
  private readonly seen = new Map<string, RowProblem>();

  add(problems: readonly RowProblem[]): void {
    for (const p of problems) {
      const key = formatRowProblem(p);
      if (!this.seen.has(key)) this.seen.set(key, p);
    }
  }

  get size(): number {
    return this.seen.size;
  }

  list(): RowProblem[] {
    return [...this.seen.values()];
  }

  lines(): string[] {
    return [...this.seen.keys()];
  }
}
