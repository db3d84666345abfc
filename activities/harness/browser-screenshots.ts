// Facts about screenshot files for the smoke report and Gate 4: does the file exist inside the
// workspace, is it a PNG, and does it show anything (not one flat colour). The rules that use these
// facts are pure (core/harness/eval-report.ts); this is the file-reading half.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { ScreenshotFacts } from '../../core/harness/eval-report.js';

export interface PngFacts {
  png: boolean;
  nonblank: boolean;
  width: number;
  height: number;
}

/** A pixel counts as content when a channel differs from the background by more than this. */
const CHANNEL_TOLERANCE = 24;
/** This many content pixels make a screenshot non-blank (a few glyphs of text are hundreds). */
const MIN_CONTENT_PIXELS = 16;

/** Decodes a PNG; non-blank = enough pixels differ from the top-left pixel's colour. */
export function inspectPng(data: Buffer): PngFacts {
  let png: PNG;
  try {
    png = PNG.sync.read(data);
  } catch {
    return { png: false, nonblank: false, width: 0, height: 0 };
  }
  const { width, height, data: px } = png;
  const [r0, g0, b0, a0] = [px[0]!, px[1]!, px[2]!, px[3]!];
  let content = 0;
  for (let i = 0; i < px.length && content < MIN_CONTENT_PIXELS; i += 4) {
    if (
      Math.abs(px[i]! - r0) > CHANNEL_TOLERANCE ||
      Math.abs(px[i + 1]! - g0) > CHANNEL_TOLERANCE ||
      Math.abs(px[i + 2]! - b0) > CHANNEL_TOLERANCE ||
      Math.abs(px[i + 3]! - a0) > CHANNEL_TOLERANCE
    ) {
      content++;
    }
  }
  return { png: true, nonblank: content >= MIN_CONTENT_PIXELS, width, height };
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Resolves a workspace-relative path; undefined when it would leave the workspace. */
function insideWorkspace(workspace: string, rel: string): string | undefined {
  if (path.isAbsolute(rel)) return undefined;
  const full = path.resolve(workspace, rel);
  const root = path.resolve(workspace);
  return full.startsWith(root + path.sep) ? full : undefined;
}

/**
 * Facts for each screenshot path of an evaluator report (relative to the workspace). A link or a
 * path leaving the workspace counts as missing: the agent must not point the gate elsewhere.
 */
export function inspectScreenshots(workspace: string, paths: string[]): Record<string, ScreenshotFacts> {
  const out: Record<string, ScreenshotFacts> = {};
  for (const rel of paths) {
    const full = insideWorkspace(workspace, rel);
    let stat;
    try {
      stat = full ? lstatSync(full) : undefined;
    } catch {
      stat = undefined;
    }
    if (!full || !stat?.isFile()) {
      out[rel] = { exists: false, png: false, nonblank: false, bytes: 0 };
      continue;
    }
    const data = readFileSync(full);
    const facts = inspectPng(data);
    out[rel] = { exists: true, png: facts.png, nonblank: facts.nonblank, bytes: data.length };
  }
  return out;
}
