// Joins section 1b (what an adapter adds per request, measured without the network) with section 1
// (the plain client's CPU per request end to end) into the ratio that addition (the mean, with GC) predicts:
// plain / (plain + added). Global fetch dispatches through the same undici layer as `request`, so its
// adapters add what undici's do.
import { round } from './stats.mjs';

/** `[client, variant, isolated group, isolated label, baseline label]`; baseline's added cost is subtracted too. */
const PREDICTIONS = [
  ['axios', 'mcaInterceptor', 'axios', 'mcaInterceptor', 'plain'],
  ['axios', 'installMca', 'axios', 'installMca', 'plain'],
  ['axios', 'peer', 'axios', 'peer', 'plain'],
  ['got', 'mcaHooks', 'got', 'mcaHooks', 'plain'],
  ['undici.request', 'no-op compose', 'undici.request', 'no-op compose', 'plain'],
  ['undici.request', 'mcaInterceptor', 'undici.request', 'mcaInterceptor', 'plain'],
  ['undici.request', 'mcaInterceptor', 'undici.request', 'mcaInterceptor', 'no-op compose'],
  ['undici.request', 'McaAgent', 'undici.request', 'McaAgent', 'plain'],
  ['fetch', 'mcaInterceptor', 'undici.request', 'mcaInterceptor', 'plain'],
  ['fetch', 'McaAgent', 'undici.request', 'McaAgent', 'plain'],
];

/**
 * Section 1c's added nanoseconds over section 1's plain CPU per request for the same client: what registering
 * McaInstrumentation predicts end to end. Context only: a prediction never marks a target met.
 */
export function predictOtelRatios(otel, overhead) {
  return otel.rows.map((row) => {
    const plain = overhead?.groups.find((g) => g.client === row.client)?.rows.find((r) => r.label === 'plain');
    const plainMicros = plain?.cpuMicrosPerRequest.median ?? null;
    return {
      client: row.client,
      adapter: row.adapter,
      addedNs: row.addedNs,
      plainCpuMicrosPerRequest: plainMicros,
      predictedRatio: plainMicros === null || row.addedNs === null ? null : round(plainMicros / (plainMicros + row.addedNs / 1000), 4),
    };
  });
}

export function predictRatios(isolated, overhead) {
  const added = (group, label) => isolated.groups.find((g) => g.client === group)?.rows.find((r) => r.label === label)?.addedMeanNs ?? 0;
  return PREDICTIONS.flatMap(([client, variant, group, label, baseline]) => {
    const plain = overhead?.groups.find((g) => g.client === client)?.rows.find((r) => r.label === 'plain');
    const x = added(group, label);
    const y = baseline === 'plain' ? 0 : added(group, baseline);
    const plainMicros = plain?.cpuMicrosPerRequest.median ?? null;
    return [
      {
        client,
        pair: `${variant} / ${baseline}`,
        addedNs: round(x - y, 0),
        plainCpuMicrosPerRequest: plainMicros,
        predictedRatio: plainMicros === null ? null : round((plainMicros + y / 1000) / (plainMicros + x / 1000), 3),
      },
    ];
  });
}
