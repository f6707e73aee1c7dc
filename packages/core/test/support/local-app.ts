/** For tests that run an app in a child process: a free port to give it, and a GET that waits for it to listen. */
export { freePort } from '../../../../test-support/free-port.js';

/** `fetch(url)`, tried again every 50 ms while the app is still starting (up to `attempts` times). */
export async function getWhenListening(url: string, attempts = 100): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fetch(url);
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
