// Every CLI verb lives in its own module that exports `register(program)`.
import type { Command } from 'commander';
import { register as stack } from './stack.js';

type Registrar = (program: Command) => void;

const registrars: Registrar[] = [stack];

export function registerCommands(program: Command): void {
  for (const register of registrars) register(program);
}
