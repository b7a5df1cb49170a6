/**
 * `npm run docs`: writes the generated regions of docs/*.md from the code's catalogs: the configuration reference
 * (components/config/reference.ts), the `service.settings` tables (components/model/postgrest-settings.ts) and
 * the cost tables (scripts/cost-tables.ts, from each cloud's cost model). A region sits between `<!-- generated:NAME -->` and `<!-- /generated -->`; the
 * prose around it is hand-written. tests/docs.test.ts fails when a page differs from what this would write.
 */
import * as fs from "fs";
import * as path from "path";
import { CONFIG_REFERENCE, ConfigKeyReference } from "../components/config/reference";
import {
    ALIASES,
    NEWEST_MAJOR,
    OLDEST_MAJOR,
    OWNED_SETTINGS,
    SETTINGS,
    settingEnvironmentName,
    settingSpec,
} from "../components/model/postgrest-settings";
import { awsCostTable, createdDatabaseCostTable, gcpCostTable } from "./cost-tables";

export const DOCS_DIR = path.resolve(__dirname, "..", "docs");

const REGION = /<!-- generated:([\w:.-]+) -->\n[\s\S]*?<!-- \/generated -->/g;

/** A markdown table; `|` inside a cell is escaped. */
function table(header: string[], rows: string[][], align?: string[]): string {
    const cell = (text: string) => text.replace(/\|/g, "\\|");
    return [
        `| ${header.join(" | ")} |`,
        `| ${(align ?? header.map(() => "---")).join(" | ")} |`,
        ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
    ].join("\n");
}

/** A value as it reads in a YAML stack file, on one line. */
export function yamlFlow(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(yamlFlow).join(", ")}]`;
    if (typeof value === "object" && value !== null && Object.keys(value).length === 0) return "{}";
    if (typeof value === "object" && value !== null)
        return `{ ${Object.entries(value)
            .map(([k, v]) => `${yamlFlow(k)}: ${yamlFlow(v)}`)
            .join(", ")} }`;
    // Quoted only where a plain flow scalar would be read otherwise (YAML 1.2, flow scalars).
    if (typeof value === "string" && (/[,{}[\]]|: | #|^[-?:#&*!|>'"%@`]|^\s|\s$/.test(value) || value === "")) return JSON.stringify(value);
    return String(value);
}

function configTable(keys: readonly ConfigKeyReference[], prefix: string): string {
    return table(
        ["key", "type", "meaning", "default", "example"],
        keys.map((k) => [
            `\`${k.path.slice(prefix.length)}\``,
            k.type,
            `${k.secret ? "**secret**: " : ""}${k.description}`,
            k.default,
            `\`${k.shownAs ?? yamlFlow(k.example)}\``,
        ]),
    );
}

const BLOCKS: { region: string; prefix: string; keys: (k: ConfigKeyReference) => boolean }[] = [
    { region: "config:top", prefix: "", keys: (k) => !k.path.includes(".") },
    { region: "config:database", prefix: "database.", keys: (k) => k.path.startsWith("database.") },
    { region: "config:service", prefix: "service.", keys: (k) => k.path.startsWith("service.") },
    { region: "config:monitoring", prefix: "monitoring.", keys: (k) => k.path.startsWith("monitoring.") },
    { region: "config:api", prefix: "api.", keys: (k) => k.path.startsWith("api.") && !k.path.startsWith("api.roles.") },
    { region: "config:roles", prefix: "api.roles.<role>.", keys: (k) => k.path.startsWith("api.roles.<role>.") },
    { region: "config:aws", prefix: "aws.", keys: (k) => k.path.startsWith("aws.") },
    { region: "config:gcp", prefix: "gcp.", keys: (k) => k.path.startsWith("gcp.") },
];

/** How a setting's value is read, in words. */
function valueText(name: string, major: number): string {
    const type = settingSpec(name, major)!.type;
    const example = (text: string) => `\`${text.slice(text.indexOf(":") + 1).trim()}\``;
    switch (type.kind) {
        case "boolean":
            return "`true` or `false`";
        case "integer":
            return `whole number, at least ${type.min}`;
        case "enum":
            return `one of ${type.values.map((v) => `\`${v}\``).join(", ")}`;
        case "list":
            return `list (a YAML list or a comma-separated string), e.g. ${example(type.example)}`;
        case "string":
            return `text, e.g. ${example(type.example)}`;
    }
}

function majors(): number[] {
    return Array.from({ length: NEWEST_MAJOR - OLDEST_MAJOR + 1 }, (_, i) => OLDEST_MAJOR + i);
}

function versionRange(from: number, to: number): string {
    if (to === NEWEST_MAJOR) return `v${from}+`;
    return from === to ? `v${from}` : `v${from}–v${to}`;
}

function settingsTable(): string {
    const rows = Object.keys(SETTINGS)
        .sort()
        .map((name) => {
            const spans: { from: number; to: number; text: string }[] = [];
            for (const major of majors().filter((m) => settingSpec(name, m))) {
                const text = valueText(name, major);
                const last = spans[spans.length - 1];
                if (last && last.text === text && last.to === major - 1) last.to = major;
                else spans.push({ from: major, to: major, text });
            }
            const value = spans.length === 1 ? spans[0].text : spans.map((s) => `${versionRange(s.from, s.to)}: ${s.text}`).join("; ");
            return [`\`${name}\``, `\`${settingEnvironmentName(name)}\``, value, versionRange(spans[0].from, spans[spans.length - 1].to)];
        });
    return table(["setting", "environment variable", "value", "PostgREST"], rows);
}

function ownedSettingsTable(): string {
    return table(
        ["setting", "set from"],
        Object.entries(OWNED_SETTINGS).map(([name, from]) => [`\`${name}\``, from]),
    );
}

function aliasesTable(): string {
    return table(
        ["old name", "write instead"],
        Object.entries(ALIASES).map(([old, name]) => [
            `\`${old}\``,
            OWNED_SETTINGS[name] ? `\`${name}\` (set from ${OWNED_SETTINGS[name]})` : `\`${name}\``,
        ]),
    );
}

/** Every generated region's content, by name. */
export function generatedRegions(): Record<string, string> {
    const regions: Record<string, string> = {};
    for (const block of BLOCKS) regions[block.region] = configTable(CONFIG_REFERENCE.filter(block.keys), block.prefix);
    regions["settings:values"] = settingsTable();
    regions["settings:owned"] = ownedSettingsTable();
    regions["settings:aliases"] = aliasesTable();
    regions["costs:aws"] = awsCostTable();
    regions["costs:gcp"] = gcpCostTable();
    regions["costs:database"] = createdDatabaseCostTable();
    return regions;
}

/** `text` with each generated region rewritten; throws on a region name nothing generates. */
export function fillRegions(text: string, regions: Record<string, string>, file: string): string {
    return text.replace(REGION, (_, name: string) => {
        if (!(name in regions)) throw new Error(`${file}: no generator for region "${name}" (known: ${Object.keys(regions).join(", ")})`);
        return `<!-- generated:${name} -->\n${regions[name]}\n<!-- /generated -->`;
    });
}

/** Each docs/*.md page: its text now, and what `npm run docs` writes. */
export function renderDocs(dir = DOCS_DIR): { file: string; current: string; generated: string }[] {
    const regions = generatedRegions();
    return fs
        .readdirSync(dir)
        .filter((name) => name.endsWith(".md"))
        .sort()
        .map((name) => {
            const file = path.join(dir, name);
            const current = fs.readFileSync(file, "utf8");
            return { file, current, generated: fillRegions(current, regions, name) };
        });
}

if (require.main === module) {
    for (const page of renderDocs()) {
        if (page.generated === page.current) continue;
        fs.writeFileSync(page.file, page.generated);
        console.log(`wrote ${path.relative(process.cwd(), page.file)}`);
    }
}
