/**
 * The ECR pull-through cache option: the rule for Docker Hub with the team's credential, the task running the image
 * from the account's registry by the digest resolved at preview, the execution role allowed to fill the cache, and
 * the config checked against ECR's rules before anything is registered.
 */
import * as assert from "assert";
import { cachedImage } from "../../components/aws/image-cache";
import { ProgramRun, baseConfig, configProblems, runProgram, waitsFor } from "../../testing/harness";
import { MOCK_ACCOUNT, MOCK_REGION } from "../../testing/mocks/aws";
import { fakeDigest } from "../../testing/registry";

const CREDENTIAL = `arn:aws:secretsmanager:${MOCK_REGION}:${MOCK_ACCOUNT}:secret:ecr-pullthroughcache/docker-hub-AbCdEf`;
const DIGEST = `sha256:${"ef".repeat(32)}`;

describe("aws: ECR pull-through cache", () => {
    describe("the cached image's name", () => {
        const cache = { registryId: "123456789012", region: "eu-west-1", repositoryPrefix: "docker-hub" };
        const cases: [string, string][] = [
            [`postgrest/postgrest@${DIGEST}`, `123456789012.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/postgrest/postgrest@${DIGEST}`],
            ["postgrest/postgrest:v16.2", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/postgrest/postgrest:v16.2"],
            // ECR keeps library/ for Docker Hub's official images.
            ["busybox:1.37.0", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/library/busybox:1.37.0"],
        ];
        for (const [image, expected] of cases) it(image, () => assert.strictEqual(cachedImage(image, cache), expected));
    });

    describe("in the program", () => {
        let run: ProgramRun;
        before(async () => {
            run = await runProgram({ config: { ...baseConfig("aws"), aws: { imagePullThroughCache: { credentialArn: CREDENTIAL } } } });
        });

        it("creates a rule for Docker Hub with the team's credential", () => {
            const rule = run.one("aws:ecr/pullThroughCacheRule:PullThroughCacheRule").inputs;
            assert.deepStrictEqual(
                [rule.ecrRepositoryPrefix, rule.upstreamRegistryUrl, rule.credentialArn],
                ["docker-hub", "registry-1.docker.io", CREDENTIAL],
            );
        });

        it("runs the image from the account's registry, by the digest resolved at preview", () => {
            const [container] = JSON.parse(run.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions);
            assert.strictEqual(
                container.image,
                `${MOCK_ACCOUNT}.dkr.ecr.${MOCK_REGION}.amazonaws.com/docker-hub/postgrest/postgrest@${fakeDigest("postgrest/postgrest", "v16.2")}`,
            );
        });

        it("lets the execution role create and fill the cached repositories only, before the first task starts", () => {
            const policy = run.byType("aws:iam/rolePolicy:RolePolicy").find((p) => p.name === "postgrest-service-pull-through")!;
            assert.deepStrictEqual(JSON.parse(policy.inputs.policy).Statement, [
                {
                    Effect: "Allow",
                    Action: ["ecr:CreateRepository", "ecr:BatchImportUpstreamImage"],
                    Resource: `arn:aws:ecr:${MOCK_REGION}:${MOCK_ACCOUNT}:repository/docker-hub/*`,
                },
            ]);
            assert.ok(waitsFor(run.one("aws:ecs/service:Service"), { type: policy.type, name: policy.name }));
        });
    });

    describe("config", () => {
        const withCache = (cache: unknown, service: Record<string, unknown> = { maxInstances: 2 }) => ({
            ...baseConfig("aws"),
            service,
            aws: { imagePullThroughCache: cache },
        });
        const cases: [string, Record<string, unknown>, string, RegExp][] = [
            [
                "a credential outside ecr-pullthroughcache/",
                withCache({ credentialArn: CREDENTIAL.replace("ecr-pullthroughcache/", "") }),
                "postgrest:aws.imagePullThroughCache.credentialArn",
                /named ecr-pullthroughcache\//,
            ],
            ["no credential", withCache({}), "postgrest:aws.imagePullThroughCache.credentialArn", /required/],
            [
                "a prefix ECR refuses",
                withCache({ credentialArn: CREDENTIAL, repositoryPrefix: "Docker Hub" }),
                "postgrest:aws.imagePullThroughCache.repositoryPrefix",
                /2 to 30 lowercase/,
            ],
            [
                "an image not on Docker Hub",
                withCache({ credentialArn: CREDENTIAL }, { maxInstances: 2, image: "ghcr.io/o/postgrest:v16.2", postgrestVersion: 16 }),
                "postgrest:aws.imagePullThroughCache",
                /caches Docker Hub.*ghcr\.io/,
            ],
        ];
        for (const [name, config, key, says] of cases) {
            it(`refuses ${name}, naming ${key}`, () => {
                const problems = configProblems(config);
                assert.ok(
                    problems.some((p) => p.startsWith(`${key}:`) && says.test(p)),
                    problems.join("\n"),
                );
            });
        }
    });
});
