import { parentPort, workerData } from 'node:worker_threads';
import { runReplayPartition, type ReplayPartitionData } from './replay-partition.js';

// The entry of a replay partition's thread (see replay-partition.ts): started by the projector only.
const port = parentPort;
if (port) {
  void runReplayPartition(workerData as ReplayPartitionData, (message) => port.postMessage(message)).finally(
    () => port.close(),
  );
}
