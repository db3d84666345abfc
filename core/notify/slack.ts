// The body a Slack incoming webhook accepts: `text` (the fallback and notification line) plus
// Block Kit `blocks` with the run's facts, its questions and how to answer them.
import { headline, type NotifyEvent } from './event.js';

type Block = Record<string, unknown>;

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** Slack's section text limit is 3000 characters. */
function clip(text: string, max = 2900): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function factsBlock(event: NotifyEvent): Block {
  const lines = [
    `*${event.kind === 'harness' ? 'Harness' : 'Component'}:* ${event.component}   *Branch:* \`${event.branch}\``,
    `*Status:* ${event.status}   *Cost:* $${event.cost_usd.toFixed(4)}`,
  ];
  if (event.error) lines.push(`*Error:* ${event.error}`);
  if (event.remaining_issues?.length)
    lines.push(`*Remaining issues:*\n${event.remaining_issues.map((i) => `• ${i}`).join('\n')}`);
  return section(clip(lines.join('\n')));
}

function questionBlocks(event: NotifyEvent): Block[] {
  if (!event.questions?.length || !event.answer) return [];
  const questions = event.questions
    .map(
      (q) =>
        `• *${q.id}*: ${q.question}${q.options ? ` (${q.options.join(' / ')})` : ''}${q.default ? ` — default ${q.default}` : ''}`,
    )
    .join('\n');
  const how = [
    `*Answer with:*\n\`\`\`${event.answer.approve}\`\`\``,
    `or \`${event.answer.skip}\` / \`${event.answer.abort}\``,
    `*Web UI:* send signal \`${event.answer.webUi.signal}\` (or update \`${event.answer.webUi.update}\`) with input \`${event.answer.webUi.input}\``,
  ];
  if (event.answer.curl) how.push(`*HTTP API:*\n\`\`\`${event.answer.curl}\`\`\``);
  return [section(clip(`*Questions:*\n${questions}`)), section(clip(how.join('\n')))];
}

export function slackBody(event: NotifyEvent): { text: string; blocks: Block[] } {
  const text = headline(event);
  const blocks: Block[] = [section(`*${text}*`), factsBlock(event), ...questionBlocks(event)];
  if (event.web_ui) blocks.push(section(`<${event.web_ui}|Open in the Temporal Web UI>`));
  return { text, blocks };
}
