// The parent's handle on lib/server-process.mjs: start it, call its commands, stop it.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./server-process.mjs', import.meta.url));

/** Starts the server process; resolves with `{ call(cmd, args), rotating, steady, close() }`. */
export async function startServers() {
  const child = fork(SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 1;
  let ready;
  const started = new Promise((resolve, reject) => {
    ready = resolve;
    child.once('exit', (code) => reject(new Error(`server process exited with ${code} before it was ready`)));
  });
  child.on('message', ({ id, value, error }) => {
    if (id === 0) return ready();
    const waiter = pending.get(id);
    pending.delete(id);
    if (error !== undefined) waiter.reject(new Error(`server process: ${error}`));
    else waiter.resolve(value);
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`server process exited with ${code}`));
    pending.clear();
  });
  await started;

  const call = (cmd, args = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, ...args });
    });
  const described = await call('describe');
  return {
    ...described,
    pid: child.pid,
    call,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await call('close').catch(() => child.kill());
      await exited;
    },
  };
}
