// Pause decisions: our `{action, answers}`, DKMV's pause response `{answers, skip_remaining}` and
// DKMV's qa menu answer `action: fix | ship | abort`, as `dkmv approve --answer` and signals send them.
import { describe, expect, it } from 'vitest';
import { decisionError, effectiveAction, withDefaults } from '../../../core/engine/decision.js';
import type { Question } from '../../../core/engine/run-types.js';

const db: Question = { id: 'db', question: 'Which database?', options: ['postgres', 'sqlite'], default: 'sqlite' };

describe('decisions', () => {
  it('accept our actions and answers to the questions asked, and say what is wrong otherwise', () => {
    expect(decisionError({ action: 'continue', answers: { db: 'postgres' } }, [db])).toBeUndefined();
    expect(decisionError({ action: 'skip_remaining' }, [db])).toBeUndefined();
    expect(decisionError({ action: 'later' }, [db])).toMatch(/unknown action "later"/);
    expect(decisionError({ action: 'continue', answers: { db: 'mysql' } }, [db])).toMatch(/one of: postgres, sqlite/);
    expect(decisionError({ action: 'continue', answers: { cache: 'x' } }, [db])).toMatch(/no question with id 'cache'/);
    expect(decisionError('continue', [db])).toMatch(/must be an object/);
  });

  it("accept DKMV's qa menu answer action=fix|ship|abort with no such question, and act on it", () => {
    for (const [answer, action] of [
      ['fix', 'continue'],
      ['ship', 'skip_remaining'],
      ['abort', 'abort'],
    ] as const) {
      const d = { action: 'continue' as const, answers: { action: answer } };
      expect(decisionError(d, [])).toBeUndefined();
      expect(effectiveAction(d, [])).toBe(action);
      expect(withDefaults(d.answers, [])).toEqual({ action: answer });
    }
    expect(decisionError({ action: 'continue', answers: { action: 'deploy' } }, [])).toMatch(/no question with id/);
    // An explicit action that contradicts the menu answer is refused rather than guessed.
    expect(decisionError({ action: 'abort', answers: { action: 'fix' } }, [])).toMatch(/contradicts/);
    expect(decisionError({ action: 'skip_remaining', answers: { action: 'ship' } }, [])).toBeUndefined();
  });

  it("accept DKMV's pause response shape {answers, skip_remaining} without an action", () => {
    const skip = { answers: { db: 'postgres' }, skip_remaining: true };
    expect(decisionError(skip, [db])).toBeUndefined();
    expect(effectiveAction(skip, [db])).toBe('skip_remaining');
    expect(effectiveAction({ answers: { db: 'postgres' } }, [db])).toBe('continue');
    expect(decisionError({ answers: {}, skip_remaining: 'yes' }, [db])).toMatch(/true or false/);
    expect(decisionError({}, [db])).toMatch(/unknown action/);
  });

  it('treat `action` as an ordinary answer when a question of that id asks something else', () => {
    const q: Question = { id: 'action', question: 'Deploy how?', options: ['blue-green', 'ship'] };
    expect(decisionError({ action: 'continue', answers: { action: 'blue-green' } }, [q])).toBeUndefined();
    expect(effectiveAction({ action: 'continue', answers: { action: 'blue-green' } }, [q])).toBe('continue');
    expect(effectiveAction({ action: 'continue', answers: { action: 'ship' } }, [q])).toBe('skip_remaining');
  });

  it('fill defaults for unanswered questions', () => {
    expect(withDefaults(undefined, [db])).toEqual({ db: 'sqlite' });
    expect(withDefaults({ db: 'postgres' }, [db])).toEqual({ db: 'postgres' });
  });
});
