/**
 * What the config allows but is likely a mistake: printed as warnings at preview (loadConfig, pulumi.log.warn) and by
 * `npm run check`, never refusing the stack.
 */
import { ApiConfig } from "../model/api";

/**
 * Tables granted in a schema PostgREST does not expose (not in api.schemas): requests cannot reach them. That is right
 * for a table only read through an exposed view or function, so it is a warning, naming the table and both fixes.
 */
export function unexposedTableWarnings(api: Pick<ApiConfig, "schemas" | "roles">, key: string): string[] {
    const exposed = new Set(api.schemas);
    const warnings: string[] = [];
    for (const role of api.roles) {
        const tables = [
            ...role.tables.map((grant) => ({ schema: grant.target.schema, what: `${grant.target.schema}.${grant.target.name}`, field: "tables" })),
            ...role.columns.map((grant) => ({ schema: grant.target.schema, what: `${grant.target.schema}.${grant.target.name}`, field: "columns" })),
            ...role.allTables.map((grant) => ({ schema: grant.schema, what: `every table of ${grant.schema}`, field: "allTables" })),
        ];
        const seen = new Set<string>();
        for (const { schema, what, field } of tables) {
            if (exposed.has(schema) || seen.has(`${field} ${what}`)) continue;
            seen.add(`${field} ${what}`);
            warnings.push(
                `${key}.roles.${role.name}.${field}: ${what} is in schema "${schema}", which PostgREST does not expose ` +
                    `(${key}.schemas: [${api.schemas.join(", ")}]), so no request reaches it. To serve it, add "${schema}" to ${key}.schemas; ` +
                    "if only views or functions of an exposed schema read it, this grant is right and this warning can be ignored",
            );
        }
    }
    return warnings;
}
