// Every CLI verb lives in its own module that exports `register(program)`.
import type { Command } from 'commander';
import { register as stack } from './stack.js';
import { register as run } from './run.js';
import { register as mockModel } from './mock-model.js';
import { register as test } from './test.js';

type Registrar = (program: Command) => void;

const registrars: Registrar[] = [stack, run, mockModel, test];

export function registerCommands(program: Command): void {
  for (const register of registrars) register(program);
}
