import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { plainHttpWarning, servesHttps } from "../../components/aws/config";
import { hostedZoneProblem } from "../../components/aws/config/cloud-answers";
import { cloudAnswerProblems } from "../../components/aws/preflight";
import { baseConfig, expectConfigError, runUnderMocks } from "../../testing/harness";
import { MOCK_HOSTED_ZONE_ID } from "../../testing/mocks/aws";
import { parseAwsConfig, runAws } from "../../testing/run-component";

const T = {
    certificate: "aws:acm/certificate:Certificate",
    validation: "aws:acm/certificateValidation:CertificateValidation",
    record: "aws:route53/record:Record",
    listener: "aws:lb/listener:Listener",
};
// Alarms that notify someone, so the only warning a stack can give here is about plain HTTP.
const withAws = (awsBlock: Record<string, unknown>) => ({ ...baseConfig("aws"), aws: awsBlock, monitoring: { alertEmails: ["ops@example.com"] } });
const HTTPS = { domainName: "api.example.com", hostedZoneId: MOCK_HOSTED_ZONE_ID };

/** Runs `body` with pulumi.log.warn recorded. */
async function recordingWarnings<T>(body: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
    const warnings: string[] = [];
    const original = pulumi.log.warn;
    (pulumi.log as { warn: typeof pulumi.log.warn }).warn = (message: string) => {
        warnings.push(message);
        return Promise.resolve();
    };
    try {
        return { result: await body(), warnings };
    } finally {
        (pulumi.log as { warn: typeof pulumi.log.warn }).warn = original;
    }
}

describe("aws: HTTPS by default with a Route 53 zone", function () {
    this.timeout(30_000);

    it("creates the certificate, validates it through DNS, serves HTTPS with it and aliases the domain to the load balancer", async () => {
        const { result: run, warnings } = await recordingWarnings(() => runAws(withAws(HTTPS)));
        const certificate = run.one(T.certificate).inputs;
        assert.deepStrictEqual([certificate.domainName, certificate.validationMethod], ["api.example.com", "DNS"]);

        const records = run.byType(T.record).map((r) => r.inputs);
        const validationRecord = records.find((r) => r.type === "CNAME")!;
        assert.deepStrictEqual(
            [validationRecord.zoneId, validationRecord.name, validationRecord.records],
            [MOCK_HOSTED_ZONE_ID, "_3f2a.api.example.com.", ["_9c1e.jkddzztszm.acm-validations.aws."]],
        );
        const validation = run.one(T.validation).inputs;
        assert.deepStrictEqual(validation.validationRecordFqdns, ["_3f2a.api.example.com"]);

        const https = run.byType(T.listener).find((l) => l.inputs.port === 443)!.inputs;
        assert.strictEqual(https.certificateArn, validation.certificateArn, "the listener takes the validated certificate");
        const http = run.byType(T.listener).find((l) => l.inputs.port === 80)!.inputs;
        assert.strictEqual(http.defaultActions[0].type, "redirect");

        const alias = records.find((r) => r.type === "A")!;
        assert.deepStrictEqual([alias.zoneId, alias.name], [MOCK_HOSTED_ZONE_ID, "api.example.com"]);
        assert.deepStrictEqual(alias.aliases, [
            { name: "postgrest-lb-1234567890.us-east-1.elb.amazonaws.com", zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: true },
        ]);

        assert.strictEqual(run.outputs.url, "https://api.example.com");
        const openPorts = run
            .byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .filter((r) => r.inputs.cidrIpv4 === "0.0.0.0/0")
            .map((r) => r.inputs.fromPort);
        assert.deepStrictEqual(openPorts.sort(), [443, 80], "the load balancer's group admits HTTPS");
        assert.deepStrictEqual(warnings, []);
    });

    it("with a certificate of its own, creates only the alias record", async () => {
        const cert = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
        const run = await runAws(withAws({ ...HTTPS, certificateArn: cert }));
        assert.deepStrictEqual(run.byType(T.certificate), []);
        assert.deepStrictEqual(
            run.byType(T.record).map((r) => r.inputs.type),
            ["A"],
        );
        assert.strictEqual(run.byType(T.listener).find((l) => l.inputs.port === 443)!.inputs.certificateArn, cert);
    });

    it("HTTP only still deploys, and preview warns that bearer tokens travel in clear text", async () => {
        const { result: run, warnings } = await recordingWarnings(() => runAws(withAws({})));
        assert.deepStrictEqual(run.byType(T.certificate), []);
        assert.strictEqual(warnings.length, 1);
        assert.match(
            warnings[0],
            /plain HTTP: bearer tokens \(JWTs\) travel in clear text.*postgrest:aws\.domainName and postgrest:aws\.hostedZoneId/,
        );
        assert.strictEqual(plainHttpWarning({ hostedZoneId: MOCK_HOSTED_ZONE_ID, ingress: { type: "load-balancer" } }, "k"), undefined);
        assert.ok(servesHttps({ certificateArn: "arn" }) && !servesHttps({}));
    });

    it("refuses a hosted zone without domainName, naming aws.domainName, and a malformed zone id, naming aws.hostedZoneId", async () => {
        const error = await expectConfigError(withAws({ hostedZoneId: MOCK_HOSTED_ZONE_ID }));
        assert.match(error.message, /postgrest:aws\.domainName: is required with hostedZoneId/);
        const malformed = await expectConfigError(withAws({ domainName: "api.example.com", hostedZoneId: "/hostedzone/Z0123" }));
        assert.match(malformed.message, /postgrest:aws\.hostedZoneId: "\/hostedzone\/Z0123" is not a Route 53 hosted zone id/);
        assert.deepStrictEqual([...error.resources, ...malformed.resources], []);
    });

    it("asks Route 53 at preview whether the zone holds the domain and is public, naming aws.hostedZoneId", async () => {
        assert.strictEqual(hostedZoneProblem("api.example.com", { name: "example.com.", privateZone: false }), undefined);
        assert.match(
            hostedZoneProblem("api.example.org", { name: "example.com.", privateZone: false })!.problem,
            /zone of example.com, which does not hold domainName api.example.org/,
        );
        assert.match(hostedZoneProblem("api.internal.example", { name: "internal.example.", privateZone: true })!.problem, /private zone/);

        const wrongDomain = parseAwsConfig(withAws({ domainName: "api.example.org", hostedZoneId: MOCK_HOSTED_ZONE_ID })).aws;
        const privateZone = parseAwsConfig(withAws({ domainName: "api.internal.example", hostedZoneId: "Z9PRIVATE" })).aws;
        const run = await runUnderMocks(
            () => ({ wrongDomain: cloudAnswerProblems(wrongDomain, {}), privateZone: cloudAnswerProblems(privateZone, {}) }),
            { preview: true },
        );
        const fields = (name: string) => (run.outputs[name] as { field: string }[]).map((p) => p.field);
        assert.deepStrictEqual([fields("wrongDomain"), fields("privateZone")], [["hostedZoneId"], ["hostedZoneId"]]);
    });
});
