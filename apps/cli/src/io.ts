/**
 * Where a command writes. main() takes it as a parameter so tests can run commands in-process and
 * capture what they print; the bin passes the real process streams.
 */
export interface Io {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** `--verbose`: say more on stderr (why backends were passed over). */
  readonly verbose?: boolean;
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr };
