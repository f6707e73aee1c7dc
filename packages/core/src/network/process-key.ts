/** A random key, new in every process, for keyed hashes that tell secrets apart without revealing them. */
import { randomBytes } from 'node:crypto';

export const PROCESS_KEY = randomBytes(32);
