/** Prints docs/costs.md's GCP monthly cost table (tier 1 prices), from components/gcp/costs.ts. */
import { HOURS_PER_MONTH } from "../components/costs";
import { TIER_1_PRICES } from "../components/gcp/costs";
import { gcpCostTable } from "./cost-tables";

console.log(gcpCostTable());
console.log(`\nPrices used (USD, tier 1, ${HOURS_PER_MONTH} h/month): ${JSON.stringify(TIER_1_PRICES)}`);
