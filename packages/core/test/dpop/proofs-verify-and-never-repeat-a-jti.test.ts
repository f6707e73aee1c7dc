/** Property: proofs for random methods and URLs verify with jose and carry exactly that method and URL, and no jti repeats. */
import fc from 'fast-check';
import { createDpopKey } from '../../src/dpop/key.js';
import { DpopProver } from '../../src/dpop/prover.js';
import { verifyProof } from './proof-checks.js';

const prover = new DpopProver(createDpopKey(true));
const seen = new Set<string>();

const method = fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'), fc.stringMatching(/^[A-Za-z!#$%&'*+.^_`|~0-9-]{1,12}$/));
const url = fc.webUrl({ withQueryParameters: true, withFragments: true });

it('proofs verify with an independent verifier, name the method and the URL without query and fragment, and never repeat a jti', async () => {
  await fc.assert(
    fc.asyncProperty(method, url, fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), { nil: undefined }), async (htm, target, ath) => {
      const { payload } = await verifyProof(prover.proof(htm, target, ath), ['ES256']);
      expect(payload.htm).toBe(htm);
      expect(payload.htu).toBe(target.split(/[?#]/)[0]);
      expect(payload.ath).toBe(ath);
      expect(seen.has(payload.jti!)).toBe(false);
      seen.add(payload.jti!);
    }),
    { numRuns: 300 },
  );
  // Beyond one batch of pooled random bytes, jtis stay unique.
  for (let index = 0; index < 2000; index += 1) {
    const jti = JSON.parse(Buffer.from(prover.proof('GET', 'https://a.example/').split('.')[1]!, 'base64url').toString()).jti as string;
    expect(seen.has(jti)).toBe(false);
    seen.add(jti);
  }
});
