// A small static server for dist/ (node:http only). Port: --port N, or $PORT, or 5173; 0 picks a free
// one. Listens on 127.0.0.1: localhost is a secure context, which WebGPU requires. Prints the URL.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

const argIndex = process.argv.indexOf('--port');
const port = Number(argIndex > 0 ? process.argv[argIndex + 1] : (process.env.PORT ?? 5173));
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid port '${argIndex > 0 ? process.argv[argIndex + 1] : process.env.PORT}': give 0-65535`);
  process.exit(2);
}
if (!existsSync(join(dist, 'index.html'))) {
  console.error(`nothing to serve in ${dist}: run pnpm --filter @ocellus/web-demo build first`);
  process.exit(1);
}

function requestPath(url) {
  try {
    return decodeURIComponent(new URL(url ?? '/', 'http://localhost').pathname);
  } catch {
    return null; // malformed escapes such as %E0
  }
}

const server = createServer((req, res) => {
  const path = requestPath(req.url);
  if (path === null) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request\n');
    return;
  }
  const file = normalize(join(dist, path.endsWith('/') ? `${path}index.html` : path));
  // Never serve anything outside dist/ (../ in the path).
  if (!file.startsWith(dist + sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
  });
  createReadStream(file).pipe(res);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`Ocellus web demo: http://127.0.0.1:${server.address().port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
