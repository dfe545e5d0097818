import { USAGE } from './usage.js';

const COMMAND_LINE = /^ {2}([a-z]+)\b/;
/** Where an option line's description starts. */
const DESCRIPTION_COLUMN = 24;

/**
 * `ocellus <command> --help`: that command's lines of the usage text (its synopsis and description),
 * then the options that name it or name no command, and the exit-status line. Undefined for an
 * unknown command (the caller prints the whole text).
 */
export function commandHelp(command: string): string | undefined {
  const lines = USAGE.split('\n');
  const start = lines.findIndex((l) => COMMAND_LINE.exec(l)?.[1] === command);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && lines[end] !== '' && !COMMAND_LINE.test(lines[end]!)) end++;
  const options: string[] = [];
  const optionsAt = lines.indexOf('Options:');
  for (let i = optionsAt + 1; i < lines.length && lines[i] !== ''; i++) {
    const line = lines[i]!;
    // an option line and its continuation lines (indented deeper) go together
    const block = [line];
    while (i + 1 < lines.length && /^ {20,}/.test(lines[i + 1]!)) block.push(lines[++i]!);
    // an option whose description starts with command names ("edges: ...", "devices, doctor: ...") is
    // theirs; any other is everyone's
    const description = block.join(' ').slice(DESCRIPTION_COLUMN).trim();
    const isCommand = (n: string) => lines.some((l) => COMMAND_LINE.exec(l)?.[1] === n);
    const first = /^([a-z]+)[,:] /.exec(description)?.[1];
    const named = [...description.matchAll(/\b([a-z]+)(?=[,:] )/g)].map((m) => m[1]!).filter(isCommand);
    if (first === undefined || !isCommand(first) || named.includes(command)) options.push(...block);
  }
  const status = lines.slice(lines.findIndex((l) => l.startsWith('Exit status'))).filter((l) => l !== '');
  return (
    `Usage: ocellus ${lines.slice(start, end).join('\n').trim()}\n\nOptions:\n${options.join('\n')}\n\n` +
    `${status.join('\n')}\n`
  );
}
