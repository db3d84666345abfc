// Every activity the dkmv worker registers. Activities hold all side effects.
export { ping } from './ping.js';
