// Environment for host-side git: never prompts, and authenticates to GitHub with a token passed
// through GIT_CONFIG_* variables, so the token never lands in .git/config, argv or logs.
/**
 * Editor and pager variables are dropped: host git here must never open either (no TTY, messages
 * via -m), and npm/npx set EDITOR=vi, and many shells export EDITOR.
 */
const DROPPED = new Set(['EDITOR', 'VISUAL', 'GIT_EDITOR', 'GIT_SEQUENCE_EDITOR', 'PAGER', 'GIT_PAGER']);

export function gitEnv(token?: string): Record<string, string> {
  const inherited = Object.entries(process.env).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && !DROPPED.has(entry[0].toUpperCase()),
  );
  const env: Record<string, string> = {
    ...Object.fromEntries(inherited),
    GIT_TERMINAL_PROMPT: '0',
    // The identity of commits dkmv makes on the host (the agent commits as the image's dkmv user).
    GIT_AUTHOR_NAME: 'dkmv',
    GIT_AUTHOR_EMAIL: 'dkmv@localhost',
    GIT_COMMITTER_NAME: 'dkmv',
    GIT_COMMITTER_EMAIL: 'dkmv@localhost',
  };
  // Like `git -c`: above any repository config. The workspace is writable by the agent, so host git
  // must not run its hooks or fsmonitor (the repository config itself is restored before commits).
  const config: [string, string][] = [
    ['safe.directory', '*'],
    ['core.hooksPath', '/dev/null'],
    ['core.fsmonitor', 'false'],
  ];
  if (token) {
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    config.push(['http.https://github.com/.extraheader', `AUTHORIZATION: basic ${basic}`]);
  }
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}
