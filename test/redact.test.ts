import { describe, expect, it } from 'vitest';
import { REDACTED, findSecrets, redact, redactDeep, registerSecret } from '../src/redact.js';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('redact', () => {
  it('removes JWT-shaped tokens, sb_secret_ keys and passwords in connection strings, known or not', () => {
    expect(redact(`Authorization: Bearer ${JWT}`)).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redact('key sb_secret_AbCdEf123456 used')).toBe(`key ${REDACTED} used`);
    expect(redact('postgresql://reader:p%40ss-w0rd@db.example.co:5432/postgres')).toBe(`postgresql://reader:${REDACTED}@db.example.co:5432/postgres`);
    expect(redact('host=db password=hunter2 user=x')).toBe(`host=db password=${REDACTED} user=x`);
  });

  it('removes registered secret values wherever they occur, and a connection string password on its own', () => {
    registerSecret('plain-service-key-value');
    registerSecret('postgres://u:Sup3rS3cret@h/db');
    expect(redact('the key is plain-service-key-value.')).toBe(`the key is ${REDACTED}.`);
    expect(redact('password Sup3rS3cret leaked')).toBe(`password ${REDACTED} leaked`);
  });

  it('leaves ordinary text alone', () => {
    const text = '✅ [HEARTBEAT] Worker gpu-20251017_130952-95cd7f4c active; 100% done_ok \\ path';
    expect(redact(text)).toBe(text);
  });

  it('redactDeep walks objects and arrays; findSecrets describes without repeating', () => {
    expect(redactDeep({ a: [JWT, { b: 'sb_secret_AbCdEf123456' }], n: 1 })).toEqual({ a: [REDACTED, { b: REDACTED }], n: 1 });
    const found = findSecrets(`x ${JWT} y`);
    expect(found).toEqual(['a JWT-shaped token']);
    expect(found.join()).not.toContain('eyJ');
    expect(findSecrets(redact(`x ${JWT} postgres://a:b@c/d`))).toEqual([]);
  });
});
