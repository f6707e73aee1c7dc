/**
 * The scan around each scenario, for a test file: one world, one observer; before each scenario a clean slate,
 * after it the scan of what the caller saw and of everything observed.
 */
import { findLeaks, type Sighting } from './leak-scanner.js';
import { observeEverything, type Observer } from './observers.js';
import { startSecretsWorld, type SecretsWorld } from './secrets-world.js';
import { tapTelemetry, type TelemetryTap } from './telemetry-tap.js';

export interface ScanContext {
  readonly world: SecretsWorld;
  readonly observer: Observer;
  /**
   * Leaks in what the caller saw (each entry: a name and a value) and in the log lines, diagnostics payloads and
   * warnings since the scenario began, in the ways apps print them (not `showHidden`: see `leaksShownHidden`).
   */
  leaksIn(seenByCaller: Record<string, unknown>): string[];
  /** Leaks in everything callers saw in this file, printed with `util.inspect(…, { showHidden: true, depth: Infinity })`. */
  leaksShownHidden(): string[];
  /** The same, for what one scenario's caller just caught (before its sockets serve other requests). */
  leaksShownHiddenIn(seenByCaller: Record<string, unknown>): string[];
}

export function useScanContext(): ScanContext {
  const holder = {} as { world: SecretsWorld; observer: Observer; telemetry: TelemetryTap };
  const seenByCallers: Sighting[] = [];
  beforeAll(async () => {
    holder.world = await startSecretsWorld();
    holder.observer = observeEverything();
    holder.telemetry = tapTelemetry();
  });
  // Whatever the scenario, what OpenTelemetry exported of it (spans, metric attributes) holds no secret or token.
  let exportedCount = 0;
  afterEach(async () => {
    const exported = await holder.telemetry.take();
    exportedCount += exported.length;
    expect(findLeaks(exported, holder.world.needles(), { showHidden: false })).toEqual([]);
  });
  beforeEach(() => {
    holder.world.reset();
    holder.observer.take();
  });
  afterAll(async () => {
    // The scan above looked at something: the instrumentation exported spans or metrics in this file.
    expect(exportedCount).toBeGreaterThan(0);
    await holder.telemetry?.stop();
    holder.observer?.stop();
    await holder.world?.close();
  });
  return {
    get world() {
      return holder.world;
    },
    get observer() {
      return holder.observer;
    },
    leaksIn(seenByCaller) {
      const sightings = Object.entries(seenByCaller).map(([where, value]) => ({ where, value }));
      seenByCallers.push(...sightings);
      return findLeaks([...sightings, ...holder.observer.take()], holder.world.needles(), { showHidden: false });
    },
    leaksShownHiddenIn(seenByCaller) {
      return findLeaks(Object.entries(seenByCaller).map(([where, value]) => ({ where, value })) as never, holder.world.needles(), { showHidden: true });
    },
    leaksShownHidden() {
      return findLeaks(seenByCallers, holder.world.needles(), { showHidden: true });
    },
  };
}
