/** The marks of the guide: ✅ alive/ok, ⚠️ aging/warn, ❌ dead/bad (§1, §7), ❓ no heartbeat (§8). */
import { describe, expect, it } from 'vitest';
import { HEARTBEAT_STATE_ICONS, VERDICT_ICONS } from '../../src/present/icons.js';

describe('icons', () => {
  it('heartbeat bands as the guide marks them', () => {
    expect(HEARTBEAT_STATE_ICONS).toEqual({ alive: '✅', aging: '⚠️', dead: '❌', never: '❓' });
  });

  it('checklist verdicts: the same three marks, and ℹ️ for information', () => {
    expect(VERDICT_ICONS).toEqual({ ok: '✅', warn: '⚠️', bad: '❌', info: 'ℹ️' });
  });
});
