import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface DemoServer {
  readonly url: string;
  stop(): void;
}

/** Starts scripts/serve.mjs on a free port and resolves with the URL it prints. */
export function startDemoServer(appDir: string): Promise<DemoServer> {
  const child: ChildProcess = spawn(process.execPath, [join(appDir, 'scripts/serve.mjs'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(output)?.[0];
      if (url) resolve({ url, stop: () => child.kill() });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the demo server exited (code ${code}) before listening:\n${output}`)));
    child.on('error', reject);
  });
}
