/** One test world per file, closed with everything core opened. */
import { closeIdleTokenConnections } from '@mca-oauth/core';
import { startTestWorld, type TestWorld } from '../../../../test-support/world.js';

export async function closeWorld(world: TestWorld | undefined): Promise<void> {
  await world?.close();
  closeIdleTokenConnections();
}

export { startTestWorld, type TestWorld };
