import { classifyCommand } from './commands/classify.js';
import { demoCommand } from './commands/demo.js';
import { detectCommand } from './commands/detect.js';
import { devicesCommand } from './commands/devices.js';
import { doctorCommand } from './commands/doctor.js';
import { edgesCommand } from './commands/edges.js';
import { exportCommand } from './commands/export.js';
import { grayCommand } from './commands/gray.js';
import { ocrCommand } from './commands/ocr.js';
import { streamCommand } from './commands/stream.js';
import { CliError, isOcellusError } from './errors.js';
import { type Io, processIo } from './io.js';
import { commandHelp } from './command-help.js';
import { USAGE } from './usage.js';
import { VERSION } from './version.js';

type Command = (args: readonly string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  devices: devicesCommand,
  doctor: doctorCommand,
  gray: grayCommand,
  edges: edgesCommand,
  demo: demoCommand,
  classify: classifyCommand,
  detect: detectCommand,
  ocr: ocrCommand,
  export: exportCommand,
  stream: streamCommand,
};

/**
 * Runs `ocellus` with `argv` (the arguments after the script) and returns the exit code: 0 done,
 * 1 failed, 2 bad arguments. It never calls process.exit, so tests can run it in-process.
 */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  // Options after '--' are positionals, so --help and --version are only looked for before it.
  const options = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  const help = options.findIndex((a) => a === '--help' || a === '-h');
  if (help >= 0) {
    const before = options[help - 1];
    if (before === '-o' || before === '--output') {
      return report(
        new CliError(
          `${argv[0]}: -o needs a file name, got '${options[help]}' (write -o ./${options[help]} for such a file)`,
          2,
        ),
        io,
      );
    }
    const name = argv[0];
    io.stdout.write((name !== undefined && help > 0 && commandHelp(name)) || USAGE);
    return 0;
  }
  // --verbose, anywhere before '--': every command says more (why backends were passed over)
  if (options.includes('--verbose')) {
    const at = argv.indexOf('--verbose');
    argv = [...argv.slice(0, at), ...argv.slice(at + 1)];
    io = { ...io, verbose: true };
  }
  if (options.includes('--version')) {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const [name, ...rest] = argv;
  try {
    if (name === undefined) throw new CliError('missing command', 2);
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command)
      throw new CliError(name.startsWith('-') ? `expected a command before '${name}'` : `unknown command '${name}'`, 2);
    return await command(rest, io);
  } catch (err) {
    return report(err, io, name);
  }
}

/** Prints an error the way its kind deserves and returns the exit code. */
function report(err: unknown, io: Io, command?: string): number {
  if (err instanceof CliError) {
    io.stderr.write(`ocellus: ${err.message}\n`);
    // after a usage error: the command's own help (the whole text when there is no known command)
    if (err.exitCode === 2) io.stderr.write(`\n${(command !== undefined && commandHelp(command)) || USAGE}`);
    return err.exitCode;
  }
  // Core's errors are written for users (an ImageDecodeError names the file and what is wrong with it).
  if (isOcellusError(err)) {
    io.stderr.write(`ocellus: ${err.message}\n`);
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(
    `ocellus: unexpected error: ${message}\n` +
      'ocellus: this is a bug in ocellus; please report it with the command you ran and this output ' +
      '(set OCELLUS_DEBUG=1 for the stack trace)\n',
  );
  if (process.env.OCELLUS_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  return 1;
}
