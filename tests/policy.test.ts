/**
 * The policy pack (policy/) against the program's own resources, registered
 * under mocks from the committed stack files and from configs that turn on
 * HTTPS and the GCP load balancer: every policy passes on what the program
 * builds, and reports a violation when one of those resources is changed to
 * break its invariant.
 */
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../policy/policies";
import { RegisteredResource, runProgram } from "../testing/harness";
import { EXAMPLES_FOLDER, readStackFile } from "../testing/stack-files";

// The examples for a database the user has: an existing VPC and the database's security group on AWS.
const EXISTING_AWS = `${EXAMPLES_FOLDER}/Pulumi.dev.yaml`;
const EXISTING_GCP = `${EXAMPLES_FOLDER}/Pulumi.dev-gcp.yaml`;

type Resources = RegisteredResource[];

function policyNamed(name: string): ResourceValidationPolicy | StackValidationPolicy {
    const found = policies.find((p) => p.name === name);
    if (!found) throw new Error(`no policy ${name}`);
    return found;
}

/** The analyzer's helpers; the policies use none of them, so each says so if called. */
function unused(name: string): () => never {
    return () => {
        throw new Error(`the policies do not use ${name}`);
    };
}

function asPolicyResource(resource: RegisteredResource): PolicyResource {
    return {
        type: resource.type,
        props: resource.inputs,
        urn: `urn:pulumi:test::postgrest::${resource.type}::${resource.name}`,
        name: resource.name,
        opts: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        dependencies: [],
        propertyDependencies: {},
        isType: unused("isType"),
        asType: unused("asType"),
    };
}

/** Runs one policy as the analyzer would: per resource, or once over the stack; returns the violation messages. */
async function violations(policyName: string, resources: Resources): Promise<string[]> {
    const policy = policyNamed(policyName);
    const reported: string[] = [];
    const report = (message: string) => reported.push(message);
    if ("validateStack" in policy) {
        await policy.validateStack(
            {
                resources: resources.map(asPolicyResource),
                stackTags: new Map(),
                getConfig: unused("getConfig"),
                notApplicable: unused("notApplicable"),
            },
            report,
        );
        return reported;
    }
    const validations = [policy.validateResource ?? []].flat();
    for (const resource of resources) {
        const args: ResourceValidationArgs = {
            ...asPolicyResource(resource),
            asType: unused("asType"),
            stackTags: new Map(),
            getConfig: unused("getConfig"),
            notApplicable: unused("notApplicable"),
        };
        for (const validate of validations) await validate(args, report);
    }
    return reported;
}

/** A deep copy of `resources` with the first resource of `type` (and `name`, if given) changed by `edit`. */
function withEdit(resources: Resources, type: string, edit: (inputs: Record<string, any>) => void, name?: string): Resources {
    // Through JSON: an asset's inputs (the roles/grants function's code archive) hold promises, which structuredClone refuses.
    const copy: Resources = JSON.parse(JSON.stringify(resources));
    const target = copy.find((r) => r.type === type && (name === undefined || r.name === name));
    if (!target) throw new Error(`no ${type} ${name ?? ""}`);
    edit(target.inputs);
    return copy;
}

function added(resources: Resources, type: string, name: string, inputs: Record<string, unknown>): Resources {
    return [...resources, { type, name, urn: `urn:pulumi:test::postgrest::${type}::${name}`, inputs, id: `${name}-id` }];
}

const MANDATORY = policies.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name);

describe("policy pack", () => {
    const programs: Record<string, Resources> = {};
    before(async function () {
        this.timeout(180_000);
        for (const file of [EXISTING_AWS, EXISTING_GCP, "Pulumi.dev.yaml", "Pulumi.dev-gcp.yaml"])
            programs[file] = (await runProgram(readStackFile(file))).resources;
        const aws = readStackFile(EXISTING_AWS);
        const awsConfig = aws.config.aws as Record<string, unknown>;
        programs.awsHttps = (
            await runProgram({
                ...aws,
                config: {
                    ...aws.config,
                    aws: {
                        ...awsConfig,
                        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666",
                        domainName: "api.example.com",
                    },
                },
            })
        ).resources;
        const gcp = readStackFile(EXISTING_GCP);
        programs.gcpLoadBalancer = (
            await runProgram({ ...gcp, config: { ...gcp.config, gcp: { loadBalancer: { domain: "api.example.com" } } } })
        ).resources;
        const inNetwork = (config: Record<string, unknown>) => ({
            ...config,
            database: { ...(config.database as Record<string, unknown>), adminAccess: "in-network" },
        });
        // The committed AWS stack joins the database's VPC with its security group: in-network needs nothing more.
        programs.awsInNetwork = (await runProgram({ ...aws, config: inNetwork(aws.config) })).resources;
        programs.gcpInNetwork = (
            await runProgram({ ...gcp, config: { ...inNetwork(gcp.config), gcp: { network: { mode: "existing", subnetwork: "db-subnet" } } } })
        ).resources;
    });

    it("has the six policies, each named and described", () => {
        assert.deepStrictEqual(
            policies.map((p) => [p.name, p.enforcementLevel]),
            [
                ["no-secrets-in-plain-env", "mandatory"],
                ["internet-ingress-only-web-ports-to-load-balancer", "mandatory"],
                ["secret-access-scoped-to-named-secrets", "mandatory"],
                ["no-project-wide-owner-editor-or-secret-accessor", "mandatory"],
                ["cloud-run-max-instances-set", "mandatory"],
                ["load-balancer-serves-https", "advisory"],
            ],
        );
    });

    for (const program of [
        EXISTING_AWS,
        EXISTING_GCP,
        "Pulumi.dev.yaml",
        "Pulumi.dev-gcp.yaml",
        "awsHttps",
        "gcpLoadBalancer",
        "awsInNetwork",
        "gcpInNetwork",
    ]) {
        it(`every mandatory policy passes on what the program builds (${program})`, async () => {
            for (const name of MANDATORY) assert.deepStrictEqual(await violations(name, programs[program]), [], name);
        });
    }

    describe("no-secrets-in-plain-env", () => {
        it("reports the JWT secret moved into an ECS task's plain environment", async () => {
            const leaked = withEdit(programs[EXISTING_AWS], "aws:ecs/taskDefinition:TaskDefinition", (inputs) => {
                const containers = JSON.parse(inputs.containerDefinitions);
                containers[0].environment.push({ name: "PGRST_JWT_SECRET", value: "a-jwt-secret-of-at-least-32-characters" });
                inputs.containerDefinitions = JSON.stringify(containers);
            });
            assert.deepStrictEqual(await violations("no-secrets-in-plain-env", leaked), [
                "container postgrest: PGRST_JWT_SECRET is a secret in a plain environment variable; reference the secret from Secrets Manager / Secret Manager instead (components/aws/secrets.ts, components/gcp/secrets.ts)",
            ]);
        });

        it("reports the admin URL put into the roles/grants function's environment", async () => {
            const leaked = withEdit(programs.gcpInNetwork, "gcp:cloudfunctionsv2/function:Function", (inputs) => {
                inputs.serviceConfig.environmentVariables = { ADMIN: "postgresql://admin:pw@10.0.0.5/startup" };
            });
            assert.deepStrictEqual(await violations("no-secrets-in-plain-env", leaked), [
                "function postgrest-admin-function (runtime): ADMIN holds a URL with a password; reference the secret from Secrets Manager / Secret Manager instead (components/aws/secrets.ts, components/gcp/secrets.ts)",
            ]);
        });

        it("reports a database URL with its password in a Cloud Run env value, and accepts PostgREST's @file reference", async () => {
            const service = programs[EXISTING_GCP].find((r) => r.type === "gcp:cloudrunv2/service:Service")!;
            const dbUri = service.inputs.template.containers[0].envs.find((e: { name: string }) => e.name === "PGRST_DB_URI");
            assert.match(dbUri.value, /^@\//, "the program reads the URI from a mounted secret file");
            const leaked = withEdit(programs[EXISTING_GCP], "gcp:cloudrunv2/service:Service", (inputs) => {
                inputs.template.containers[0].envs.find((e: { name: string }) => e.name === "PGRST_DB_URI").value =
                    "postgresql://authenticator:pw-1234@34.123.45.67:5432/startup";
            });
            const found = await violations("no-secrets-in-plain-env", leaked);
            assert.strictEqual(found.length, 1, found.join("\n"));
            assert.match(found[0], /PGRST_DB_URI holds a URL with a password/);
        });
    });

    describe("internet-ingress-only-web-ports-to-load-balancer", () => {
        it("reports a non-web port opened to the internet", async () => {
            const opened = withEdit(
                programs[EXISTING_AWS],
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                (inputs) => {
                    inputs.fromPort = 3000;
                    inputs.toPort = 3000;
                },
                "postgrest-sg-alb-from-internet-80",
            );
            assert.deepStrictEqual(await violations("internet-ingress-only-web-ports-to-load-balancer", opened), [
                "postgrest-sg-alb-from-internet-80: opens ports 3000-3000 to the internet; only 80 and 443 may be open, and only on the load balancer",
            ]);
        });

        it("reports port 80 opened to the internet on the tasks' security group", async () => {
            const tasksGroup = programs[EXISTING_AWS].find((r) => r.name === "postgrest-sg-tasks-from-alb-3000")!.inputs.securityGroupId;
            const opened = withEdit(
                programs[EXISTING_AWS],
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                (inputs) => {
                    inputs.securityGroupId = tasksGroup;
                },
                "postgrest-sg-alb-from-internet-80",
            );
            const found = await violations("internet-ingress-only-web-ports-to-load-balancer", opened);
            assert.deepStrictEqual(found.length, 1, found.join("\n"));
            assert.match(found[0], /not the load balancer's/);
        });

        it("reports a Cloud Run service behind the load balancer that still takes direct traffic", async () => {
            const open = withEdit(programs.gcpLoadBalancer, "gcp:cloudrunv2/service:Service", (inputs) => {
                inputs.ingress = "INGRESS_TRAFFIC_ALL";
            });
            assert.deepStrictEqual(await violations("internet-ingress-only-web-ports-to-load-balancer", open), [
                "postgrest-service: ingress is INGRESS_TRAFFIC_ALL behind a load balancer; set INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
            ]);
        });
    });

    describe("secret-access-scoped-to-named-secrets", () => {
        it("reports an ECS role that may read every secret", async () => {
            const wide = withEdit(programs[EXISTING_AWS], "aws:iam/rolePolicy:RolePolicy", (inputs) => {
                const policy = JSON.parse(inputs.policy);
                policy.Statement[0].Resource = "*";
                inputs.policy = JSON.stringify(policy);
            });
            assert.deepStrictEqual(await violations("secret-access-scoped-to-named-secrets", wide), [
                "postgrest-service-read-secrets: grants reading secrets on *; name each secret's ARN",
            ]);
        });

        it("reports secretAccessor granted on the whole project", async () => {
            const member = programs[EXISTING_GCP].find((r) => r.type === "gcp:secretmanager/secretIamMember:SecretIamMember")!.inputs.member;
            const wide = added(programs[EXISTING_GCP], "gcp:projects/iAMMember:IAMMember", "postgrest-read-all-secrets", {
                project: "my-project-id",
                role: "roles/secretmanager.secretAccessor",
                member,
            });
            assert.deepStrictEqual(await violations("secret-access-scoped-to-named-secrets", wide), [
                "postgrest-read-all-secrets: grants roles/secretmanager.secretAccessor on the whole project; grant it per secret (gcp.secretmanager.SecretIamMember)",
            ]);
        });
    });

    describe("no-project-wide-owner-editor-or-secret-accessor", () => {
        it("reports editor on the project for the service's account", async () => {
            const member = programs[EXISTING_GCP].find((r) => r.type === "gcp:secretmanager/secretIamMember:SecretIamMember")!.inputs.member;
            const wide = added(programs[EXISTING_GCP], "gcp:projects/iAMMember:IAMMember", "postgrest-editor", {
                project: "my-project-id",
                role: "roles/editor",
                member,
            });
            assert.deepStrictEqual(await violations("no-project-wide-owner-editor-or-secret-accessor", wide), [
                `postgrest-editor: gives ${member} roles/editor on the project; grant a narrower role on the resource it needs`,
            ]);
        });
    });

    describe("cloud-run-max-instances-set", () => {
        it("reports a Cloud Run service without a max instance count", async () => {
            const unbounded = withEdit(programs[EXISTING_GCP], "gcp:cloudrunv2/service:Service", (inputs) => {
                delete inputs.template.scaling;
                delete inputs.scaling;
            });
            assert.deepStrictEqual(await violations("cloud-run-max-instances-set", unbounded), [
                "postgrest-service: no max instance count; set service.maxInstances in the stack config",
            ]);
        });

        it("reports the roles/grants function without a max instance count", async () => {
            const unbounded = withEdit(programs.gcpInNetwork, "gcp:cloudfunctionsv2/function:Function", (inputs) => {
                delete inputs.serviceConfig.maxInstanceCount;
            });
            assert.deepStrictEqual(await violations("cloud-run-max-instances-set", unbounded), [
                "postgrest-admin-function: no max instance count; set serviceConfig.maxInstanceCount (components/gcp/in-network-admin.ts)",
            ]);
        });
    });

    describe("load-balancer-serves-https (advisory)", () => {
        it("reports the HTTP-only load balancer of the committed AWS stack", async () => {
            assert.deepStrictEqual(await violations("load-balancer-serves-https", programs[EXISTING_AWS]), [
                "the load balancer serves HTTP only; set aws.certificateArn and aws.domainName (docs/aws.md, HTTPS)",
            ]);
        });

        it("passes with a certificate, and on GCP (its load balancer always has HTTPS)", async () => {
            for (const program of ["awsHttps", "gcpLoadBalancer", EXISTING_GCP])
                assert.deepStrictEqual(await violations("load-balancer-serves-https", programs[program]), [], program);
        });
    });
});

/**
 * The pack as the engine runs it: policy/index.ts started in its own
 * directory (where @pulumi/policy reads the pack's version), serving the
 * analyzer gRPC service on the port it prints; the test calls it as the
 * engine does.
 */
describe("policy pack, served as the engine runs it", () => {
    const grpc: typeof import("@grpc/grpc-js") = require("@grpc/grpc-js");
    const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
    const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");
    const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
    const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
    let pack: ChildProcess;
    let client: any;

    before(async function () {
        this.timeout(120_000);
        const policyDir = path.join(path.resolve(__dirname, ".."), "policy");
        pack = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], { cwd: policyDir, stdio: ["ignore", "pipe", "pipe"] });
        const port = await new Promise<string>((resolve, reject) => {
            let stderr = "";
            pack.stderr!.on("data", (chunk) => (stderr += chunk));
            pack.stdout!.once("data", (chunk) => resolve(String(chunk).trim()));
            pack.once("exit", (code) => reject(new Error(`policy pack exited ${code}: ${stderr}`)));
        });
        client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        pack?.kill();
    });

    const call = <T>(method: string, request: unknown): Promise<T> =>
        new Promise((resolve, reject) => client[method](request, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))));

    it("announces its six policies with their enforcement levels", async () => {
        const info: any = await call("getAnalyzerInfo", new Empty());
        const levels = Object.fromEntries(Object.entries(analyzerProto.EnforcementLevel).map(([name, value]) => [value, String(name).toLowerCase()]));
        assert.strictEqual(info.getName(), "postgrest-security");
        assert.deepStrictEqual(
            info.getPoliciesList().map((p: any) => [p.getName(), levels[p.getEnforcementlevel()]]),
            policies.map((p) => [p.name, p.enforcementLevel]),
        );
    });

    it("reports a secret in an ECS task's plain environment, and passes the program's own task definition", async () => {
        const run = await runProgram(readStackFile(EXISTING_AWS));
        const taskDefinition = run.one("aws:ecs/taskDefinition:TaskDefinition");
        const analyze = async (inputs: Record<string, unknown>) => {
            const request = new analyzerProto.AnalyzeRequest();
            request.setType(taskDefinition.type);
            request.setName(taskDefinition.name);
            request.setUrn(`urn:pulumi:dev::postgrest::${taskDefinition.type}::${taskDefinition.name}`);
            request.setProperties(Struct.fromJavaScript(inputs));
            // The engine always sends the resource's options (protect, aliases, ...); the defaults here.
            request.setOptions(new analyzerProto.AnalyzerResourceOptions());
            const response: any = await call("analyze", request);
            return response.getDiagnosticsList().map((d: any) => `${d.getPolicyname()}: ${d.getMessage()}`);
        };
        assert.deepStrictEqual(await analyze(taskDefinition.inputs), []);
        const containers = JSON.parse(taskDefinition.inputs.containerDefinitions);
        containers[0].environment.push({ name: "DATABASE_URL", value: "postgresql://root:pw-9@db.internal:5432/startup" });
        // What the preview shows: the policy's description, then the violation.
        assert.deepStrictEqual(await analyze({ ...taskDefinition.inputs, containerDefinitions: JSON.stringify(containers) }), [
            "no-secrets-in-plain-env: Secrets reach containers through the cloud's secret store (ECS `secrets`, Cloud Run secret volumes or `valueSource`), never as a plain environment value.\n" +
                "container postgrest: DATABASE_URL holds a URL with a password; reference the secret from Secrets Manager / Secret Manager instead (components/aws/secrets.ts, components/gcp/secrets.ts)",
        ]);
    });
});
