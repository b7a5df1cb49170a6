/**
 * The `monitoring` block, shared by both clouds: alarms are on by default, with
 * thresholds that fit PostgREST, and they notify whoever the block names
 * (emails, or an existing SNS topic on AWS / notification channels on GCP).
 */
import { Cloud } from "./cloud";
import { Problems, describeValue, readBoolean, readNumber, readObject, readString, readStringList, rejectUnknownKeys } from "./problems";

export interface MonitoringThresholds {
    /** Percent of requests answered with a 5xx, over the evaluation window, above which an alarm fires. */
    errorRatePercent: number;
    /** p95 of the time to answer, milliseconds. */
    p95LatencyMs: number;
    /** Average CPU of the service, percent of what the tasks reserve (AWS). */
    cpuPercent: number;
    /** Memory of the most loaded task, percent of what it reserves (AWS). */
    memoryPercent: number;
}

export interface MonitoringConfig {
    /** false: no alarm, no dashboard, no notification target. */
    enabled: boolean;
    /** Addresses told of every alarm: SNS email subscriptions (AWS), email notification channels (GCP). */
    alertEmails: string[];
    /** An existing SNS topic the alarms notify instead of one created here (AWS). */
    snsTopicArn?: string;
    /** Existing notification channels the alert policies notify besides alertEmails (GCP). */
    notificationChannels: string[];
    thresholds: MonitoringThresholds;
}

/** Defaults of the `monitoring` block, in one place for the code, the tests and the docs. */
export const MONITORING_DEFAULTS = {
    enabled: true,
    thresholds: {
        // 5 % of requests failing for 3 of 5 minutes is an outage for someone, not noise.
        errorRatePercent: 5,
        // PostgREST answers in milliseconds; a p95 of a second means the database or the pool is struggling.
        p95LatencyMs: 1000,
        // Above autoscaling's target (aws.scaling.cpuPercent, 60): only reached when scaling is at its ceiling.
        cpuPercent: 80,
        memoryPercent: 80,
    },
} as const satisfies Pick<MonitoringConfig, "enabled" | "thresholds">;

const MONITORING_KEYS = ["enabled", "alertEmails", "snsTopicArn", "notificationChannels", "thresholds"];
const THRESHOLD_KEYS = ["errorRatePercent", "p95LatencyMs", "cpuPercent", "memoryPercent"] as const;
/** The thresholds whose alarm exists on AWS only: Cloud Run scales on CPU by itself, and its ceiling has its own policy. */
const AWS_ONLY_THRESHOLDS: readonly string[] = ["cpuPercent", "memoryPercent"];

// Deliberately loose: SNS and Cloud Monitoring confirm an address by mail; this catches a name or a list pasted as one.
const EMAIL = /^[^@\s,;]+@[^@\s,;]+\.[^@\s,;.]+$/;
// arn:partition:sns:region:account:topic, a topic name of up to 256 letters, digits, - and _
// (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html, Name).
const SNS_TOPIC_ARN = /^arn:aws(-cn|-us-gov)?:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$/;
// projects/PROJECT_ID/notificationChannels/CHANNEL_ID (https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.notificationChannels);
// a project id is 6 to 30 lowercase letters, digits and hyphens, starting with a letter.
const NOTIFICATION_CHANNEL = /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/notificationChannels\/\d+$/;

export const TOPIC_EXAMPLE = "snsTopicArn: arn:aws:sns:us-east-1:123456789012:ops-alerts";
export const CHANNEL_EXAMPLE = "notificationChannels: [projects/my-project/notificationChannels/1234567890123456789]";

/** Reads the `monitoring` block at `key` for a stack on `cloud` (undefined: invalid, so no cloud rule applies); absent, it is on with the defaults. */
export function parseMonitoring(value: unknown, key: string, cloud: Cloud | undefined, problems: Problems): MonitoringConfig | undefined {
    const obj = readObject(value ?? {}, key, problems, "monitoring: { alertEmails: [ops@example.com] }");
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, MONITORING_KEYS, problems);
    const before = problems.count;

    const enabled = readBoolean(obj, "enabled", key, problems, { default: MONITORING_DEFAULTS.enabled, example: "enabled: true" });
    const alertEmails = readStringList(obj, "alertEmails", key, problems, {
        default: [],
        example: "alertEmails: [ops@example.com]",
        check: (email) => (EMAIL.test(email) ? undefined : `${describeValue(email)} is not an email address`),
    });
    const snsTopicArn = readString(obj, "snsTopicArn", key, problems, { optional: true, example: TOPIC_EXAMPLE });
    const notificationChannels = readStringList(obj, "notificationChannels", key, problems, {
        default: [],
        example: CHANNEL_EXAMPLE,
        check: (channel) =>
            NOTIFICATION_CHANNEL.test(channel)
                ? undefined
                : `${describeValue(channel)} is not a notification channel name (projects/<project>/notificationChannels/<id>)`,
    });

    if (cloud === "gcp" && snsTopicArn !== undefined) {
        problems.add(
            `${key}.snsTopicArn`,
            "is an AWS SNS topic and cloud is gcp: alert policies notify Cloud Monitoring notification channels",
            `${CHANNEL_EXAMPLE}, or alertEmails: [ops@example.com]`,
        );
    }
    if (cloud === "aws" && snsTopicArn !== undefined && !SNS_TOPIC_ARN.test(snsTopicArn)) {
        problems.add(
            `${key}.snsTopicArn`,
            `${describeValue(snsTopicArn)} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)`,
            TOPIC_EXAMPLE,
        );
    }
    if (cloud === "aws" && snsTopicArn !== undefined && (alertEmails?.length ?? 0) > 0) {
        problems.add(
            `${key}.alertEmails`,
            "is set with snsTopicArn: the alarms notify that topic, and its subscriptions are managed where the topic is; give one of the two",
            "alertEmails: [ops@example.com] (a topic is created here), or snsTopicArn alone",
        );
    }
    if (cloud === "aws" && obj.notificationChannels !== undefined) {
        problems.add(
            `${key}.notificationChannels`,
            "names Google Cloud Monitoring channels and cloud is aws: alarms notify an SNS topic",
            `${TOPIC_EXAMPLE}, or alertEmails: [ops@example.com]`,
        );
    }

    const thresholds = parseThresholds(obj.thresholds, `${key}.thresholds`, cloud, problems);
    if (problems.count > before) return undefined;
    return {
        enabled: enabled!,
        alertEmails: alertEmails!,
        snsTopicArn,
        notificationChannels: notificationChannels!,
        thresholds: thresholds!,
    };
}

function parseThresholds(value: unknown, key: string, cloud: Cloud | undefined, problems: Problems): MonitoringThresholds | undefined {
    const obj = readObject(value ?? {}, key, problems, "thresholds: { errorRatePercent: 5, p95LatencyMs: 1000 }");
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, THRESHOLD_KEYS, problems);
    const defaults = MONITORING_DEFAULTS.thresholds;
    const percent = (field: keyof MonitoringThresholds) =>
        readNumber(obj, field, key, problems, { default: defaults[field], min: 0.1, max: 100, example: `${field}: ${defaults[field]}` });
    const thresholds = {
        errorRatePercent: percent("errorRatePercent"),
        p95LatencyMs: readNumber(obj, "p95LatencyMs", key, problems, {
            default: defaults.p95LatencyMs,
            min: 1,
            integer: true,
            example: `p95LatencyMs: ${defaults.p95LatencyMs}`,
        }),
        cpuPercent: percent("cpuPercent"),
        memoryPercent: percent("memoryPercent"),
    };
    if (cloud === "gcp") {
        for (const field of AWS_ONLY_THRESHOLDS.filter((f) => obj[f] !== undefined)) {
            problems.add(
                `${key}.${field}`,
                "has no alert policy on gcp: Cloud Run adds instances on load by itself, and reaching service.maxInstances has its own policy",
                `remove ${field}`,
            );
        }
    }
    if (Object.values(thresholds).some((v) => v === undefined)) return undefined;
    return thresholds as MonitoringThresholds;
}
