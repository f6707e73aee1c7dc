/** Test certificates come from the dev server, which makes its own (one implementation of the DER). */
export { createSelfSignedCertificate, type CertificateAndKey as SelfSignedCertificate } from '@mca-oauth/dev-server';
