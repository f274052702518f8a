// Worker threads do not inherit the parent's tsx loader, so each one registers it before
// importing its TypeScript entry (given as a file URL in workerData.entry).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
