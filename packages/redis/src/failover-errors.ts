/**
 * Which Redis errors mean "this Redis is between two masters" rather than "Redis is down": a command that meets
 * one was not run, and the same command a moment later reaches the new master. Found on real Clusters and
 * Sentinels (issue #18): a crashed master's slots answer MOVED to the dead node and then CLUSTERDOWN until its
 * replica takes over, which ioredis gives up on after `maxRedirections`; a demoted master answers READONLY.
 */

/**
 * - `CLUSTERDOWN`: a master failed and its replica is not promoted yet (cluster-require-full-coverage).
 * - `TRYAGAIN`: a multi-key command (our MGET) while its slot is being migrated and the keys are split.
 * - `READONLY`: a write reached a master that was just demoted to a replica (a Sentinel or Cluster failover).
 * - `MASTERDOWN`: a replica lost its master and serves no reads (replica-serve-stale-data no).
 * - `LOADING`: a restarted node still loading its data set.
 * - `Too many Cluster redirections`: ioredis's own retries ran out, mostly MOVED to the failed master.
 * @see https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#redirection-and-resharding
 */
const FAILOVER_ERROR = /^(CLUSTERDOWN|TRYAGAIN|READONLY|MASTERDOWN|LOADING)\b|^Too many Cluster redirections/;

export function isFailoverError(error: unknown): boolean {
  return error instanceof Error && FAILOVER_ERROR.test(error.message);
}
