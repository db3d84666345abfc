// scripts/setup step: make sure the sandbox image for the current inputs exists.
import { ensureSandboxImage } from '../cli/build/image.js';
import { isUserError } from '../core/errors.js';

try {
  const { tag, built } = await ensureSandboxImage({ log: (line) => console.log(`setup: ${line}`) });
  console.log(`setup: sandbox image ${tag} ${built ? 'built' : 'already present'}`);
} catch (err) {
  console.error(isUserError(err) ? `setup: ${err.format()}` : err);
  process.exit(1);
}
