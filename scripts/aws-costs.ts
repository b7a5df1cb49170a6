/** Prints docs/costs.md's AWS monthly cost tables (us-east-1): per NAT option, and a created database; from components/aws/costs.ts. */
import { DATABASE_US_EAST_1_PRICES, US_EAST_1_PRICES } from "../components/aws/costs";
import { HOURS_PER_MONTH } from "../components/costs";
import { awsCostTable, createdDatabaseCostTable } from "./cost-tables";

console.log(awsCostTable());
console.log(`\nPrices used (USD, us-east-1, ${HOURS_PER_MONTH} h/month): ${JSON.stringify(US_EAST_1_PRICES)}`);
console.log(`\n${createdDatabaseCostTable("aws")}`);
console.log(`\nDatabase prices used (USD): ${JSON.stringify(DATABASE_US_EAST_1_PRICES)}`);
