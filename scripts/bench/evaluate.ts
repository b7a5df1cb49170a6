/**
 * One evaluation for `npm run bench:program`, in its own process, started the
 * way Pulumi's language host starts a program: node runs a file (not
 * `node -e`, which makes every built-in module a global that Pulumi's closure
 * serializer then walks), with ts-node registered beforehand (here from the
 * TS_NODE_* environment the bench sets, there by cmd/run), and the config
 * handed over whole before the program loads (there in PULUMI_CONFIG). Only
 * the mocks and the program are loaded; each module is compiled once. Prints
 * the resources registered, the peak RSS and the CPU time of this process and of the processes it
 * started (esbuild's, which transpiles and bundles).
 */
import * as fs from "fs";
import { runProgram, runUnderMocks } from "../../testing/harness";

async function evaluate(): Promise<void> {
    const stack = process.env.BENCH_STACK_CONFIG;
    const run = stack
        ? await runProgram({ ...(JSON.parse(stack) as { config: Record<string, unknown>; providerConfig: Record<string, string> }), preview: true })
        : await runUnderMocks(() => require("./one-bucket") as Record<string, unknown>, { preview: true });
    const usage = process.resourceUsage();
    const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000 + childProcessesCpuMs();
    process.stdout.write(JSON.stringify({ peakRssKb: usage.maxRSS, cpuMs, resources: run.resources.map((r) => `${r.type}::${r.name}`) }) + "\n");
}

/**
 * CPU time of this process's children still running (esbuild's service), from /proc/<pid>/stat: utime and stime,
 * in clock ticks of 10 ms on Linux. Read before exit, as nobody waits for them, so no rusage ever counts them.
 */
function childProcessesCpuMs(): number {
    let ms = 0;
    for (const pid of fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
        let stat: string;
        try {
            stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        } catch {
            continue; // gone meanwhile
        }
        // Fields after "(comm) ": state, ppid, ..., utime (14th field), stime (15th).
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        if (Number(fields[1]) === process.pid) ms += (Number(fields[11]) + Number(fields[12])) * 10;
    }
    return ms;
}

evaluate().catch((error) => {
    console.error(error);
    process.exit(1);
});
