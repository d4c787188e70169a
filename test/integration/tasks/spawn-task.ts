/**
 * Child process for the restore tests: creates a task from the options in argv[2], attaches to
 * it, prints its pids as one JSON line, then idles until killed — standing in for a skiffd that
 * dies with kill -9 while it holds a shim.
 */
import { ShimTaskService, type CreateTaskOptions } from '../../../src/containerd/tasks/index.js';

const opts = JSON.parse(process.argv[2]!) as CreateTaskOptions;
const task = await new ShimTaskService().create(opts);
const stream = await task.attach({ stdin: false, stdout: true, stderr: true });
stream.stdout?.resume();
stream.stderr?.resume();
process.stdout.write(`${JSON.stringify({ pid: task.pid, shimPid: task.shimPid })}\n`);
setInterval(() => undefined, 1 << 30);
