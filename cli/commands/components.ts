// `dkmv components`, `dkmv register <name> <path>`, `dkmv unregister <name>`: the component registry
// (`.dkmv/components.json`) next to the built-ins and examples.
import type { Command } from 'commander';
import Table from 'cli-table3';
import pc from 'picocolors';
import { listComponents, registerComponent, unregisterComponent } from '../../core/component/index.js';
import { findProjectRoot } from '../../core/project.js';

export function register(program: Command): void {
  program
    .command('components')
    .description('list components: built-in, examples and the ones registered in this project')
    .option('--json', 'print a JSON array (for scripts)')
    .action((opts: { json?: boolean }) => {
      const projectRoot = findProjectRoot();
      const list = listComponents({ projectRoot });
      if (opts.json) {
        console.log(
          JSON.stringify(
            list.map((c) => ({ name: c.name, source: c.source, description: c.description, path: c.dir, ok: c.ok })),
            null,
            2,
          ),
        );
        return;
      }
      const table = new Table({
        head: ['NAME', 'SOURCE', 'DESCRIPTION'].map((h) => pc.bold(h)),
        style: { head: [], border: [] },
        chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
        wordWrap: true,
        colWidths: [null, null, Math.max(30, Math.min(80, (process.stdout.columns ?? 120) - 40))],
      });
      for (const c of list) {
        table.push([
          c.name,
          c.source,
          c.ok ? c.description : pc.red(`missing: ${c.dir} (dkmv register ${c.name} <path> --force)`),
        ]);
      }
      console.log(table.toString());
      console.log(pc.dim('run one with: dkmv run <name> --branch <branch>'));
    });

  program
    .command('register')
    .argument('<name>', 'name to run it by (letters, digits, ".", "_", "-")')
    .argument('<path>', 'component folder (component.yaml and/or *.yaml task files)')
    .description('register a component folder under a name (in .dkmv/components.json)')
    .option('--force', 'replace an existing registration, or shadow a built-in of the same name')
    .action((name: string, dir: string, opts: { force?: boolean }) => {
      const ref = registerComponent(name, dir, { projectRoot: findProjectRoot(), force: Boolean(opts.force) });
      console.log(`registered ${pc.bold(ref.name)} → ${ref.dir}`);
      console.log(pc.dim(`run it with: dkmv run ${ref.name} --branch <branch>`));
    });

  program
    .command('unregister')
    .argument('<name>', 'a registered component name')
    .description('remove a component from the registry (its files stay where they are)')
    .action((name: string) => {
      unregisterComponent(name, { projectRoot: findProjectRoot() });
      console.log(`unregistered ${pc.bold(name)}`);
    });
}
