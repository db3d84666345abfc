// The title of a harness's pull request and shipped report: the prompt's first sentence, whole. A
// sentence longer than a title may be ends at a word boundary with an ellipsis, never mid-word.
const MAX_TITLE = 100;

/** The first sentence of the first non-empty line (a full stop, ! or ? followed by a space ends it). */
function firstSentence(text: string): string {
  const line =
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? '';
  const end = /[.!?](\s|$)/.exec(line);
  return end ? line.slice(0, end.index + 1) : line;
}

export function harnessTitle(prompt: string, max = MAX_TITLE): string {
  const sentence = firstSentence(prompt).replace(/\s+/g, ' ');
  if (sentence.length <= max) return sentence;
  const cut = sentence.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:–-]+$/, '')}…`;
}
