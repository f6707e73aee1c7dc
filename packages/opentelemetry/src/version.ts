/** The instrumentation scope's name and version, as OpenTelemetry reports them. */
export const PACKAGE_NAME = '@mca-oauth/opentelemetry';
export const PACKAGE_VERSION = '0.0.0';
