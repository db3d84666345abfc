// `dkmv build`: build the sandbox image (Claude Code + Codex CLI), tagged by a hash of its inputs
// and as dkmv-sandbox:latest.
import type { Command } from 'commander';
import pc from 'picocolors';
import { DEFAULT_CLAUDE_VERSION, DEFAULT_CODEX_VERSION, ensureSandboxImage } from '../build/image.js';

export function register(program: Command): void {
  program
    .command('build')
    .description('build the sandbox image (skipped when an image with the same inputs exists, unless --no-cache)')
    .option('--no-cache', 'rebuild from scratch (docker build --no-cache)')
    .option('--claude-version <version>', `Claude Code version`, DEFAULT_CLAUDE_VERSION)
    .option('--codex-version <version>', `Codex CLI version`, DEFAULT_CODEX_VERSION)
    .action(async (opts: { cache: boolean; claudeVersion: string; codexVersion: string }) => {
      const result = await ensureSandboxImage({
        claudeVersion: opts.claudeVersion,
        codexVersion: opts.codexVersion,
        noCache: !opts.cache,
        log: (line) => process.stderr.write(`${pc.dim('dkmv:')} ${line}\n`),
      });
      console.log(
        `${result.built ? 'built' : 'up to date'}: ${result.tag} (also tagged dkmv-sandbox:latest; set DKMV_IMAGE to pin it)`,
      );
    });
}
