// scripts/setup step: make sure the sandbox image (and the browser image on top of it) exist for the current inputs.
import { ensureBrowserImage } from '../cli/build/browser-image.js';
import { isUserError } from '../core/errors.js';

try {
  const { tag, built, sandboxTag } = await ensureBrowserImage({ log: (line) => console.log(`setup: ${line}`) });
  console.log(`setup: sandbox image ${sandboxTag}, browser image ${tag} ${built ? 'built' : 'already present'}`);
} catch (err) {
  console.error(isUserError(err) ? `setup: ${err.format()}` : err);
  process.exit(1);
}
