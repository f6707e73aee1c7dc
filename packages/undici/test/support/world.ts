/** One test world per file, closed with everything core opened. */
import { closeIdleTokenConnections } from '@mca-oauth/core';
import { startTestWorld, type TestWorld } from '../../../../test-support/world.js';

export async function closeWorld(world: TestWorld | undefined): Promise<void> {
  await world?.close();
  closeIdleTokenConnections();
}

export { startTestWorld, type TestWorld };

/**
 * The file's world: started before its tests, closed after them. Returned at once and filled in by
 * `beforeAll`, so tests use it as a plain `TestWorld`.
 */
export function useTestWorld(): TestWorld {
  const world = {} as TestWorld;
  beforeAll(async () => {
    Object.assign(world, await startTestWorld());
  });
  afterAll(() => closeWorld(world));
  return world;
}
