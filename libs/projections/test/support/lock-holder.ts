/**
 * A child process that takes the lock of a read-model file, says so on stdout, and holds it until it is
 * killed. argv: <read-model path>
 */
import { lockReadModelFile } from '../../src/read-model-lock.js';

const [path] = process.argv.slice(2) as [string];
lockReadModelFile(path);
process.stdout.write(`locked ${process.pid}\n`);
setInterval(() => undefined, 60_000);
