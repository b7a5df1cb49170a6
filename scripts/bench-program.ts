/**
 * `npm run bench:program`: how long, and how much memory, evaluating each
 * stack file takes as Pulumi runs the program (ts-node registered the way
 * @pulumi/pulumi's cmd/run does, from the tsconfig Pulumi.yaml names), next
 * to a one-bucket aws.s3.Bucket program run the same way. Each evaluation is
 * a fresh process under pulumi.runtime.setMocks (scripts/bench/evaluate.ts)
 * that loads only the mocks and the program; the cases are interleaved round
 * by round, and the table shows medians of wall time, CPU time and peak RSS.
 *
 *   npm run bench:program                    # 5 rounds
 *   npm run bench:program -- --rounds 9 --typecheck   # also as Pulumi runs it with type-checking on
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { readStackFile } from "../testing/stack-files";

const root = path.resolve(__dirname, "..");
const BASELINE = "one aws.s3.Bucket";

/** The ts-node options @pulumi/pulumi's cmd/run (run.js) registers for a TypeScript program, given the tsconfig it uses. */
export function pulumiTsNodeOptions(tsconfigPath: string): {
    transpileOnly: boolean;
    project: string;
    skipProject: boolean;
    compilerOptions: Record<string, unknown>;
} {
    const ownOptions = readCompilerOptions(tsconfigPath);
    return {
        // run.js: `transpileOnly = compilerOptions.noCheck` (PULUMI_NODEJS_TRANSPILE_ONLY unset), else ts-node type-checks.
        transpileOnly: ownOptions.noCheck === true,
        project: tsconfigPath,
        skipProject: !fs.existsSync(tsconfigPath),
        // run.js: its defaults for TypeScript >= 4.7, then the tsconfig's own compilerOptions (not those it extends).
        compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...ownOptions },
    };
}

/** The tsconfig Pulumi.yaml's `runtime.options.tsconfig` names; Pulumi's default is tsconfig.json. */
export function projectTsconfig(projectDir = root): string {
    const project = parseYaml(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as {
        runtime: string | { options?: { tsconfig?: string } };
    };
    const configured = typeof project.runtime === "string" ? undefined : project.runtime.options?.tsconfig;
    return path.join(projectDir, configured ?? "tsconfig.json");
}

/** Only the file's own compilerOptions, as run.js reads them (ts.parseConfigFileTextToJson, no `extends`). */
function readCompilerOptions(tsconfigPath: string): Record<string, unknown> {
    if (!fs.existsSync(tsconfigPath)) return {};
    const ts: typeof import("typescript") = require("typescript");
    const parsed = ts.parseConfigFileTextToJson(tsconfigPath, fs.readFileSync(tsconfigPath, "utf8"));
    return (parsed.config?.compilerOptions ?? {}) as Record<string, unknown>;
}

export interface Evaluation {
    wallMs: number;
    /** User and system CPU time of the evaluating process and of esbuild's: less swayed by other jobs than wall time. */
    cpuMs: number;
    peakRssMb: number;
    /** `type::name` of each resource the program registered, in order. */
    resources: string[];
}

interface Case {
    label: string;
    /** A stack file, or undefined for the one-bucket baseline. */
    stackFile?: string;
    tsconfig: string;
}

/**
 * Evaluates a stack file (or, without one, the one-bucket program) under mocks in a fresh process
 * (scripts/bench/evaluate.ts), with ts-node registered as Pulumi's runner registers it from `tsconfig`.
 */
export function evaluateAsPulumiRuns(stackFile: string | undefined, tsconfig: string): Evaluation {
    // ts-node reads its register() options from these variables (https://typestrong.org/ts-node/docs/options),
    // and the tsconfig's own "ts-node" section from the file, as when Pulumi's runner passes `project`.
    const tsNode = pulumiTsNodeOptions(tsconfig);
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, ["-r", require.resolve("ts-node/register"), path.join(__dirname, "bench", "evaluate.ts")], {
        cwd: root,
        encoding: "utf8",
        env: {
            ...process.env,
            TS_NODE_TRANSPILE_ONLY: String(tsNode.transpileOnly),
            TS_NODE_PROJECT: tsNode.project,
            TS_NODE_SKIP_PROJECT: String(tsNode.skipProject),
            TS_NODE_COMPILER_OPTIONS: JSON.stringify(tsNode.compilerOptions),
            // The stack file is read here, as the engine reads it and not the program.
            BENCH_STACK_CONFIG: stackFile ? JSON.stringify(readStackFile(stackFile)) : "",
        },
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (child.status !== 0) throw new Error(`${stackFile ?? BASELINE} failed (exit ${child.status}):\n${child.stderr}`);
    const report = JSON.parse(child.stdout.trim().split("\n").pop()!) as { peakRssKb: number; cpuMs: number; resources: string[] };
    return { wallMs, cpuMs: report.cpuMs, peakRssMb: report.peakRssKb / 1024, resources: report.resources };
}

export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function main(): void {
    const args = process.argv.slice(2);
    const roundsAt = args.indexOf("--rounds");
    const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 5;
    const tsconfig = projectTsconfig();
    const stackFiles = fs
        .readdirSync(root)
        .filter((file) => /^Pulumi\..+\.yaml$/.test(file))
        .sort();
    const cases: Case[] = [{ label: BASELINE, tsconfig }, ...stackFiles.map((stackFile) => ({ label: stackFile, stackFile, tsconfig }))];
    if (args.includes("--typecheck")) {
        const checked = path.join(root, "tsconfig.json");
        cases.push(...stackFiles.map((stackFile) => ({ label: `${stackFile}, type-checked`, stackFile, tsconfig: checked })));
    }

    const results = new Map<string, Evaluation[]>(cases.map((c) => [c.label, []]));
    for (let round = 0; round < rounds; round++) {
        // Rotate the order each round, so no case always runs first (cold disk cache) or last.
        const order = cases.map((_, i) => cases[(i + round) % cases.length]);
        for (const benchCase of order) results.get(benchCase.label)!.push(evaluateAsPulumiRuns(benchCase.stackFile, benchCase.tsconfig));
        process.stderr.write(`round ${round + 1}/${rounds} done\n`);
    }

    const medians = new Map(
        [...results].map(([label, runs]) => [
            label,
            { wallMs: median(runs.map((r) => r.wallMs)), cpuMs: median(runs.map((r) => r.cpuMs)), peakRssMb: median(runs.map((r) => r.peakRssMb)) },
        ]),
    );
    const base = medians.get(BASELINE)!;
    console.log(
        `Evaluated under mocks as Pulumi runs it (${path.relative(root, tsconfig)}, transpileOnly: ${pulumiTsNodeOptions(tsconfig).transpileOnly}), Node ${process.versions.node}, load average ${os.loadavg()[0].toFixed(1)} at the end, median of ${rounds} interleaved runs:\n`,
    );
    console.log("| program | wall time | CPU time | peak memory (RSS) | vs one bucket: wall | CPU | memory |");
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const [label, m] of medians) {
        console.log(
            `| ${label} | ${(m.wallMs / 1000).toFixed(2)} s | ${(m.cpuMs / 1000).toFixed(2)} s | ${m.peakRssMb.toFixed(0)} MB | ${(m.wallMs / base.wallMs).toFixed(2)}× | ${(m.cpuMs / base.cpuMs).toFixed(2)}× | ${(m.peakRssMb / base.peakRssMb).toFixed(2)}× |`,
        );
    }
}

if (require.main === module) main();
