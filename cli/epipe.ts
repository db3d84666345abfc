// A reader that closes the pipe early (`dkmv logs --raw | head`) is not an error: on EPIPE from
// stdout the command stops quietly, with the exit code it had so far (0 unless it had failed).
// Any other write error on stdout is still reported.
export function exitQuietlyOnEpipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw err;
  });
}
