// Sections that measure in fresh processes run a child script with one JSON argument and read the JSON it prints
// on its last line (anything a library logs before it is ignored).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The last line of a child's stdout, parsed as JSON. */
export function lastJsonLine(stdout) {
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

/** Runs `script` (a file path) in a new Node process with `argument` as JSON; its last JSON line. `options`: execFile's. */
export async function jsonFromChild(script, argument, options) {
  const { stdout } = await run(process.execPath, [script, JSON.stringify(argument)], options);
  return lastJsonLine(stdout);
}
