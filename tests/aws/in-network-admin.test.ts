/**
 * database.adminAccess in-network on AWS, the whole program under mocks: a
 * Lambda in the task subnets whose group the database's group admits on its
 * port, least-privilege IAM, nothing public, no secret in any plain input,
 * and the roles/grants resource pointed at the function.
 */
import * as assert from "assert";
import { builtinModules } from "module";
import * as path from "path";
import { ADMIN_PASSWORD, ProgramRun, plainInputs, runProgram, waitsFor } from "../../testing/harness";
import { AWS_EXISTING_NETWORK, AWS_IN_NETWORK_DATABASE_GROUP as DATABASE_GROUP, awsInNetworkConfig } from "../../testing/stack-configs";

const TASK_SUBNETS = AWS_EXISTING_NETWORK.taskSubnetIds;

describe("aws: database.adminAccess in-network", function () {
    let run: ProgramRun;
    before(async function () {
        this.timeout(60_000);
        run = await runProgram({ config: awsInNetworkConfig() });
    });

    it("runs a Node.js 22 arm64 Lambda, built by the program, in the task subnets and its own group", async () => {
        const fn = run.one("aws:lambda/function:Function");
        assert.deepStrictEqual(
            {
                runtime: fn.inputs.runtime,
                architectures: fn.inputs.architectures,
                handler: fn.inputs.handler,
                subnets: fn.inputs.vpcConfig.subnetIds,
            },
            { runtime: "nodejs22.x", architectures: ["arm64"], handler: "index.handler", subnets: TASK_SUBNETS },
        );
        const group = run.byType("aws:ec2/securityGroup:SecurityGroup").find((g) => g.name === "postgrest-admin-sg")!;
        assert.deepStrictEqual(fn.inputs.vpcConfig.securityGroupIds, [group.id]);
        assert.strictEqual(group.inputs.vpcId, AWS_EXISTING_NETWORK.vpcId);
        assert.strictEqual(fn.inputs.environment, undefined, "the function has no environment variables");
        const assets = await fn.inputs.code.assets;
        assert.deepStrictEqual(Object.keys(assets), ["index.js"]);
        const source: string = await assets["index.js"].text;
        // The bundle needs nothing from node_modules: only Node's own modules (and pg's native binding, never loaded).
        const required = new Set([...source.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
        assert.deepStrictEqual(
            [...required].filter((m) => !builtinModules.includes(m) && m !== "pg-native"),
            [],
        );
        assert.match(source, /handler: \(\) => handleAccessRequest/);
        // The same text from any clone: no absolute path, so the function is updated only when its code changes.
        assert.ok(!source.includes(path.resolve(__dirname, "../..")), "the bundle names the clone's location");
    });

    it("the database's group admits the function's group on the database port, and the function may reach nothing else", () => {
        const group = run.byType("aws:ec2/securityGroup:SecurityGroup").find((g) => g.name === "postgrest-admin-sg")!;
        const admits = run
            .byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .filter((r) => r.inputs.referencedSecurityGroupId === group.id);
        assert.deepStrictEqual(
            admits.map((r) => [r.inputs.securityGroupId, r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort]),
            [[DATABASE_GROUP, "tcp", 6432, 6432]],
        );
        const egress = run.byType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.inputs.securityGroupId === group.id);
        assert.deepStrictEqual(
            egress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4, r.inputs.fromPort]),
            [[DATABASE_GROUP, undefined, 6432]],
        );
        const ingress = run.byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === group.id);
        assert.deepStrictEqual(ingress, [], "nothing may connect to the function");
    });

    it("its role may manage its network interfaces and write its own log group, nothing more", () => {
        const role = run.byType("aws:iam/role:Role").find((r) => r.name === "postgrest-admin-role")!;
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement, [
            { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
        const policies = run
            .byType("aws:iam/rolePolicy:RolePolicy")
            .filter((p) => p.inputs.role === role.name || p.inputs.role === "postgrest-admin-role");
        assert.strictEqual(policies.length, 1);
        const statements = JSON.parse(policies[0].inputs.policy).Statement as { Action: string[]; Resource: string }[];
        const logGroup = run.byType("aws:cloudwatch/logGroup:LogGroup").find((g) => g.name === "postgrest-admin-logs")!;
        assert.deepStrictEqual(statements[1], {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `arn:aws:logs:us-east-1:123456789012:log-group:postgrest-admin-logs:*`,
        });
        assert.ok(
            statements[0].Action.every((action) =>
                /^ec2:(Create|Describe|Delete|Assign|Unassign)\w*(NetworkInterfaces?|Subnets|PrivateIpAddresses)$/.test(action),
            ),
            statements[0].Action.join(),
        );
        assert.ok(!JSON.stringify(statements).includes("secretsmanager"), "it reads no secret");
        assert.strictEqual(
            run.one("aws:lambda/function:Function").inputs.loggingConfig.logGroup,
            logGroup.inputs.name ?? `${logGroup.name}-log-group`,
        );
        assert.deepStrictEqual(
            run.byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === role.name),
            [],
            "no managed policy",
        );
    });

    it("is public in no way: no function URL, no resource policy", () => {
        for (const type of ["aws:lambda/functionUrl:FunctionUrl", "aws:lambda/permission:Permission"])
            assert.deepStrictEqual(run.byType(type), [], type);
    });

    it("the roles/grants resource invokes the function, and waits for the database's rule", () => {
        const access = run.one("pulumi-nodejs:dynamic:Resource");
        const fn = run.one("aws:lambda/function:Function");
        assert.deepStrictEqual(access.inputs.adminTransport, {
            kind: "lambda",
            functionArn: "arn:aws:lambda:us-east-1:123456789012:function:postgrest-admin-function",
        });
        const rule = run
            .byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .find((r) => r.name === "postgrest-admin-database-from-function")!;
        for (const needed of [fn, rule]) assert.ok(waitsFor(access, needed), `waits for ${needed.name}`);
    });

    it("no admin password in any plain input, the function's code included", () => {
        for (const resource of run.resources)
            assert.ok(!plainInputs(resource).includes(ADMIN_PASSWORD), `${resource.type} ${resource.name} holds the admin password`);
    });
});
