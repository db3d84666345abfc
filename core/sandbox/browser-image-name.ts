// The browser sandbox image's name, shared by the image builder (cli/build) and the activities that
// run smoke tests and evaluators in it.
export const BROWSER_REPO = 'dkmv-browser';
/** What the smoke activity and evaluator children run in unless told otherwise. */
export const DEFAULT_BROWSER_IMAGE = `${BROWSER_REPO}:latest`;
