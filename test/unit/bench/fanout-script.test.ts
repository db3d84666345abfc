// bench:fanout builds its plan for N generators itself: that plan must keep passing Gate 1 as the
// gate grows (it broke once, silently, when G1.13 made the check contract required).
import { describe, expect, it } from 'vitest';
import { fanoutScript } from '../../../bench/fanout/script.js';

describe('bench:fanout model script', () => {
  it.each([1, 2, 4, 8])('has a plan that passes Gate 1 for %i generator(s)', (n) => {
    expect(() => fanoutScript(n, 0)).not.toThrow();
  });
});
