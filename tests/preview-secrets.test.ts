/**
 * What a preview of each committed stack must decrypt, measured: the program runs under mocks with the stack file's
 * config and every input it registers as a secret is recorded. The engine decrypts the stack's data key to read the
 * config's secure values and the state, and that one key opens every secret below, which is why a pull request
 * preview of a production stack runs against a redacted copy (docs/team-workflow.md states this table; the test
 * checks the page against the measurement).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runProgram } from "../testing/harness";
import { readStackFile, stackFiles, stackName } from "../testing/stack-files";

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Paths (a.b[0].c) of the secret values inside `value`. */
function secretPaths(value: unknown, at = ""): string[] {
    if (Array.isArray(value)) return value.flatMap((item, i) => secretPaths(item, `${at}[${i}]`));
    if (typeof value !== "object" || value === null) return [];
    if (SECRET_SIG_KEY in value) return [at];
    return Object.entries(value).flatMap(([key, item]) => secretPaths(item, at ? `${at}.${key}` : key));
}

/** `type name.property` rows of the page's measured table for `stack`. */
function documentedRows(stack: string): string[] {
    const page = fs.readFileSync(path.resolve(__dirname, "../docs/team-workflow.md"), "utf8");
    return [...page.matchAll(/^\| `([\w-]+)` \| `([^`]+)` \| `([^`]+)` \| `([^`]+)` \|$/gm)]
        .filter((m) => m[1] === stack)
        .map((m) => `${m[2]} ${m[3]}.${m[4]}`)
        .sort();
}

describe("what a preview decrypts, measured per stack file", () => {
    for (const file of stackFiles()) {
        it(`${file}: every secret input the program registers is in docs/team-workflow.md's table, and only those`, async () => {
            const { config, providerConfig } = readStackFile(file);
            const run = await runProgram({ config, providerConfig, secretKeys: ["databaseAdminUrl"], preview: true });
            const measured = run.resources.flatMap((r) => secretPaths(r.inputs).map((p) => `${r.type} ${r.name}.${p}`)).sort();
            assert.ok(measured.length > 0);
            assert.deepStrictEqual(documentedRows(stackName(file)), [...new Set(measured)]);
        });
    }
});
