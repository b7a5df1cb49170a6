/** Prints docs/costs.md's GCP monthly cost tables (tier 1 prices): Cloud Run, and a created Cloud SQL database; from components/gcp/costs.ts. */
import { HOURS_PER_MONTH } from "../components/costs";
import { CLOUD_SQL_US_CENTRAL_1_PRICES, TIER_1_PRICES } from "../components/gcp/costs";
import { createdDatabaseCostTable, gcpCostTable } from "./cost-tables";

console.log(gcpCostTable());
console.log(`\nPrices used (USD, tier 1, ${HOURS_PER_MONTH} h/month): ${JSON.stringify(TIER_1_PRICES)}`);
console.log(`\n${createdDatabaseCostTable("gcp")}`);
console.log(`\nDatabase prices used (USD): ${JSON.stringify(CLOUD_SQL_US_CENTRAL_1_PRICES)}`);
