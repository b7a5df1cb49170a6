/**
 * `npm run costs -- <stack> [--markdown] [--requests N] [--log-gb N] [--db-hours N] [--db-gb N] [--list-price]`: the monthly cost of what Pulumi.<stack>.yaml
 * deploys, from the stack file itself: its config is validated by the program's own parser (parseConfig), then
 * priced by components/aws/costs.ts or components/gcp/costs.ts. Usage lines are priced at the traffic given
 * (none by default, so the total is what the stack costs idle).
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { ParsedConfig, RawConfig, parseConfig } from "../components/config";
import { AWS_PRICES_AS_OF, AWS_PRICE_SOURCES, awsReportNotes, awsStackCostLines } from "../components/aws/costs";
import { GCP_PRICES_AS_OF, GCP_PRICE_SOURCES, gcpReportNotes, gcpStackCostLines } from "../components/gcp/costs";
import { HOURS_PER_MONTH, IDLE, StackCostReport, UsageAssumptions, stackCostReport, usd } from "../components/costs";

const NAMESPACE = "postgrest";

/** What stands in for a secret the stack file holds encrypted, or that is set only at deploy: prices never depend on it. */
const PLACEHOLDERS: Record<string, string> = {
    jwtSecret: "cost-report-placeholder-jwt-secret-0123456789abcdef",
};

/** An admin URL the config readers accept for the stack's database: its host, port and name, a placeholder login; none for a database the stack creates. */
function placeholderAdminUrl(databaseJson: string | undefined): string | undefined {
    let database: { host?: unknown; port?: unknown; name?: unknown; create?: unknown; adminSecret?: unknown } = {};
    try {
        database = JSON.parse(databaseJson ?? "{}") ?? {};
    } catch {
        // The readers name a malformed database block themselves.
    }
    if (database.create !== undefined || database.adminSecret !== undefined) return undefined;
    const text = (value: unknown, fallback: string) => (typeof value === "string" || typeof value === "number" ? String(value) : fallback);
    return `postgresql://cost_report:placeholder-not-a-password@${text(database.host, "db.internal")}:${text(database.port, "5432")}/${text(database.name, "postgres")}`;
}

/**
 * The raw config a stack file gives the program, as the engine passes it: `postgrest:` values as text (objects as
 * JSON), `secure:` values flagged secret (their plain text replaced, as the report never decrypts), provider keys apart.
 */
export function rawConfigOfStackFile(text: string): { raw: RawConfig; awsRegion?: string } {
    const settings = (parseYaml(text) ?? {}) as { config?: Record<string, unknown> };
    const values: Record<string, string> = {};
    const secretKeys = new Set<string>();
    const provider: Record<string, string> = {};
    for (const [fullKey, value] of Object.entries(settings.config ?? {})) {
        if (!fullKey.startsWith(`${NAMESPACE}:`)) {
            provider[fullKey] = String(value);
            continue;
        }
        const key = fullKey.slice(NAMESPACE.length + 1);
        const secure = typeof value === "object" && value !== null && "secure" in value;
        if (secure) {
            secretKeys.add(key);
            values[key] = PLACEHOLDERS[key] ?? "cost-report-placeholder";
        } else {
            values[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    const adminUrl = values.databaseAdminUrl === undefined || secretKeys.has("databaseAdminUrl") ? placeholderAdminUrl(values.database) : undefined;
    if (adminUrl !== undefined) {
        values.databaseAdminUrl = adminUrl;
        secretKeys.add("databaseAdminUrl");
    }
    // The report creates nothing: a stack that takes its project from the environment needs only some project named.
    const gcpProject = provider["gcp:project"] ?? "cost-report-project";
    return {
        raw: { values, secretKeys, namespace: NAMESPACE, provider: { gcpProject, gcpRegion: provider["gcp:region"] } },
        awsRegion: provider["aws:region"],
    };
}

/** The cost report of a validated config. */
export function costReport(stack: string, config: ParsedConfig, usage: UsageAssumptions = IDLE, awsRegion?: string): StackCostReport {
    if (config.cloud === "aws") {
        const regionNote = awsRegion && awsRegion !== "us-east-1" ? [`The stack deploys to ${awsRegion}; these are us-east-1's prices.`] : [];
        return stackCostReport({
            stack,
            cloud: "aws",
            lines: awsStackCostLines(config, usage),
            usageAssumptions: usage,
            sources: AWS_PRICE_SOURCES,
            pricesAsOf: AWS_PRICES_AS_OF,
            notes: [...awsReportNotes(config, usage), ...regionNote],
        });
    }
    return stackCostReport({
        stack,
        cloud: "gcp",
        lines: gcpStackCostLines(config, usage),
        usageAssumptions: usage,
        sources: GCP_PRICE_SOURCES,
        pricesAsOf: GCP_PRICES_AS_OF,
        notes: gcpReportNotes(config, usage),
    });
}

/** Reads Pulumi.<stack>.yaml from `root` and prices it. */
export function stackFileCostReport(stack: string, usage: UsageAssumptions = IDLE, root = path.resolve(__dirname, "..")): StackCostReport {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new Error(`no stack file ${path.basename(file)} in ${root}`);
    const { raw, awsRegion } = rawConfigOfStackFile(fs.readFileSync(file, "utf8"));
    return costReport(stack, parseConfig(raw), usage, awsRegion);
}

function traffic(usage: UsageAssumptions): string {
    return usage.requestsPerMonth === 0 && usage.logGbPerMonth === 0
        ? "idle (no requests, no logs; pass --requests N and --log-gb N to price traffic)"
        : `${usage.requestsPerMonth.toLocaleString("en-US")} requests and ${usage.logGbPerMonth} GB of logs a month`;
}

export function formatText(report: StackCostReport): string {
    const width = Math.max(...report.lines.map((line) => line.item.length), 20);
    return [
        `Stack ${report.stack} (${report.cloud}), monthly, ${traffic(report.usageAssumptions)}:`,
        ...report.lines.map((line) => `  ${line.item.padEnd(width)}  ${line.basis.padEnd(5)}  ${usd(line.monthly).padStart(8)}   ${line.how}`),
        `  ${"fixed".padEnd(width)}         ${usd(report.fixed).padStart(8)}`,
        `  ${"usage".padEnd(width)}         ${usd(report.usage).padStart(8)}`,
        `  ${"total".padEnd(width)}         ${usd(report.total).padStart(8)}`,
        "",
        ...report.notes.map((note) => `Note: ${note}`),
        `Prices as of ${report.pricesAsOf}, from: ${report.sources.join(", ")}`,
    ].join("\n");
}

export function formatMarkdown(report: StackCostReport): string {
    return [
        `### Monthly cost of stack \`${report.stack}\` (${report.cloud}): **${usd(report.total)}**`,
        "",
        `Traffic: ${traffic(report.usageAssumptions)}.`,
        "",
        "| item | basis | monthly | how |",
        "| --- | --- | ---: | --- |",
        ...report.lines.map((line) => `| ${line.item} | ${line.basis} | ${usd(line.monthly)} | ${line.how} |`),
        `| **fixed** | | **${usd(report.fixed)}** | |`,
        `| **usage** | | **${usd(report.usage)}** | |`,
        `| **total** | | **${usd(report.total)}** | |`,
        "",
        ...report.notes.map((note) => `- ${note}`),
        `- Prices as of ${report.pricesAsOf}: ${report.sources.map((s) => `<${s}>`).join(", ")}`,
        "",
    ].join("\n");
}

/** Parses `<stack> [--markdown] [--requests N] [--log-gb N] [--db-hours N] [--db-gb N] [--list-price]`. */
export function parseArguments(args: string[]): { stack: string; markdown: boolean; usage: UsageAssumptions } {
    const usage = { ...IDLE };
    let stack: string | undefined;
    let markdown = false;
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        const number = () => {
            const value = Number(args[++i]);
            if (!Number.isFinite(value) || value < 0) throw new Error(`${arg} takes a number ≥ 0, got ${args[i]}`);
            return value;
        };
        if (arg === "--markdown") markdown = true;
        else if (arg === "--requests") usage.requestsPerMonth = number();
        else if (arg === "--log-gb") usage.logGbPerMonth = number();
        else if (arg === "--db-hours") {
            usage.databaseActiveHours = number();
            if (usage.databaseActiveHours > HOURS_PER_MONTH) throw new Error(`--db-hours takes at most ${HOURS_PER_MONTH}, the hours of a month`);
        } else if (arg === "--db-gb") usage.databaseGb = number();
        else if (arg === "--list-price") usage.cloudWatchFreeTier = false;
        else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}`);
        else if (stack === undefined) stack = arg;
        else throw new Error(`one stack at a time, got ${stack} and ${arg}`);
    }
    if (!stack) throw new Error("usage: npm run costs -- <stack> [--markdown] [--requests N] [--log-gb N] [--db-hours N] [--db-gb N] [--list-price]");
    return { stack, markdown, usage };
}

if (require.main === module) {
    try {
        const { stack, markdown, usage } = parseArguments(process.argv.slice(2));
        const report = stackFileCostReport(stack, usage);
        console.log(markdown ? formatMarkdown(report) : formatText(report));
    } catch (error) {
        console.error((error as Error).message);
        process.exitCode = 1;
    }
}
