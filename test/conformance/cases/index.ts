/** Every conformance case, grouped by topic. */
import type { OracleCase } from '../case.ts';
import { errorCases } from './errors.ts';
import { eventLoopCases } from './event-loop.ts';
import { languageCases } from './language.ts';
import { promiseCases } from './promises.ts';
import { valueCases } from './values.ts';
import { workerCases } from './workers.ts';

export const ALL_CASES: readonly OracleCase[] = [...eventLoopCases, ...promiseCases, ...errorCases, ...workerCases, ...languageCases, ...valueCases];
