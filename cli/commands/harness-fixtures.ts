// The shipped harness fixtures `dkmv test harness --fixture <name>` builds offline: each is a seed
// folder (components/harness/fixtures/<name>), a model script (components/harness/model-scripts/
// <name>.yaml) and the prompt the script was written for.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import { DKMV_HOME } from '../../core/project.js';

const PROMPTS: Record<string, string> = {
  'tiny-app': 'Build a tiny web app with a click counter and a todo list, served by a zero-dependency Node server.',
  'tiny-cli':
    'Build wordstat, a zero-dependency Node command line: `wordstat count <file>` prints its line and word counts, ' +
    '`wordstat top <file> [n]` its n most frequent words. Test it with node --test.',
};

export const DEFAULT_FIXTURE = 'tiny-app';

export interface HarnessFixture {
  name: string;
  prompt: string;
  script: string;
  seed: string;
}

export function harnessFixture(name: string = DEFAULT_FIXTURE): HarnessFixture {
  const prompt = PROMPTS[name];
  const script = path.join(DKMV_HOME, 'components', 'harness', 'model-scripts', `${name}.yaml`);
  const seed = path.join(DKMV_HOME, 'components', 'harness', 'fixtures', name);
  if (!prompt || !existsSync(script) || !existsSync(seed))
    throw new UserError(`--fixture ${name}: no such harness fixture`, {
      hint: `the shipped fixtures are ${Object.keys(PROMPTS).join(', ')}`,
    });
  return { name, prompt, script, seed };
}
