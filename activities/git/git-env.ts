// Environment for host-side git: never prompts, and authenticates to GitHub with a token passed
// through GIT_CONFIG_* variables, so the token never lands in .git/config, argv or logs.
/**
 * Editor and pager variables are dropped: host git here never opens either (no TTY, messages via
 * -m), and simple-git refuses to run at all when one is passed explicitly ("Use of EDITOR is not
 * permitted") — npm/npx set EDITOR=vi, and many shells export EDITOR.
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
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'safe.directory',
    GIT_CONFIG_VALUE_0: '*',
  };
  if (token) {
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    env.GIT_CONFIG_COUNT = '2';
    env.GIT_CONFIG_KEY_1 = 'http.https://github.com/.extraheader';
    env.GIT_CONFIG_VALUE_1 = `AUTHORIZATION: basic ${basic}`;
  }
  return env;
}
