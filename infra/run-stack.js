#!/usr/bin/env node
// `npm run start:stack`: the five services as separate processes in stack mode, against the
// Kafka and Elasticsearch that `npm run infra:up` started (or any others named by KAFKA_BROKERS
// and ELASTICSEARCH_URL). Each service's JSON log lines go to stdout as they are; the process
// stops all five on Ctrl-C and exits non-zero if one of them dies.
const { spawn } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const services = [
  { name: 'collector', port: 3101 },
  { name: 'classifier', port: 3102 },
  { name: 'indexer', port: 3103 },
  { name: 'alerter', port: 3104 },
  { name: 'api', port: Number(process.env.PORT ?? 3000) },
];

const children = services.map(({ name, port }) => {
  const child = spawn(process.execPath, ['-r', 'reflect-metadata', '-r', '@swc-node/register', `services/${name}/src/main.ts`], {
    cwd: root,
    env: { ...process.env, MONITOR_MODE: 'stack', PORT: String(port), DATA_DIR: process.env.DATA_DIR ?? join(root, '.data', 'stack') },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`${name} exited (${signal ?? code}); stopping the stack\n`);
    stop(1);
  });
  return child;
});

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(children.map((child) => (child.exitCode !== null ? null : new Promise((r) => child.once('exit', r))))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
process.stdout.write(`stack: ${services.map((s) => `${s.name} :${s.port}`).join(', ')}\n`);
