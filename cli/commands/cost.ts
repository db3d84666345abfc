// `dkmv cost [--since 7d] [--by component|branch|day] [--json]`: what the project's runs spent,
// from Temporal visibility (the DkmvCostUsd search attribute of every run and harness; no worker
// needed), and, when a daily ceiling is set, today's totals of the project's budget ledger (its memo).
import type { Client } from '@temporalio/client';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { resolveConfig } from '../../core/config/index.js';
import { rowFromExecution } from '../runs/list.js';
import { clientReadOnly } from '../temporal-client.js';
import { normalizeRepo } from '../run/repo.js';
import { groupSpend, parseGrouping, parseSince, type SpendRun } from '../cost/spend.js';
import { dayOf, ledgerWorkflowId, type LedgerMemo } from '../../core/ledger/accounting.js';

interface CostFlags {
  since: string;
  by?: string;
  allRepos?: boolean;
  json?: boolean;
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function register(program: Command): void {
  program
    .command('cost')
    .description("spend of this project's runs (and harnesses) from Temporal, grouped; today's ledger state")
    .option('--since <when>', 'window: a duration (7d, 24h, 2w) or a date (2026-01-31)', '7d')
    .option('--by <grouping>', 'group by component, branch or day', 'day')
    .option('--all-repos', "every repository's runs, not only this project's")
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: CostFlags) => {
      const since = parseSince(flags.since, Date.now());
      const by = parseGrouping(flags.by);
      const config = resolveConfig();
      const repo = !flags.allRepos && config.repo ? projectRepo(config.repo, config.projectRoot) : undefined;
      const cli = await clientReadOnly();
      try {
        const parts = [
          `WorkflowType IN ('componentWorkflow', 'harnessWorkflow')`,
          `StartTime >= '${since.toISOString()}'`,
          ...(repo ? [`DkmvRepo = ${quote(repo)}`] : []),
        ];
        const runs: SpendRun[] = [];
        for await (const info of cli.client.workflow.list({ query: parts.join(' AND ') }))
          runs.push(rowFromExecution(info));
        const spend = groupSpend(runs, by);
        const ceiling = config.values.max_daily_budget_usd;
        const today = ceiling === undefined ? undefined : await ledgerToday(cli.client, config.name);
        const ledger =
          ceiling === undefined
            ? undefined
            : {
                project: config.name,
                day: dayOf(Date.now()),
                ceiling_usd: ceiling,
                spent_usd: today?.spentUsd ?? 0,
                reserved_usd: today?.reservedUsd ?? 0,
                available_usd: Math.max(
                  0,
                  Math.round((ceiling - (today?.spentUsd ?? 0) - (today?.reservedUsd ?? 0)) * 10000) / 10000,
                ),
              };
        if (flags.json) {
          const out = {
            since: since.toISOString(),
            by,
            ...(repo ? { repo } : {}),
            ...spend,
            ...(ledger ? { ledger } : {}),
          };
          console.log(JSON.stringify(out, null, 2));
          return;
        }
        const table = new Table({ head: [by, 'runs', 'cost (USD)'], style: { head: [] } });
        for (const r of spend.rows) table.push([r.key, r.runs, r.cost_usd.toFixed(4)]);
        table.push(['total', spend.runs, spend.total_usd.toFixed(4)]);
        console.log(`Spend since ${since.toISOString()}${repo ? ` (${repo})` : ''}:`);
        console.log(table.toString());
        if (ledger) {
          console.log(
            `Today (${ledger.day} UTC): $${ledger.spent_usd.toFixed(4)} spent, $${ledger.reserved_usd.toFixed(4)} reserved by runs in flight, ` +
              `$${ledger.available_usd.toFixed(4)} left of the $${ledger.ceiling_usd} daily ceiling.`,
          );
        }
      } finally {
        await cli.close();
      }
    });
}

/** Today's totals from the ledger's memo (no worker needed); undefined when no run asked yet. */
async function ledgerToday(client: Client, project: string): Promise<LedgerMemo['days'][string] | undefined> {
  try {
    const memo = (await client.workflow.getHandle(ledgerWorkflowId(project)).describe()).memo?.dkmvLedger as
      LedgerMemo | undefined;
    return memo?.days[dayOf(Date.now())];
  } catch {
    return undefined;
  }
}

/** The repo as runs record it (an absolute path for a local one); as written if it is gone. */
function projectRepo(repo: string, root: string): string {
  try {
    return normalizeRepo(repo, root);
  } catch {
    return repo;
  }
}
