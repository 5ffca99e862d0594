/**
 * The source of commands that open none themselves (the notebook renderers hand --source to a
 * kernel). Reading from it is a programming error, said as such.
 */
import type { Source } from './types.js';

function refuse(): never {
  throw new Error('this command opens no source: its notebook reads the rows in its own kernel');
}

export const UNOPENED_SOURCE: Source = {
  kind: 'demo',
  label: 'no source (opened by the notebook kernel)',
  frozenAt: null,
  workers: async () => refuse(),
  tasks: async () => refuse(),
  logs: async () => refuse(),
  close: async () => undefined,
};
