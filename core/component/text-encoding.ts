// Decoding a component's text files: UTF-8 only. A file saved as UTF-16 (Windows editors and
// PowerShell's `>` do this) is reported as an encoding problem instead of as broken YAML.
import { UserError } from '../errors.js';

/** The UTF-16 flavour of a buffer (by byte-order mark, or by NUL bytes in every other place), if any. */
export function utf16Kind(buf: Buffer): 'UTF-16 LE' | 'UTF-16 BE' | undefined {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return 'UTF-16 LE';
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return 'UTF-16 BE';
  const sample = buf.subarray(0, 512);
  if (sample.length < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) evenNul++;
    else oddNul++;
  }
  const half = sample.length / 2;
  if (oddNul > half * 0.6 && evenNul === 0) return 'UTF-16 LE';
  if (evenNul > half * 0.6 && oddNul === 0) return 'UTF-16 BE';
  return undefined;
}

/** The text of a file's bytes, as UTF-8 without a byte-order mark; UTF-16 is a user error naming the file. */
export function decodeUtf8(buf: Buffer, shownAs: string): string {
  const kind = utf16Kind(buf);
  if (kind) {
    throw new UserError(`the file is saved as ${kind}; dkmv reads YAML, templates and model scripts as UTF-8`, {
      location: { file: shownAs },
      hint: `save it again as UTF-8 (in your editor: "Save with encoding" → UTF-8), or convert it: iconv -f UTF-16 -t UTF-8 ${shownAs} > ${shownAs}.new && mv ${shownAs}.new ${shownAs}`,
    });
  }
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
