// Validation of a `decide` payload (the signal and update handlers and the CLI share it), and the
// defaults filled in for questions left unanswered.
import { describe, expect, it } from 'vitest';
import { decisionError, withDefaults } from '../../../core/engine/decision.js';
import type { Question } from '../../../core/engine/run-types.js';

const QUESTIONS: Question[] = [
  { id: 'colour', question: 'Which colour?', options: ['red', 'blue'], default: 'red' },
  { id: 'size', question: 'How big?', default: 'small' },
  { id: 'name', question: 'Name?' },
];

describe('decisionError', () => {
  it.each([
    [{ action: 'continue' }],
    [{ action: 'skip_remaining' }],
    [{ action: 'abort' }],
    [{ action: 'continue', answers: { colour: 'blue', size: 'huge' } }],
  ])('accepts %j', (decision) => {
    expect(decisionError(decision, QUESTIONS)).toBeUndefined();
  });

  it.each([
    [null, /must be an object/],
    ['continue', /must be an object/],
    [{}, /unknown action undefined/],
    [{ action: 'ship' }, /unknown action "ship": use one of continue, skip_remaining, abort/],
    [{ action: 'continue', answers: [] }, /answers must be an object/],
    [
      { action: 'continue', answers: { shape: 'round' } },
      /no question with id 'shape' \(questions: colour, size, name[;)]/,
    ],
    [{ action: 'continue', answers: { size: 3 } }, /answer to 'size' must be a string/],
    [{ action: 'continue', answers: { colour: 'green' } }, /answer to 'colour' must be one of: red, blue/],
  ])('rejects %j', (decision, message) => {
    expect(decisionError(decision, QUESTIONS)).toMatch(message);
  });

  it('says there are no questions when an answer comes for none', () => {
    expect(decisionError({ action: 'continue', answers: { x: 'y' } }, [])).toMatch(/questions: none/);
  });
});

describe('withDefaults', () => {
  it('keeps given answers and fills defaults; questions with no default and no answer stay out', () => {
    expect(withDefaults({ size: 'large' }, QUESTIONS)).toEqual({ colour: 'red', size: 'large' });
    expect(withDefaults(undefined, QUESTIONS)).toEqual({ colour: 'red', size: 'small' });
  });
});
