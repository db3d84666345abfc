// checkDeliverables: which of the component's promised workspace paths (component.yaml
// `deliverables`) exist when the last task is done. Files and folders count; symbolic links do not
// (dkmv never follows a link out of the workspace). The workflow decides what a missing one means.
import type { CheckDeliverablesInput } from '../../core/engine/activity-types.js';
import type { DeliverablesReport } from '../../core/engine/run-types.js';
import { sandboxLayout } from '../sandbox/layout.js';
import { existsInWorkspace } from './workspace-guard.js';

export async function checkDeliverables(input: CheckDeliverablesInput): Promise<DeliverablesReport> {
  const { workspace } = sandboxLayout(input.sandbox.sandboxId);
  const report: DeliverablesReport = { present: [], missing: [] };
  for (const d of input.deliverables) {
    if (existsInWorkspace(workspace, d.path)) report.present.push(d.path);
    else report.missing.push({ path: d.path, required: d.required });
  }
  return report;
}
