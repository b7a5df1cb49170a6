/**
 * The workflow's stack matrix, derived from the committed Pulumi.<stack>.yaml files: each stack with the cloud its
 * file names and whether it is production (`postgrest:production`), in promotion order. The workflow's `stacks` job
 * prints it as JSON for `strategy.matrix` (https://docs.github.com/en/actions/using-jobs/using-a-matrix-for-your-jobs):
 * `deploy` runs the non-production stacks, `deploy-production` the production ones after every other succeeded.
 *
 *     npx ts-node --transpile-only scripts/stack-matrix.ts            # {"stacks":[...],"staging":[...],"production":[...]}
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { CLOUDS, Cloud } from "../components/config/cloud";
import { parseProduction } from "../components/config/production";
import { ConfigError, Problems, describeValue } from "../components/config/problems";

export interface MatrixStack {
    stack: string;
    cloud: Cloud;
    production: boolean;
}

export interface StackMatrix {
    /** Every stack, non-production first, each group by name: the order a person reads and the scheduled run uses. */
    stacks: MatrixStack[];
    /** The stacks deployed first. */
    staging: MatrixStack[];
    /** The stacks deployed once every staging stack succeeded. */
    production: MatrixStack[];
}

/** Pulumi's stack name rule: letters, digits, `-`, `_` and `.` (https://www.pulumi.com/docs/iac/concepts/stacks/). */
const STACK_FILE = /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/;

/** The matrix for `files` (file name -> its YAML text); every bad file is reported at once, naming the file and key. */
export function stackMatrix(files: Record<string, string>): StackMatrix {
    const problems = new Problems();
    const stacks: MatrixStack[] = [];
    for (const [file, text] of Object.entries(files)) {
        const stack = STACK_FILE.exec(file)?.[1];
        if (!stack) continue;
        const config = (parseYaml(text) as { config?: Record<string, unknown> } | null)?.config ?? {};
        const cloud = config["postgrest:cloud"];
        if (typeof cloud !== "string" || !(CLOUDS as readonly string[]).includes(cloud)) {
            problems.add(`${file}: postgrest:cloud`, `${describeValue(cloud)} is not one of ${CLOUDS.join(", ")}`, "postgrest:cloud: aws");
            continue;
        }
        stacks.push({
            stack,
            cloud: cloud as Cloud,
            production: parseProduction(config["postgrest:production"], `${file}: postgrest:production`, problems),
        });
    }
    if (stacks.length === 0) problems.add("Pulumi.<stack>.yaml", "no stack file found", "Pulumi.dev.yaml with postgrest:cloud: aws");
    problems.throwIfAny();
    stacks.sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
    const staging = stacks.filter((s) => !s.production);
    const production = stacks.filter((s) => s.production);
    return { stacks: [...staging, ...production], staging, production };
}

/** The stack files in `dir`, read. */
export function readStackFiles(dir: string): Record<string, string> {
    const files: Record<string, string> = {};
    for (const file of fs.readdirSync(dir)) if (STACK_FILE.test(file)) files[file] = fs.readFileSync(path.join(dir, file), "utf8");
    return files;
}

if (require.main === module) {
    try {
        process.stdout.write(`${JSON.stringify(stackMatrix(readStackFiles(path.resolve(__dirname, ".."))))}\n`);
    } catch (error) {
        process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
        process.exit(1);
    }
}
