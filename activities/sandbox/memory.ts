// Docker memory limits as users write them: 512m, 8g, 1.5g, or plain bytes.
import { UserError } from '../../core/errors.js';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

export function parseMemory(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt]?)b?\s*$/i.exec(text);
  if (!match) {
    throw new UserError(`invalid memory size '${text}'`, { hint: 'use a number with a unit, e.g. 512m or 8g' });
  }
  return Math.round(Number(match[1]) * (UNITS[(match[2] ?? '').toLowerCase()] ?? 1));
}
