/**
 * nock for one test file: activated before, restored after. nock 15 keeps its interceptor installed on the
 * real http module otherwise, so a later test file in the same Jest worker would meet this file's (empty)
 * interceptor list and get 501s.
 */
import nock from 'nock';
import { closeIdleTokenConnections } from '../../src/http/private-agents.js';

export function useNock(): void {
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
    closeIdleTokenConnections();
  });
}
