/** @mca-oauth/opentelemetry: spans and metrics for mca-oauth, from core's diagnostics channels. */
export { McaInstrumentation } from './instrumentation.js';
export type { McaInstrumentationConfig } from './instrumentation.js';
export { ATTRIBUTE_NAMES, EVENT_NAMES, METRIC_NAMES, SPAN_NAMES } from './names.js';
