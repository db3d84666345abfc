// scripts/setup step: make sure the sandbox image (and the browser image on top of it) exist for the current inputs.
import { ensureBrowserImage } from '../cli/build/browser-image.js';
import { isUserError } from '../core/errors.js';

try {
  // One line per image: "building image … done in N s" (its log under ~/.cache/dkmv/logs) or "image … present".
  await ensureBrowserImage({ log: (line) => console.log(`setup: ${line}`) });
} catch (err) {
  console.error(isUserError(err) ? `setup: ${err.format()}` : err);
  process.exit(1);
}
