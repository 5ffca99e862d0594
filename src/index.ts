import * as aq from 'arquero';
export function hello(n: number): string { return aq.table({ a: [n, 2] }).toHTML(); }
export { aq };
