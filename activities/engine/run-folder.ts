// The run folder `.dkmv/runs/<run_id>/` on the machine that started the run: prompts, instructions,
// the agent stream, saved outputs and result files. Everything written here is redacted first.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { redactSecrets } from './secrets.js';

export function runFile(runDir: string, name: string): string {
  mkdirSync(runDir, { recursive: true });
  return path.join(runDir, name);
}

export function writeRunFile(runDir: string, name: string, content: string): void {
  writeFileSync(runFile(runDir, name), redactSecrets(content));
}

export function appendRunFile(runDir: string, name: string, content: string): void {
  appendFileSync(runFile(runDir, name), redactSecrets(content));
}

/** File names of per-task records use the slot id, which is unique within a run. */
export function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, '_');
}
