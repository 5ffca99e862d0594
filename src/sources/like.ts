/**
 * Text taken literally in a LIKE pattern (a worker id prefix, a marker's literal): `%`, `_` and `\` in it must not act
 * as wildcards. PostgreSQL's LIKE/ILIKE (and so PostgREST's like/ilike) use `\` as the default
 * escape character.
 */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}
