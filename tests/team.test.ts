/**
 * The documented commands against the repository: the README's first (solo) command sets the secret after the stack
 * exists and before `up`; docs/team-workflow.md's team backends and KMS secrets providers fit the committed stack
 * files, its environments admit main only with reviewers beyond dev, its identities trust one OIDC subject each, and it
 * documents every variable the workflows read; no committed stack file carries a passphrase salt.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { EXAMPLES_FOLDER, stackFiles, stackName } from "../testing/stack-files";

const root = path.resolve(__dirname, "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
const awsQuickStart = fs.readFileSync(path.join(root, "docs", "aws.md"), "utf8");
const teamWorkflow = fs.readFileSync(path.join(root, "docs", "team-workflow.md"), "utf8");

/** Shell lines of the ```bash blocks in `text`, comments and blanks dropped, continuations joined. */
function commands(text: string): string[] {
    const blocks = [...text.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1].replace(/\\\n\s*/g, ""));
    return blocks
        .flatMap((block) => block.split("\n"))
        .map((line) => line.replace(/\s+#.*$/, "").trim())
        .filter((line) => line && !line.startsWith("#"));
}

function stackSettings(file: string): Record<string, any> {
    return parseYaml(fs.readFileSync(path.join(root, file), "utf8"));
}

/** A secrets provider URL's parts, for the two KMS schemes Pulumi documents (https://www.pulumi.com/docs/iac/concepts/secrets/#available-encryption-providers). */
function parseSecretsProvider(
    url: string,
):
    | { scheme: "awskms"; alias: string; region: string }
    | { scheme: "gcpkms"; project: string; location: string; keyRing: string; key: string }
    | undefined {
    const aws = /^awskms:\/\/alias\/([\w/-]+)\?region=([a-z0-9-]+)$/.exec(url);
    if (aws) return { scheme: "awskms", alias: aws[1], region: aws[2] };
    const gcp = /^gcpkms:\/\/projects\/([\w-]+)\/locations\/([\w-]+)\/keyRings\/([\w-]+)\/cryptoKeys\/([\w-]+)$/.exec(url);
    if (gcp) return { scheme: "gcpkms", project: gcp[1], location: gcp[2], keyRing: gcp[3], key: gcp[4] };
    return undefined;
}

describe("README: the first command", () => {
    const first = commands(readme.slice(0, readme.indexOf("\n## ")))[0];

    it("runs npm ci, creates the stack, checks the stack file offline, then deploys, in that order", () => {
        const steps = ["npm ci", "pulumi stack select --create dev", "npm run check -- dev", "pulumi up --stack dev"].map((step) =>
            first.indexOf(step),
        );
        assert.ok(
            steps.every((at) => at >= 0),
            first,
        );
        assert.deepStrictEqual(
            [...steps].sort((a, b) => a - b),
            steps,
            "npm ci, stack select --create, check, up",
        );
    });

    it("needs no edit: Pulumi.dev.yaml creates its database and holds no id, host or secret to set; the existing-database example's placeholders are in the AWS quick start", () => {
        assert.ok(!first.includes("config set"), first);
        const dev = stackSettings("Pulumi.dev.yaml").config;
        assert.ok(dev["postgrest:database"].create, "Pulumi.dev.yaml creates its database");
        assert.ok(!/vpc-|subnet-|sg-|\.rds\.amazonaws\.com/.test(JSON.stringify(dev)), JSON.stringify(dev));
        const example = stackSettings(`${EXAMPLES_FOLDER}/Pulumi.dev.yaml`).config;
        const placeholders = [
            example["postgrest:database"].host,
            example["postgrest:aws"].network.vpcId,
            ...example["postgrest:aws"].network.publicSubnetIds,
            example["postgrest:aws"].databaseSecurityGroupId,
        ];
        for (const value of placeholders) assert.ok(awsQuickStart.includes(value), `${value} is not shown in the AWS quick start (docs/aws.md)`);
    });

    it("names the test command's Debian prerequisites next to it", () => {
        const top = readme.slice(0, readme.indexOf("\n## "));
        assert.match(top, /npm ci && npm test/);
        for (const prerequisite of ["psql", "postgresql-client", "shellcheck", "Node.js 22"]) assert.ok(top.includes(prerequisite), prerequisite);
    });
});

describe("docs/team-workflow.md: working as a team", () => {
    const team = commands(teamWorkflow);
    const inits = team
        .map((line) => /^pulumi stack init (\S+) --secrets-provider "([^"]+)"$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null);

    it("sets up an S3 + awskms:// stack and a GCS + gcpkms:// stack", () => {
        assert.deepStrictEqual([...new Set(inits.map((m) => parseSecretsProvider(m[2])?.scheme))].sort(), ["awskms", "gcpkms"]);
    });

    for (const file of stackFiles()) {
        const stack = stackName(file);
        it(`${file}: the documented backend and KMS key fit its cloud, region or project, and are created in step 1`, () => {
            const init = inits.find((m) => m[1] === stack);
            assert.ok(init, `no "pulumi stack init ${stack} --secrets-provider ..." in docs/team-workflow.md`);
            const config = stackSettings(file).config;
            const provider = parseSecretsProvider(init[2]);
            const login = team
                .slice(0, team.indexOf(init[0]))
                .filter((line) => line.startsWith("pulumi login "))
                .pop();
            if (config["postgrest:cloud"] === "aws") {
                assert.ok(provider?.scheme === "awskms", init[2]);
                assert.strictEqual(provider.region, config["aws:region"]);
                assert.ok(
                    team.some((line) => line.startsWith(`aws kms create-alias --alias-name alias/${provider.alias} `)),
                    `alias/${provider.alias} is created`,
                );
                const bucket = /^pulumi login s3:\/\/([\w.-]+)$/.exec(login ?? "")?.[1];
                assert.ok(bucket && team.some((line) => line.startsWith(`aws s3api create-bucket --bucket ${bucket} `)), `login: ${login}`);
            } else {
                assert.ok(provider?.scheme === "gcpkms", init[2]);
                // The stack file's project, or the one the team sets on the stack after init (a CI runner has no gcloud configuration).
                const project =
                    config["gcp:project"] ??
                    team.find((line) => line === `pulumi config set gcp:project ${provider.project} --stack ${stack}`)?.split(" ")[4];
                assert.strictEqual(provider.project, project);
                assert.ok(
                    team.includes(`gcloud kms keyrings create ${provider.keyRing} --project ${provider.project} --location ${provider.location}`),
                    `key ring ${provider.keyRing}`,
                );
                assert.ok(
                    team.includes(
                        `gcloud kms keys create ${provider.key} --project ${provider.project} --location ${provider.location} --keyring ${provider.keyRing} --purpose encryption`,
                    ),
                    `key ${provider.key}`,
                );
                const bucket = /^pulumi login gs:\/\/([\w.-]+)$/.exec(login ?? "")?.[1];
                assert.ok(bucket && team.some((line) => line.startsWith(`gcloud storage buckets create gs://${bucket} `)), `login: ${login}`);
            }
            const secretAt = team.findIndex(
                (line, i) => i > team.indexOf(init[0]) && line.startsWith("pulumi config set --secret databaseAdminUrl "),
            );
            // A stack that creates its database has no admin URL; the next stack's init comes before any secret of its own.
            const nextInit = inits.map((m) => team.indexOf(m[0])).find((at) => at > team.indexOf(init[0])) ?? team.length;
            if (config["postgrest:database"].create) assert.ok(secretAt < 0 || secretAt > nextInit, "no admin URL for a created database");
            else assert.ok(secretAt > team.indexOf(init[0]), "the secret is set after the stack exists");
        });

        it(`${file}: carries no passphrase salt, and a KMS provider only with its encrypted key`, () => {
            const settings = stackSettings(file);
            assert.strictEqual(
                settings.encryptionsalt,
                undefined,
                "a passphrase salt breaks a teammate with another passphrase; use a KMS secrets provider",
            );
            if (settings.secretsprovider !== undefined) {
                assert.ok(parseSecretsProvider(settings.secretsprovider), settings.secretsprovider);
                assert.ok(settings.encryptedkey, "secretsprovider without encryptedkey");
            }
        });
    }

    it("parses only the KMS URL forms Pulumi documents", () => {
        assert.deepStrictEqual(parseSecretsProvider("awskms://alias/pulumi-postgrest?region=us-east-1"), {
            scheme: "awskms",
            alias: "pulumi-postgrest",
            region: "us-east-1",
        });
        assert.strictEqual(parseSecretsProvider("awskms://alias/pulumi-postgrest"), undefined);
        assert.strictEqual(parseSecretsProvider("gcpkms://projects/p/keyRings/r/cryptoKeys/k"), undefined);
        assert.strictEqual(parseSecretsProvider("passphrase"), undefined);
    });

    it("documents every variable the workflows read", () => {
        const workflows = ["pulumi.yml", "pulumi-up.yml"]
            .map((file) => fs.readFileSync(path.join(root, ".github", "workflows", file), "utf8"))
            .join("\n");
        const variables = [...new Set([...workflows.matchAll(/\bvars\.(\w+)/g)].map((m) => m[1]))];
        assert.ok(variables.length >= 10, variables.join());
        for (const name of variables) {
            assert.ok(teamWorkflow.includes(`\`${name}\``), `${name} is not documented in docs/team-workflow.md`);
            assert.ok(
                team.some((line) => line.startsWith(`gh variable set ${name} `)),
                `no "gh variable set ${name}" in docs/team-workflow.md`,
            );
        }
    });

    it("limits every stack's environment, and plan's, to main, with a reviewer for every stack beyond the dev ones", () => {
        const environments = new Map(
            team
                .map((line) => /^gh api --method PUT repos\/ORG\/REPO\/environments\/([\w-]+) --input - <<<"\$(\w+)"$/.exec(line))
                .filter((m): m is RegExpExecArray => m !== null)
                .map((m) => [m[1], m[2]]),
        );
        const settings = (name: string) =>
            JSON.parse(/'([^']+)'/.exec(team.find((line) => line.startsWith(`${name}=`))!)![1].replace("TEAM_ID", "1"));
        for (const name of [...stackFiles().map(stackName), "plan", "prod"]) {
            assert.ok(environments.has(name), `environment ${name}`);
            const env = settings(environments.get(name)!);
            assert.deepStrictEqual(env.deployment_branch_policy, { protected_branches: false, custom_branch_policies: true }, name);
            assert.ok(
                team.includes(`gh api --method POST repos/ORG/REPO/environments/${name}/deployment-branch-policies -f name=main -f type=branch`),
                name,
            );
            const reviewed = name !== "plan" && !name.startsWith("dev");
            assert.strictEqual(env.reviewers?.length > 0 && env.prevent_self_review === true, reviewed, `${name}: reviewers`);
        }
    });

    it("binds each deploy identity's OIDC trust to its stack's environment, the preview's to pull requests, the plan's to its environment", () => {
        const awsTrust = (role: string) =>
            /--role-name (\S+) --assume-role-policy-document "\$\(trust (\S+)\)"/.exec(
                team.find((line) => line.includes(`create-role --role-name ${role} `)) ?? "",
            )?.[2];
        const gcpTrust = (account: string) =>
            /subject\/(\S+)"$/.exec(team.find((line) => line.includes(`add-iam-policy-binding ${account}@`)) ?? "")?.[1];
        assert.strictEqual(awsTrust("postgrest-preview"), "repo:ORG/REPO:pull_request");
        assert.strictEqual(gcpTrust("postgrest-preview"), "repo:ORG/REPO:pull_request");
        assert.strictEqual(awsTrust("postgrest-plan"), "repo:ORG/REPO:environment:plan");
        assert.strictEqual(gcpTrust("postgrest-plan"), "repo:ORG/REPO:environment:plan");
        for (const file of stackFiles()) {
            const stack = stackName(file);
            const trust =
                stackSettings(file).config["postgrest:cloud"] === "aws"
                    ? awsTrust(`postgrest-deploy-${stack}`)
                    : gcpTrust(`postgrest-deploy-${stack}`);
            assert.strictEqual(trust, `repo:ORG/REPO:environment:${stack}`, stack);
        }
    });
});
