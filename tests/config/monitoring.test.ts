import * as assert from "assert";
import { MONITORING_DEFAULTS } from "../../components/config/monitoring";
import { baseConfig, configProblems, parseStackConfig } from "../../testing/harness";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:ops-alerts";
const CHANNEL = "projects/my-project/notificationChannels/1234567890123456789";

describe("config: monitoring", () => {
    it("is on by default on both clouds, with the default thresholds and nobody to notify", () => {
        for (const cloud of ["aws", "gcp"] as const) {
            const { monitoring } = parseStackConfig(baseConfig(cloud));
            assert.deepStrictEqual(monitoring, {
                enabled: true,
                alertEmails: [],
                snsTopicArn: undefined,
                notificationChannels: [],
                thresholds: MONITORING_DEFAULTS.thresholds,
            });
        }
    });

    const accepted: [string, "aws" | "gcp", Record<string, unknown>, Record<string, unknown>][] = [
        [
            "emails on aws",
            "aws",
            { alertEmails: ["ops@example.com", "on-call+pg@example.co.uk"] },
            { alertEmails: ["ops@example.com", "on-call+pg@example.co.uk"] },
        ],
        ["an existing topic on aws", "aws", { snsTopicArn: TOPIC }, { snsTopicArn: TOPIC }],
        ["a GovCloud topic", "aws", { snsTopicArn: "arn:aws-us-gov:sns:us-gov-west-1:123456789012:ops" }, {}],
        [
            "emails and channels on gcp",
            "gcp",
            { alertEmails: ["ops@example.com"], notificationChannels: [CHANNEL] },
            { notificationChannels: [CHANNEL] },
        ],
        [
            "thresholds, numbers as pulumi config set gives them",
            "aws",
            { thresholds: { errorRatePercent: "1.5", p95LatencyMs: 300, cpuPercent: 90, memoryPercent: 70 } },
            { thresholds: { errorRatePercent: 1.5, p95LatencyMs: 300, cpuPercent: 90, memoryPercent: 70 } },
        ],
        ["switched off", "gcp", { enabled: false }, { enabled: false }],
    ];
    for (const [title, cloud, block, expected] of accepted) {
        it(`accepts ${title}`, () => {
            const { monitoring } = parseStackConfig({ ...baseConfig(cloud), monitoring: block });
            for (const [field, value] of Object.entries(expected)) assert.deepStrictEqual(monitoring[field as keyof typeof monitoring], value, field);
        });
    }

    const refused: [string, "aws" | "gcp", Record<string, unknown>, RegExp][] = [
        [
            "an email that is not one",
            "aws",
            { alertEmails: ["ops team"] },
            /monitoring\.alertEmails\[0\]: "ops team" is not an email address\. Example: alertEmails: \[ops@example\.com\]/,
        ],
        [
            "two emails in one string",
            "gcp",
            { alertEmails: ["a@example.com,b@example.com"] },
            /monitoring\.alertEmails\[0\]: .* is not an email address/,
        ],
        [
            "an ARN of another service",
            "aws",
            { snsTopicArn: "arn:aws:sqs:us-east-1:123456789012:queue" },
            /monitoring\.snsTopicArn: .* is not an SNS topic ARN .*Example: snsTopicArn: arn:aws:sns:/,
        ],
        ["a topic name instead of its ARN", "aws", { snsTopicArn: "ops-alerts" }, /monitoring\.snsTopicArn: "ops-alerts" is not an SNS topic ARN/],
        [
            "a topic with emails",
            "aws",
            { snsTopicArn: TOPIC, alertEmails: ["ops@example.com"] },
            /monitoring\.alertEmails: is set with snsTopicArn.*give one of the two/,
        ],
        [
            "a topic on gcp",
            "gcp",
            { snsTopicArn: TOPIC },
            /monitoring\.snsTopicArn: is an AWS SNS topic and cloud is gcp.*Example: notificationChannels: \[projects\//,
        ],
        [
            "channels on aws",
            "aws",
            { notificationChannels: [CHANNEL] },
            /monitoring\.notificationChannels: names Google Cloud Monitoring channels and cloud is aws/,
        ],
        [
            "a channel id alone",
            "gcp",
            { notificationChannels: ["1234567890123456789"] },
            /monitoring\.notificationChannels\[0\]: "1234567890123456789" is not a notification channel name \(projects\/<project>\/notificationChannels\/<id>\)/,
        ],
        [
            "a channel of the wrong shape",
            "gcp",
            { notificationChannels: ["projects/my-project/alertPolicies/123"] },
            /monitoring\.notificationChannels\[0\]: .* is not a notification channel name/,
        ],
        [
            "a percentage over 100",
            "aws",
            { thresholds: { errorRatePercent: 150 } },
            /monitoring\.thresholds\.errorRatePercent: must be between 0\.1 and 100, got 150/,
        ],
        ["a latency in seconds", "aws", { thresholds: { p95LatencyMs: 0.5 } }, /monitoring\.thresholds\.p95LatencyMs: must be a whole number/],
        [
            "a CPU threshold on gcp",
            "gcp",
            { thresholds: { cpuPercent: 90 } },
            /monitoring\.thresholds\.cpuPercent: has no alert policy on gcp.*Example: remove cpuPercent/,
        ],
        [
            "a misspelt threshold",
            "aws",
            { thresholds: { p95LatencyMS: 500 } },
            /monitoring\.thresholds\.p95LatencyMS: unknown key, did you mean "p95LatencyMs"\?/,
        ],
        ["a misspelt key", "aws", { alertEmail: ["ops@example.com"] }, /monitoring\.alertEmail: unknown key, did you mean "alertEmails"\?/],
    ];
    for (const [title, cloud, block, problem] of refused) {
        it(`refuses ${title}, naming the key and the fix`, () => {
            const problems = configProblems({ ...baseConfig(cloud), monitoring: block });
            assert.ok(
                problems.some((p) => problem.test(p)),
                problems.join("\n"),
            );
        });
    }

    it("lists every problem of the block at once", () => {
        const problems = configProblems({
            ...baseConfig("gcp"),
            monitoring: { alertEmails: ["nobody"], snsTopicArn: TOPIC, thresholds: { memoryPercent: 90 } },
        });
        assert.deepStrictEqual(
            problems.map((p) => p.split(":")[1]),
            ["monitoring.alertEmails[0]", "monitoring.snsTopicArn", "monitoring.thresholds.memoryPercent"],
        );
    });
});
