// `dkmv mock-model --script FILE`: serve a model script on 127.0.0.1 so anyone can drive the real
// agent CLIs by hand (or point `dkmv run --model-url` at it).
import path from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { UserError } from '../../core/errors.js';
import { codexConfigToml, MODEL_URL_KEY_ENV, OFFLINE_API_KEY } from '../../core/agents/index.js';
import { loadModelScript } from '../../core/model-script/parse.js';
import { startMockModel } from '../../core/mock-model/server.js';

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number (0-65535)');
  return n;
}

export function register(program: Command): void {
  program
    .command('mock-model')
    .description('serve a model script as a mock Anthropic Messages / OpenAI Responses endpoint on 127.0.0.1')
    .requiredOption('--script <file>', 'model script (YAML; see core/mock-model/examples/hello.yaml)')
    .option('--port <n>', 'port to listen on (default: a free one)', parsePort)
    .option('--log <file>', 'append every request as one JSON line to this file')
    .action(async (opts: { script: string; port?: number; log?: string }) => {
      const script = await loadModelScript(path.resolve(opts.script));
      const mock = await startMockModel({
        script,
        port: opts.port ?? 0,
        ...(opts.log ? { logFile: path.resolve(opts.log) } : {}),
      }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE' || err.code === 'EACCES') {
          throw new UserError(`cannot listen on 127.0.0.1:${opts.port}: ${err.code}`, {
            hint: 'pick another --port, or leave it out to use a free one',
          });
        }
        throw err;
      });
      const lines = [
        `mock model listening on ${mock.url}  (${script.sessions.length} session(s) from ${opts.script})`,
        '',
        'dkmv:        dkmv run ... --model-url ' + mock.url + '   (or DKMV_MODEL_URL=' + mock.url + ')',
        '',
        'Claude Code: ANTHROPIC_BASE_URL=' + mock.url + ` ANTHROPIC_API_KEY=${OFFLINE_API_KEY} \\`,
        '             CLAUDE_CODE_MAX_RETRIES=0 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 \\',
        '             claude -p "your prompt" --output-format stream-json --verbose --dangerously-skip-permissions',
        '',
        `Codex:       write this to $CODEX_HOME/config.toml, then ${MODEL_URL_KEY_ENV}=${OFFLINE_API_KEY} \\`,
        '             codex exec --json --skip-git-repo-check --dangerously-bypass-approvals-and-sandbox "your prompt" < /dev/null',
        ...codexConfigToml(mock.url)
          .trimEnd()
          .split('\n')
          .map((l) => `    ${l}`),
        '',
        opts.log ? `requests are logged to ${path.resolve(opts.log)}` : 'requests are not logged (use --log FILE)',
        'Ctrl-C stops the server.',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void mock.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
