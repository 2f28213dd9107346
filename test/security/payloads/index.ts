/** Every sandbox-escape payload (see payload.ts for the shape). */
import { boundaryPayloads } from './boundaries.ts';
import { hostValuePayloads } from './host-values.ts';
import type { Payload } from './payload.ts';
import { pollutedPayloads } from './polluted.ts';
import { reachPayloads } from './reach.ts';

export type { Payload } from './payload.ts';
export const PAYLOADS: readonly Payload[] = [...reachPayloads, ...hostValuePayloads, ...boundaryPayloads, ...pollutedPayloads];
