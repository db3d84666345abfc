// Copies task inputs and --context files into a sandbox workspace (host side of the bind mount).
import {
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  closeSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { InputFile, ResolvedInput } from '../../core/component/plan-types.js';
import { writableTarget } from './workspace-guard.js';

export const CONTEXT_DIR = '.agent/context';

export interface InjectedInputs {
  /** Env inputs: variables for the agent process. */
  env: Record<string, string>;
  /** Inputs that were optional and absent. */
  skipped: string[];
}

/** Writes file and text inputs into the workspace; returns env inputs. Missing required files throw. */
export function injectInputs(
  workspace: string,
  projectRoot: string,
  inputs: (ResolvedInput & { files?: InputFile[] })[],
): InjectedInputs {
  const env: Record<string, string> = {};
  const skipped: string[] = [];
  for (const input of inputs) {
    if (input.type === 'env' && input.key) {
      env[input.key] = input.value ?? '';
    } else if (input.type === 'text' && input.destPath) {
      writeInto(workspace, input.destPath, input.content ?? '');
    } else if (input.type === 'file' && input.files) {
      // The plan carried the files (read when the run was planned, on the machine that started it).
      for (const f of input.files)
        writeInto(workspace, f.path, f.binary ? Buffer.from(f.content, 'base64') : f.content);
    } else if (input.type === 'file' && input.srcPath && input.destPath) {
      // Plans made before bundles: read from the planning machine's disk.
      const src = path.resolve(projectRoot, input.srcPath);
      if (!existsSync(src)) {
        if (input.optional) {
          skipped.push(input.name);
          continue;
        }
        throw new Error(
          `input '${input.name}': ${input.src} does not exist (mark it optional: true if it may be absent)`,
        );
      }
      const dest = writableTarget(workspace, input.destPath);
      mkdirSync(path.dirname(dest), { recursive: true });
      cpSync(src, dest, { recursive: true, dereference: true });
    }
  }
  return { env, skipped };
}

export function writeInto(workspace: string, rel: string, content: string | Buffer): void {
  const dest = writableTarget(workspace, rel);
  mkdirSync(path.dirname(dest), { recursive: true });
  writeFileSync(dest, content);
}

/** True when the first 8 KiB hold a NUL byte (how git and grep tell binary files). */
export function isBinary(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).includes(0);
  } finally {
    closeSync(fd);
  }
}

export interface ContextFiles {
  /** Workspace-relative paths copied in. */
  copied: string[];
  /** Source paths skipped as binary. */
  skippedBinary: string[];
}

/** Copies --context files and folders (recursively, binary files skipped) into `.agent/context/`. */
export function copyContext(workspace: string, sources: string[]): ContextFiles {
  const result: ContextFiles = { copied: [], skippedBinary: [] };
  for (const source of sources) {
    if (!existsSync(source)) throw new Error(`--context ${source} does not exist`);
    const base = path.basename(path.resolve(source));
    copyTree(source, path.posix.join(CONTEXT_DIR, base), workspace, result);
  }
  return result;
}

function copyTree(src: string, rel: string, workspace: string, result: ContextFiles): void {
  if (statSync(src).isDirectory()) {
    for (const entry of readdirSync(src).sort()) {
      if (entry === '.git' || entry === 'node_modules') continue;
      copyTree(path.join(src, entry), path.posix.join(rel, entry), workspace, result);
    }
    return;
  }
  if (isBinary(src)) {
    result.skippedBinary.push(src);
    return;
  }
  const dest = writableTarget(workspace, rel);
  mkdirSync(path.dirname(dest), { recursive: true });
  cpSync(src, dest);
  result.copied.push(rel);
}
