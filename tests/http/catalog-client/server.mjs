// Starts a real idp-server on an ephemeral loopback port and waits for its
// one stdout line `listening on http://127.0.0.1:PORT` (printed once the
// initial ingestion is stitched). Stops it with SIGTERM and checks exit 0.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export function serverBinary() {
  const bin = process.env.IDP_SERVER || process.argv.find(a => a.endsWith('/idp-server'));
  if (!bin || !fs.existsSync(bin)) {
    throw new Error('set IDP_SERVER to the idp-server binary (ctest passes $<TARGET_FILE:idp-server>)');
  }
  return bin;
}

// config: app-config YAML text. Returns {url, port, pid, stop(), stderr()}.
export async function startServer({ config, locations = [], extraArgs = [] }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idp-http-test-'));
  const configPath = path.join(dir, 'app-config.yaml');
  fs.writeFileSync(configPath, config);
  const args = ['--config', configPath, '--listen', '127.0.0.1:0', '--db', path.join(dir, 'catalog.db')];
  for (const l of locations) args.push('--location', l);
  args.push(...extraArgs);
  const child = spawn(serverBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', d => {
    // keep the tail only: the access log grows with every request
    stderr = (stderr + d.toString()).slice(-20000);
  });
  const exited = new Promise(resolve => child.on('exit', (code, signal) => resolve({ code, signal })));
  const lines = readline.createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    lines.once('line', line => {
      const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
      if (m) resolve(m[1]);
      else reject(new Error(`unexpected first stdout line: ${JSON.stringify(line)}`));
    });
    exited.then(({ code, signal }) =>
      reject(new Error(`idp-server exited (code ${code}, signal ${signal}) before listening:\n${stderr}`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid,
    dir,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      const r = await exited;
      fs.rmSync(dir, { recursive: true, force: true });
      return r;
    },
  };
}
