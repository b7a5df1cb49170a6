/**
 * How Pulumi runs the program (Pulumi.yaml -> tsconfig.pulumi.json -> ts-node
 * without type-checking) while `npm test` type-checks strictly, and the pure
 * parts of `npm run bench:program`.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluateAsPulumiRuns, median, projectTsconfig, pulumiTsNodeOptions } from "../scripts/bench-program";
import { runProgram } from "../testing/harness";
import { readStackFile, stackFiles } from "../testing/stack-files";

const root = path.resolve(__dirname, "..");

describe("how Pulumi runs the program", () => {
    it("Pulumi.yaml names tsconfig.pulumi.json, with which Pulumi's runner registers ts-node transpile-only", () => {
        const tsconfig = projectTsconfig();
        assert.strictEqual(path.relative(root, tsconfig), "tsconfig.pulumi.json");
        const options = pulumiTsNodeOptions(tsconfig);
        assert.strictEqual(options.transpileOnly, true);
        // The tsconfig's own module settings win over the runner's nodenext defaults, so the program runs as CommonJS as under tsc.
        assert.deepStrictEqual([options.compilerOptions.module, options.compilerOptions.moduleResolution], ["commonjs", "node"]);
    });

    it("would type-check with Pulumi's default tsconfig.json, and with a Pulumi.yaml without the option", () => {
        assert.strictEqual(pulumiTsNodeOptions(path.join(root, "tsconfig.json")).transpileOnly, false);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-yaml-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: x\nruntime: nodejs\n");
        assert.strictEqual(projectTsconfig(dir), path.join(dir, "tsconfig.json"));
        fs.rmSync(dir, { recursive: true });
    });

    it("npm test still type-checks everything strictly before any test runs", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        assert.match(pkg.scripts.test, /(^|&& )tsc --noEmit -p \. && mocha "tests\/\*\*\/\*\.test\.ts"$/);
        const strict = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8")).compilerOptions;
        assert.deepStrictEqual([strict.strict, strict.noCheck], [true, undefined]);
    });

    it("runs on Node 22 everywhere: engines, .nvmrc, the policy pack", () => {
        const engines = [
            JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).engines.node,
            JSON.parse(fs.readFileSync(path.join(root, "policy", "package.json"), "utf8")).engines.node,
        ];
        assert.deepStrictEqual(engines, [">=22.0.0", ">=22.0.0"]);
        assert.strictEqual(fs.readFileSync(path.join(root, ".nvmrc"), "utf8").trim(), "22");
    });
});

describe("the program as Pulumi runs it: ts-node with tsconfig.pulumi.json's esbuild transpiler", () => {
    it("tsconfig.pulumi.json hands ts-node's transpiling to esbuild-transpiler.js", () => {
        const pulumiTsconfig = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.pulumi.json"), "utf8"));
        assert.deepStrictEqual(pulumiTsconfig["ts-node"], { transpiler: "./esbuild-transpiler.js" });
    });

    for (const file of stackFiles()) {
        it(`${file} registers the same resources as under TypeScript's own transpiler`, async function () {
            const asPulumiRuns = evaluateAsPulumiRuns(file, projectTsconfig());
            const underMocha = await runProgram({ ...readStackFile(file), preview: true });
            assert.ok(asPulumiRuns.resources.length > 10, asPulumiRuns.resources.join("\n"));
            assert.deepStrictEqual(
                asPulumiRuns.resources,
                underMocha.resources.map((r) => `${r.type}::${r.name}`),
            );
        });
    }
});

describe("bench:program medians", () => {
    for (const [values, expected] of [
        [[3], 3],
        [[5, 1, 3], 3],
        [[4, 1, 3, 2], 2.5],
    ] as [number[], number][]) {
        it(`median of ${values.join(", ")} is ${expected}`, () => assert.strictEqual(median(values), expected));
    }
});
